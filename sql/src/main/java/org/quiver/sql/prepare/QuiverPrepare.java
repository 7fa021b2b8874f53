package org.quiver.sql.prepare;

import java.lang.reflect.Type;
import java.sql.Types;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.sql.jdbc.VectorParameters;
import org.quiver.sql.rel.QuiverRules;
import org.quiver.sql.rel.PartitionHints;
import org.quiver.sql.rel.SearchHints;
import org.quiver.sql.rel.UpsertStatements;
import org.quiver.sql.type.VectorConvertlets;
import org.quiver.sql.type.VectorTypeCoercion;

/**
 * Calcite's statement preparation with Quiver's planner rules and Quiver's vector type: text
 * coerced to vectors where they are expected, casts of vectors, and vectors described to JDBC.
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
    describeVectors(signature);
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
      protected SqlValidator createSqlValidator(Prepare.CatalogReader catalogReader,
          UnaryOperator<SqlValidator.Config> configTransform) {
        return super.createSqlValidator(catalogReader,
            c -> VectorTypeCoercion.configure(configTransform.apply(c)));
      }

      @Override
      protected RelNode decorrelate(SqlToRelConverter converter, SqlNode query, RelNode root) {
        return PerRowSearch.decide(root) ? root : super.decorrelate(converter, query, root);
      }
    };
  }

  /**
   * Reports vector columns and parameters to JDBC, named {@code VECTOR(n)}: a column as OTHER
   * holding its {@code VectorValue}, so that {@code getObject} hands out the value itself, not
   * its text (Quiver's driver shows the column to applications as VARCHAR, see {@code
   * VectorJdbc}); a parameter as VARCHAR, which takes text and arrays alike. A distance function's
   * operand, whose dimension the function checks, is named {@code VECTOR}.
   */
  private static void describeVectors(CalciteSignature<?> signature) {
    List<ColumnMetaData> columns = signature.columns;
    List<RelDataTypeField> fields = signature.rowType == null ? List.of()
        : signature.rowType.getFieldList();
    for (int i = 0; i < columns.size() && i < fields.size(); i++) {
      ColumnMetaData c = columns.get(i);
      if (!(fields.get(i).getType() instanceof VectorSqlType vector)) {
        continue;
      }
      columns.set(i, new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive,
          c.searchable, c.currency, c.nullable, c.signed, c.displaySize, c.label, c.columnName,
          c.schemaName, vector.dimension(), c.scale, c.tableName, c.catalogName,
          ColumnMetaData.scalar(Types.OTHER, vector.toString(), ColumnMetaData.Rep.OBJECT),
          c.readOnly, c.writable, c.definitelyWritable, c.columnClassName));
    }
    List<AvaticaParameter> parameters = signature.parameters;
    for (int i = 0; i < parameters.size(); i++) {
      AvaticaParameter p = parameters.get(i);
      String name = p.parameterType == Types.OTHER
          ? VectorParameters.VECTOR_PREFIX + p.precision + ")"
          : p.parameterType == Types.JAVA_OBJECT ? VectorParameters.ANY_VECTOR : null;
      if (name != null) {
        parameters.set(i, new AvaticaParameter(p.signed, p.precision, p.scale, Types.VARCHAR,
            name, String.class.getName(), p.name));
      }
    }
  }

  /** Casts to and from vectors, and ordered comparisons of vectors: {@link VectorConvertlets}. */
  @Override
  protected SqlRexConvertletTable createConvertletTable() {
    return new VectorConvertlets(super.createConvertletTable());
  }
}
