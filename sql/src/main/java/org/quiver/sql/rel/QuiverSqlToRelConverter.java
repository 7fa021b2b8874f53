package org.quiver.sql.rel;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.quiver.sql.schema.QuiverTable;

/**
 * Calcite's SQL-to-relational conversion with Quiver's hints ({@link QuiverHints#STRATEGIES}) and
 * Quiver's writes: an INSERT or UPSERT into a Quiver table becomes a logical
 * {@link QuiverTableModify} that says whether it is an UPSERT (Calcite converts both keywords to
 * the same INSERT) and which partition its target table is hinted with (Calcite reads no hints on
 * a target table).
 */
public final class QuiverSqlToRelConverter extends SqlToRelConverter {

  public QuiverSqlToRelConverter(RelOptTable.ViewExpander viewExpander, SqlValidator validator,
      Prepare.CatalogReader catalogReader, RelOptCluster cluster,
      SqlRexConvertletTable convertletTable, Config config) {
    super(viewExpander, validator, catalogReader, cluster, convertletTable,
        config.withHintStrategyTable(QuiverHints.STRATEGIES));
  }

  /**
   * Converts a query block as Calcite does, then hands the block's hints down to its scans at
   * once. Calcite attaches a SELECT's hints to the block's top node and propagates them only when
   * the whole statement is converted; by then the enclosing block may have merged that node away
   * (an aggregate over a sub-query drops the sub-query's final projection), and its hints with it.
   */
  @Override
  protected void convertSelectImpl(Blackboard bb, Blackboard enclosing, SqlSelect select) {
    super.convertSelectImpl(bb, enclosing, select);
    if (select.hasHints()) {
      bb.setRoot(RelOptUtil.propagateRelHints(bb.root(), false), true);
    }
  }

  @Override
  protected RelNode convertInsert(SqlInsert insert) {
    RelNode converted = super.convertInsert(insert);
    if (!(converted instanceof TableModify modify)
        || modify.getTable().unwrap(QuiverTable.class) == null) {
      return converted;
    }
    return QuiverTableModify.insert(modify, insert.isUpsert(), targetPartition(insert));
  }

  /** The one partition hinted on the INSERT's target table, or null (the parse checks ensure one). */
  private static String targetPartition(SqlInsert insert) {
    if (insert.getTargetTable().getKind() != SqlKind.TABLE_REF) {
      return null;
    }
    SqlNodeList hints = ((SqlCall) insert.getTargetTable()).operand(1);
    List<String> partitions = QuiverHints.partitions(SqlUtil.getRelHint(QuiverHints.STRATEGIES, hints));
    return partitions == null ? null : partitions.getFirst();
  }
}
