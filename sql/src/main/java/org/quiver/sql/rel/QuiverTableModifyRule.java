package org.quiver.sql.rel;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.sql.schema.QuiverTable;

/** Turns an INSERT, UPSERT or DELETE on a Quiver table into a {@link QuiverTableModify}. */
public final class QuiverTableModifyRule extends ConverterRule {
  static final Config CONFIG = Config.INSTANCE
      .withConversion(LogicalTableModify.class,
          (LogicalTableModify m) -> m.getTable().unwrap(QuiverTable.class) != null,
          Convention.NONE, EnumerableConvention.INSTANCE, "QuiverTableModifyRule")
      .withRuleFactory(QuiverTableModifyRule::new);

  private QuiverTableModifyRule(Config config) {
    super(config);
  }

  @Override
  public RelNode convert(RelNode rel) {
    LogicalTableModify modify = (LogicalTableModify) rel;
    // Calcite builds UPDATE and MERGE without asking the table; refuse them here, or they would
    // run as inserts.
    if (!modify.isInsert() && !modify.isDelete()) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "%s is not supported yet on table \"%s\"; use DELETE and INSERT",
          modify.getOperation(), modify.getTable().unwrap(QuiverTable.class).name());
    }
    return new QuiverTableModify(modify.getCluster(),
        modify.getTraitSet().replace(EnumerableConvention.INSTANCE), modify.getTable(),
        modify.getCatalogReader(),
        convert(modify.getInput(), modify.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)),
        modify.getOperation(), modify.getUpdateColumnList(), modify.getSourceExpressionList(),
        modify.isFlattened(), modify.isInsert() && UpsertStatements.current());
  }
}
