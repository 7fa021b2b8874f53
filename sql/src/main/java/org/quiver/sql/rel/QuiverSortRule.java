package org.quiver.sql.rel;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Sort;

/**
 * Calcite's sort rules (EnumerableSortRule, EnumerableLimitSortRule), producing Quiver's sorts,
 * whose single floating-point key does not fail on infinities and NaN ({@link FloatingSortKeys}).
 * The planner runs these in place of Calcite's.
 */
public final class QuiverSortRule extends ConverterRule {
  /** A sort without LIMIT or OFFSET: {@link QuiverSort}. */
  static final Config SORT = Config.INSTANCE
      .withConversion(Sort.class, Convention.NONE, EnumerableConvention.INSTANCE,
          "QuiverSortRule")
      .withRuleFactory(c -> new QuiverSortRule(c, false));
  /** A sort with LIMIT or OFFSET: {@link QuiverLimitSort}, a bounded top k. */
  static final Config LIMIT_SORT = Config.INSTANCE
      .withConversion(Sort.class, Convention.NONE, EnumerableConvention.INSTANCE,
          "QuiverLimitSortRule")
      .withRuleFactory(c -> new QuiverSortRule(c, true));

  private final boolean limited;

  private QuiverSortRule(Config config, boolean limited) {
    super(config);
    this.limited = limited;
  }

  @Override
  public RelNode convert(RelNode rel) {
    Sort sort = (Sort) rel;
    boolean hasLimit = sort.offset != null || sort.fetch != null;
    if (hasLimit != limited || (limited && sort.getCollation().getFieldCollations().isEmpty())) {
      return null;
    }
    RelNode input = convert(sort.getInput(),
        sort.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE));
    return limited ? QuiverLimitSort.create(input, sort.getCollation(), sort.offset, sort.fetch)
        : QuiverSort.create(input, sort.getCollation());
  }
}
