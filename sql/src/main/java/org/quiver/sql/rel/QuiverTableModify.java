package org.quiver.sql.rel;

import java.lang.reflect.Method;
import java.util.List;
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
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rex.RexNode;
import org.quiver.sql.schema.QuiverTable;

/** INSERT, UPSERT or DELETE on a Quiver table: hands all rows of its input to the engine as one task. */
public final class QuiverTableModify extends TableModify implements EnumerableRel {
  // Resolved once: the input's static type varies (Enumerable, AbstractEnumerable, ...).
  private static final Method EXECUTE =
      Types.lookupMethod(ModifyExecutor.class, "execute", Enumerable.class);

  /** An INSERT that replaces the live rows of its keys ({@code UPSERT INTO}). */
  private final boolean upsert;

  QuiverTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table,
      Prepare.CatalogReader catalogReader, RelNode input, Operation operation,
      List<String> updateColumnList, List<RexNode> sourceExpressionList, boolean flattened,
      boolean upsert) {
    super(cluster, traits, table, catalogReader, input, operation, updateColumnList,
        sourceExpressionList, flattened);
    this.upsert = upsert;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).itemIf("upsert", true, upsert);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new QuiverTableModify(getCluster(), traitSet, getTable(), getCatalogReader(),
        sole(inputs), getOperation(), getUpdateColumnList(), getSourceExpressionList(),
        isFlattened(), upsert);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
    Expression rows = builder.append("rows", input.block);
    ModifyExecutor executor = new ModifyExecutor(
        getTable().unwrap(QuiverTable.class), getOperation(), upsert);
    Expression exec = implementor.stash(executor, ModifyExecutor.class);
    builder.add(Expressions.return_(null, Expressions.call(exec, EXECUTE, rows)));
    PhysType physType = PhysTypeImpl.of(
        implementor.getTypeFactory(), getRowType(), JavaRowFormat.SCALAR);
    return implementor.result(physType, builder.toBlock());
  }
}
