package org.quiver.sql.rel;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableSort;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.BuiltInMethod;

/**
 * Calcite's in-memory sort, whose single floating-point key is compared as a double
 * ({@link FloatingSortKeys}) rather than through BigDecimal, which fails on infinities and NaN.
 */
public final class QuiverSort extends EnumerableSort {
  public QuiverSort(RelOptCluster cluster, RelTraitSet traits, RelNode input,
      RelCollation collation) {
    super(cluster, traits, input, collation, null, null);
  }

  /** Sorts {@code input}, which is already of the enumerable convention, by {@code collation}. */
  public static QuiverSort create(RelNode input, RelCollation collation) {
    RelTraitSet traits = input.getCluster().traitSetOf(EnumerableConvention.INSTANCE)
        .replaceIf(RelCollationTraitDef.INSTANCE, () -> collation);
    return new QuiverSort(input.getCluster(), traits, input, collation);
  }

  @Override
  public EnumerableSort copy(RelTraitSet traits, RelNode input, RelCollation collation,
      RexNode offset, RexNode fetch) {
    return new QuiverSort(getCluster(), traits, input, collation);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    FloatingSortKeys.SortInput in = FloatingSortKeys.SortInput.of(implementor, this, pref);
    BlockBuilder builder = in.builder();
    builder.add(Expressions.return_(null, Expressions.call(in.rows(),
        BuiltInMethod.ORDER_BY.method,
        Expressions.list(builder.append("keySelector", in.key().left))
            .appendIfNotNull(builder.appendIfNotNull("comparator", in.key().right)))));
    return implementor.result(in.physType(), builder.toBlock());
  }
}
