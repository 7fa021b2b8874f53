package org.quiver.sql.rel;

import java.lang.reflect.Method;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rex.RexNode;
import org.quiver.sql.schema.QuiverTable;

/**
 * INSERT, UPSERT or DELETE on a Quiver table: hands all rows of its input to the engine as one task.
 *
 * <p>An INSERT or UPSERT is first built by {@link QuiverSqlToRelConverter} in
 * {@link Convention#NONE}, where it carries what Calcite's {@code LogicalTableModify} cannot (the
 * UPSERT keyword and the partition hinted on the target table); {@link QuiverTableModifyRule}
 * makes it, and Calcite's DELETE, an Enumerable one.
 */
public final class QuiverTableModify extends TableModify implements EnumerableRel {
  // Resolved once: the input's static type varies (Enumerable, AbstractEnumerable, ...).
  private static final Method EXECUTE =
      Types.lookupMethod(ModifyExecutor.class, "execute", Enumerable.class);

  /** An INSERT that replaces the live rows of its keys ({@code UPSERT INTO}). */
  private final boolean upsert;
  /** The partition an INSERT or UPSERT writes into ({@code /*+ partitions(p) *}{@code /}), or null. */
  private final String partition;

  QuiverTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table,
      Prepare.CatalogReader catalogReader, RelNode input, Operation operation,
      List<String> updateColumnList, List<RexNode> sourceExpressionList, boolean flattened,
      boolean upsert, String partition) {
    super(cluster, traits, table, catalogReader, input, operation, updateColumnList,
        sourceExpressionList, flattened);
    this.upsert = upsert;
    this.partition = partition;
  }

  /** The INSERT {@code modify} as a logical Quiver write: an UPSERT if {@code upsert}. */
  static QuiverTableModify insert(TableModify modify, boolean upsert, String partition) {
    return new QuiverTableModify(modify.getCluster(), modify.getTraitSet(), modify.getTable(),
        modify.getCatalogReader(), modify.getInput(), Operation.INSERT, null, null,
        modify.isFlattened(), upsert, partition);
  }

  /** {@code modify} (a logical one) as the Enumerable operator over {@code input}. */
  static QuiverTableModify enumerable(TableModify modify, RelNode input) {
    boolean upsert = modify instanceof QuiverTableModify q && q.upsert;
    String partition = modify instanceof QuiverTableModify q ? q.partition : null;
    return new QuiverTableModify(modify.getCluster(),
        modify.getTraitSet().replace(EnumerableConvention.INSTANCE), modify.getTable(),
        modify.getCatalogReader(), input, modify.getOperation(), modify.getUpdateColumnList(),
        modify.getSourceExpressionList(), modify.isFlattened(), upsert, partition);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .itemIf("upsert", true, upsert)
        .itemIf("partition", partition, partition != null);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new QuiverTableModify(getCluster(), traitSet, getTable(), getCatalogReader(),
        sole(inputs), getOperation(), getUpdateColumnList(), getSourceExpressionList(),
        isFlattened(), upsert, partition);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
    Expression rows = builder.append("rows", input.block);
    ModifyExecutor executor = new ModifyExecutor(
        getTable().unwrap(QuiverTable.class), getOperation(), upsert, partition);
    Expression exec = implementor.stash(executor, ModifyExecutor.class);
    builder.add(Expressions.return_(null, Expressions.call(exec, EXECUTE, rows)));
    PhysType physType = PhysTypeImpl.of(
        implementor.getTypeFactory(), getRowType(), JavaRowFormat.SCALAR);
    return implementor.result(physType, builder.toBlock());
  }
}
