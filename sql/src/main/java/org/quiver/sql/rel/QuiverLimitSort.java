package org.quiver.sql.rel;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableLimitSort;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.BuiltInMethod;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's top k kept as the rows stream by (ORDER BY ... LIMIT/OFFSET), whose single
 * floating-point key is compared as a double ({@link FloatingSortKeys}) rather than through
 * BigDecimal, which fails on infinities and NaN.
 */
public final class QuiverLimitSort extends EnumerableLimitSort {
  public QuiverLimitSort(RelOptCluster cluster, RelTraitSet traits, RelNode input,
      RelCollation collation, @Nullable RexNode offset, @Nullable RexNode fetch) {
    super(cluster, traits, input, collation, offset, fetch);
  }

  /**
   * The first {@code fetch} rows after {@code offset} of {@code input} (already of the
   * enumerable convention) in {@code collation}'s order.
   */
  public static QuiverLimitSort create(RelNode input, RelCollation collation,
      @Nullable RexNode offset, @Nullable RexNode fetch) {
    RelTraitSet traits = input.getCluster().traitSetOf(EnumerableConvention.INSTANCE)
        .replaceIf(RelCollationTraitDef.INSTANCE, () -> collation);
    return new QuiverLimitSort(input.getCluster(), traits, input, collation, offset, fetch);
  }

  @Override
  public EnumerableLimitSort copy(RelTraitSet traits, RelNode input, RelCollation collation,
      @Nullable RexNode offset, @Nullable RexNode fetch) {
    return new QuiverLimitSort(getCluster(), traits, input, collation, offset, fetch);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    FloatingSortKeys.SortInput in = FloatingSortKeys.SortInput.of(implementor, this, pref);
    BlockBuilder builder = in.builder();
    Expression fetchRows = fetch == null ? Expressions.constant(Integer.MAX_VALUE)
        : rowCount(fetch);
    Expression skipRows = offset == null ? Expressions.constant(0) : rowCount(offset);
    builder.add(Expressions.return_(null, Expressions.call(
        BuiltInMethod.ORDER_BY_WITH_FETCH_AND_OFFSET.method,
        Expressions.list(in.rows(), builder.append("keySelector", in.key().left))
            .appendIfNotNull(builder.appendIfNotNull("comparator", in.key().right))
            .appendIfNotNull(builder.appendIfNotNull("offset", skipRows))
            .appendIfNotNull(builder.appendIfNotNull("fetch", fetchRows)))));
    return implementor.result(in.physType(), builder.toBlock());
  }

  /** A LIMIT or OFFSET: a literal, or a parameter read from the statement's data context. */
  private static Expression rowCount(RexNode node) {
    if (node instanceof RexDynamicParam parameter) {
      return Expressions.convert_(Expressions.call(DataContext.ROOT,
          BuiltInMethod.DATA_CONTEXT_GET.method,
          Expressions.constant("?" + parameter.getIndex())), Integer.class);
    }
    return Expressions.constant(RexLiteral.intValue(node));
  }
}
