package org.quiver.sql.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;

/**
 * Pushes the conjuncts of a filter that the engine can evaluate into the Quiver scan below it; the
 * rest stays a filter above.
 */
public final class FilterIntoScanRule extends RelRule<QuiverRuleConfig> {
  static final QuiverRuleConfig CONFIG = QuiverRuleConfig.of("FilterIntoScanRule",
      b0 -> b0.operand(LogicalFilter.class).oneInput(b1 ->
          b1.operand(QuiverTableScan.class).predicate(s -> s.condition() == null).noInputs()),
      FilterIntoScanRule::new);

  private FilterIntoScanRule(QuiverRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalFilter filter = call.rel(0);
    QuiverTableScan scan = call.rel(1);
    FilterTranslator translator =
        new FilterTranslator(scan.quiverTable(), scan.getCluster().getRexBuilder());
    List<RexNode> pushed = new ArrayList<>();
    List<RexNode> kept = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      (translator.translate(conjunct) != null ? pushed : kept).add(conjunct);
    }
    if (pushed.isEmpty()) {
      return;
    }
    RexNode condition = RexUtil.composeConjunction(scan.getCluster().getRexBuilder(), pushed);
    RelBuilder builder = call.builder().push(scan.withCondition(condition));
    if (!kept.isEmpty()) {
      builder.filter(kept);
    }
    call.transformTo(builder.build());
  }
}
