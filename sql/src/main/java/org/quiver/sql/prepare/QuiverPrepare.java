package org.quiver.sql.prepare;

import java.lang.reflect.Type;
import java.sql.Types;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.schema.Table;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql.SqlNode;
import org.quiver.sql.rel.QuiverRules;
import org.quiver.sql.rel.PartitionHints;
import org.quiver.sql.rel.SearchHints;
import org.quiver.sql.rel.UpsertStatements;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;

/**
 * Calcite's statement preparation with Quiver's planner rules, and with result columns that come
 * from a vector column reported as type {@code VECTOR} (they travel as VARCHAR text).
 */
public final class QuiverPrepare extends CalcitePrepareImpl {

  @Override
  protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext, RelOptCostFactory costFactory) {
    if (externalContext == null) {
      externalContext = Contexts.of(PerRowSearch.config(prepareContext.config()));
    }
    RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
    // Quiver tables are written only through QuiverTableModify.
    planner.removeRule(EnumerableRules.ENUMERABLE_TABLE_MODIFICATION_RULE);
    QuiverRules.ALL.forEach(planner::addRule);
    return planner;
  }

  @Override
  public <T> CalciteSignature<T> prepareSql(Context context, Query<T> query, Type elementType,
      long maxRowCount) {
    CalciteSignature<T> signature;
    if (query.sql != null) {
      StatementLimits.checkText(query.sql);
    }
    PartitionHints.forget();
    try (Hook.Closeable check = Hook.PARSE_TREE.addThread((Object[] parsed) -> {
      StatementLimits.checkTree((SqlNode) parsed[1]);
      ParseTreeChecks.check(context.getRootSchema(), (SqlNode) parsed[1]);
      SearchHints.remember((SqlNode) parsed[1]);
      UpsertStatements.remember((SqlNode) parsed[1]);
    })) {
      signature = super.prepareSql(context, query, elementType, maxRowCount);
    } finally {
      SearchHints.forget();
      PerRowSearch.forget();
      UpsertStatements.forget();
      PartitionHints.forget();
    }
    markVectorColumns(context.getRootSchema(), signature.columns);
    return signature;
  }

  @Override
  protected CalcitePreparingStmt getPreparingStmt(Context context, Type elementType,
      CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    return new CalcitePreparingStmt(this, context, catalogReader, context.getTypeFactory(),
        context.getRootSchema(), prefer,
        createCluster(planner, new RexBuilder(context.getTypeFactory())),
        EnumerableConvention.INSTANCE,
        createConvertletTable()) {
      @Override
      protected RelNode decorrelate(SqlToRelConverter converter, SqlNode query, RelNode root) {
        return PerRowSearch.decide(root) ? root : super.decorrelate(converter, query, root);
      }
    };
  }

  private static void markVectorColumns(CalciteSchema root, List<ColumnMetaData> columns) {
    for (int i = 0; i < columns.size(); i++) {
      ColumnMetaData c = columns.get(i);
      if (c.tableName == null || c.columnName == null || c.type.id != Types.VARCHAR
          || !isVectorColumn(root, c.schemaName, c.tableName, c.columnName)) {
        continue;
      }
      columns.set(i, new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive,
          c.searchable, c.currency, c.nullable, c.signed, c.displaySize, c.label, c.columnName,
          c.schemaName, c.precision, c.scale, c.tableName, c.catalogName,
          ColumnMetaData.scalar(Types.VARCHAR, SqlTypes.VECTOR_TYPE_NAME,
              ColumnMetaData.Rep.STRING),
          c.readOnly, c.writable, c.definitelyWritable, c.columnClassName));
    }
  }

  private static boolean isVectorColumn(CalciteSchema root, String schema, String table,
      String column) {
    CalciteSchema s = schema == null ? null : root.getSubSchema(schema, true);
    CalciteSchema.TableEntry entry = s == null ? null : s.getTable(table, true);
    Table t = entry == null ? null : entry.getTable();
    if (!(t instanceof QuiverTable qt)) {
      return false;
    }
    return qt.info().schema().field(column).map(f -> f.isVector()).orElse(false);
  }
}
