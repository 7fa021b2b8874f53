package org.quiver.sql.rel;

import java.util.function.Function;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * A rule configuration written out by hand (Calcite generates its own with Immutables, which
 * this build does not run).
 */
record QuiverRuleConfig(
    RelBuilderFactory relBuilderFactory,
    String description,
    RelRule.OperandTransform operandSupplier,
    Function<QuiverRuleConfig, RelOptRule> factory) implements RelRule.Config {

  static QuiverRuleConfig of(String description, RelRule.OperandTransform operands,
      Function<QuiverRuleConfig, RelOptRule> factory) {
    return new QuiverRuleConfig(RelFactories.LOGICAL_BUILDER, description, operands, factory);
  }

  @Override
  public RelOptRule toRule() {
    return factory.apply(this);
  }

  @Override
  public RelRule.Config withRelBuilderFactory(RelBuilderFactory f) {
    return new QuiverRuleConfig(f, description, operandSupplier, factory);
  }

  @Override
  public RelRule.Config withDescription(String d) {
    return new QuiverRuleConfig(relBuilderFactory, d, operandSupplier, factory);
  }

  @Override
  public RelRule.Config withOperandSupplier(RelRule.OperandTransform t) {
    return new QuiverRuleConfig(relBuilderFactory, description, t, factory);
  }
}
