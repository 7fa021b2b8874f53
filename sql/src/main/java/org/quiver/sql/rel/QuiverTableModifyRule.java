package org.quiver.sql.rel;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.TableModify;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.schema.QuiverTable;

/**
 * Turns an INSERT, UPSERT or DELETE on a Quiver table (a logical {@link QuiverTableModify}, or
 * Calcite's {@code LogicalTableModify}) into the Enumerable {@link QuiverTableModify}.
 */
public final class QuiverTableModifyRule extends ConverterRule {
  static final Config CONFIG = Config.INSTANCE
      .withConversion(TableModify.class,
          (TableModify m) -> m.getTable().unwrap(QuiverTable.class) != null,
          Convention.NONE, EnumerableConvention.INSTANCE, "QuiverTableModifyRule")
      .withRuleFactory(QuiverTableModifyRule::new);

  private QuiverTableModifyRule(Config config) {
    super(config);
  }

  @Override
  public RelNode convert(RelNode rel) {
    TableModify modify = (TableModify) rel;
    // Calcite builds UPDATE and MERGE without asking the table; refuse them here, or they would
    // run as inserts.
    if (!modify.isInsert() && !modify.isDelete()) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "%s is not supported yet on table \"%s\"; use DELETE and INSERT",
          modify.getOperation(), modify.getTable().unwrap(QuiverTable.class).name());
    }
    return QuiverTableModify.enumerable(modify, convert(modify.getInput(),
        modify.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)));
  }
}
