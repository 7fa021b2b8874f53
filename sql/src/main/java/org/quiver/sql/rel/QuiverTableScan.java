package org.quiver.sql.rel;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.hint.RelHint;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;
import org.quiver.sql.schema.QuiverTable;

/**
 * Reads a Quiver table through the engine's query path, with the part of the WHERE clause that
 * the engine can evaluate pushed into it ({@code condition}, null: none). It carries the hints of
 * its table reference and query block ({@link QuiverHints}).
 */
public final class QuiverTableScan extends TableScan implements EnumerableRel {
  private final QuiverTable quiverTable;
  private final RexNode condition;
  /** The primary keys the condition names, looked up instead of a scan; null: a scan. */
  private final List<RexNode> keys;

  /** Why a sort by distance above this scan is not an engine search; null: not such a scan. */
  private final String fallback;

  public QuiverTableScan(RelOptCluster cluster, RelTraitSet traits, List<RelHint> hints,
      RelOptTable table, QuiverTable quiverTable) {
    this(cluster, traits, hints, table, quiverTable, null, null);
  }

  QuiverTableScan(RelOptCluster cluster, RelTraitSet traits, List<RelHint> hints,
      RelOptTable table, QuiverTable quiverTable, RexNode condition, String fallback) {
    super(cluster, traits, hints, table);
    this.quiverTable = quiverTable;
    this.condition = condition;
    this.fallback = fallback;
    this.keys = KeyCondition.keys(quiverTable, cluster.getRexBuilder(), condition);
  }

  public QuiverTable quiverTable() {
    return quiverTable;
  }

  public RexNode condition() {
    return condition;
  }

  String fallback() {
    return fallback;
  }

  /** The partitions read ({@code /*+ partitions(...) *}{@code /} on this table), or null: all. */
  List<String> partitions() {
    return QuiverHints.partitions(getHints());
  }

  /** This scan, noting why the distance sort above it is not an engine search. */
  QuiverTableScan withFallback(String reason) {
    return new QuiverTableScan(getCluster(), getTraitSet(), getHints(), getTable(), quiverTable,
        condition, reason);
  }

  /** This scan with {@code pushed} evaluated by the engine. */
  QuiverTableScan withCondition(RexNode pushed) {
    return new QuiverTableScan(getCluster(), getTraitSet(), getHints(), getTable(), quiverTable,
        pushed, fallback);
  }

  /** This scan reading {@code table} instead (the same table as of another time). */
  QuiverTableScan reading(QuiverTable table) {
    return new QuiverTableScan(getCluster(), getTraitSet(), getHints(), getTable(), table,
        condition, fallback);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new QuiverTableScan(getCluster(), traitSet, getHints(), getTable(), quiverTable,
        condition, fallback);
  }

  @Override
  public RelNode withHints(List<RelHint> hints) {
    return new QuiverTableScan(getCluster(), getTraitSet(), hints, getTable(), quiverTable,
        condition, fallback);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .itemIf("key_lookup",
            keys == null ? null : keys.stream().map(KeyCondition::describe).toList(), keys != null)
        .itemIf("filter", condition, condition != null)
        .itemIf("partitions", partitions(), partitions() != null)
        .itemIf("asOf", quiverTable.asOf(), quiverTable.asOf() != null)
        .itemIf("why", fallback, fallback != null);
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    if (keys != null) {
      return keys.size();
    }
    double rows = super.estimateRowCount(mq);
    return condition == null ? rows : rows * 0.25;
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double rows = estimateRowCount(mq);
    if (fallback != null) {
      // The same scan, annotated: a hair cheaper (Volcano compares row counts), so that the plan
      // shown is the annotated one.
      rows *= 0.999;
    }
    return planner.getCostFactory().makeCost(rows, rows, 0);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = RowFormats.physType(implementor, getRowType());
    FilterTranslator translator = new FilterTranslator(quiverTable, getCluster().getRexBuilder());
    ScanExecutor executor = new ScanExecutor(
        quiverTable, condition == null ? null : translator.translate(condition), keys,
        partitions());
    Expression exec = implementor.stash(executor, ScanExecutor.class);
    return implementor.result(physType,
        Blocks.toBlock(RowFormats.shape(physType,
            Expressions.call(exec, "execute", DataContext.ROOT))));
  }
}
