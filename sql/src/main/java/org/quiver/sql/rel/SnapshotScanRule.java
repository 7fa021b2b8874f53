package org.quiver.sql.rel;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Snapshot;

/**
 * Time travel: turns {@code Snapshot(period) - QuiverTableScan} ({@code FROM t FOR SYSTEM_TIME AS
 * OF period}) into a scan of the table as of that time, so that filters and vector searches over
 * it are planned as over any scan, and the engine reads the row versions and deletes of then.
 * Calcite's field trimming may have put a projection between the two; it stays above the scan.
 */
public final class SnapshotScanRule extends RelRule<QuiverRuleConfig> {
  static final QuiverRuleConfig DIRECT = QuiverRuleConfig.of("SnapshotScanRule",
      b0 -> b0.operand(Snapshot.class).oneInput(b1 ->
          b1.operand(QuiverTableScan.class).predicate(s -> s.quiverTable().asOf() == null)
              .noInputs()),
      SnapshotScanRule::new);
  static final QuiverRuleConfig PROJECTED = QuiverRuleConfig.of("SnapshotProjectScanRule",
      b0 -> b0.operand(Snapshot.class).oneInput(b1 ->
          b1.operand(Project.class).oneInput(b2 ->
              b2.operand(QuiverTableScan.class).predicate(s -> s.quiverTable().asOf() == null)
                  .noInputs())),
      SnapshotScanRule::new);

  private SnapshotScanRule(QuiverRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Snapshot snapshot = call.rel(0);
    QuiverTableScan scan = call.rel(call.rels.length - 1);
    QuiverTableScan past = scan.reading(scan.quiverTable().asOf(snapshot.getPeriod()));
    if (call.rels.length == 2) {
      call.transformTo(past);
    } else {
      Project project = call.rel(1);
      call.transformTo(project.copy(project.getTraitSet(), past, project.getProjects(),
          project.getRowType()));
    }
  }
}
