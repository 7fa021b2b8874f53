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
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.quiver.grammar.QuiverConformance;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.sql.jdbc.VectorParameters;
import org.quiver.sql.rel.QuiverRules;
import org.quiver.sql.rel.QuiverSqlToRelConverter;
import org.quiver.sql.type.VectorConvertlets;
import org.quiver.sql.type.VectorTypeCoercion;
import org.quiver.sql.type.VectorValidator;

/**
 * Calcite's statement preparation with Quiver's planner rules and Quiver's vector type: text
 * coerced to vectors where they are expected, casts of vectors, and vectors described to JDBC.
 */
public final class QuiverPrepare extends CalcitePrepareImpl {

  /**
   * Calcite's planner with Quiver's rules; its context holds the statement's
   * {@link PerRowSearch} decision ahead of the connection's configuration.
   */
  @Override
  protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.Context externalContext, RelOptCostFactory costFactory) {
    if (externalContext == null
        && prepareContext.config() instanceof CalciteConnectionConfigImpl config) {
      externalContext = Contexts.chain(new PerRowSearch(config), Contexts.of(config));
    }
    RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
    // Quiver tables are written only through QuiverTableModify.
    planner.removeRule(EnumerableRules.ENUMERABLE_TABLE_MODIFICATION_RULE);
    // Sorts are Quiver's (QuiverSortRule): Calcite's fail on a floating-point key's infinities.
    planner.removeRule(EnumerableRules.ENUMERABLE_SORT_RULE);
    planner.removeRule(EnumerableRules.ENUMERABLE_LIMIT_SORT_RULE);
    QuiverRules.ALL.forEach(planner::addRule);
    return planner;
  }

  @Override
  public <T> CalciteSignature<T> prepareSql(Context context, Query<T> query, Type elementType,
      long maxRowCount) {
    if (query.sql != null) {
      StatementLimits.checkText(query.sql);
    }
    CalciteSignature<T> signature = super.prepareSql(context, query, elementType, maxRowCount);
    describeVectors(signature);
    return signature;
  }

  /**
   * Calcite's parser as the connection configures it, with Quiver's conformance, which a
   * connection property cannot name (it takes only Calcite's own conformances).
   */
  @Override
  protected SqlParser createParser(String sql, SqlParser.Config parserConfig) {
    return super.createParser(sql, parserConfig.withConformance(QuiverConformance.INSTANCE));
  }

  /** Runs a DDL statement once it has passed the checks of every parsed statement. */
  @Override
  public void executeDdl(Context context, SqlNode node) {
    checkParsed(context, node);
    super.executeDdl(context, node);
  }

  /**
   * The checks of a statement between parsing and validation: its size and shape
   * ({@link StatementLimits}), then what Calcite would accept and get wrong
   * ({@link ParseTreeChecks}, which also resolves time travel to dropped tables).
   */
  private static void checkParsed(Context context, SqlNode node) {
    StatementLimits.checkTree(node);
    ParseTreeChecks.check(context.getRootSchema(), node);
  }

  @Override
  protected CalcitePreparingStmt getPreparingStmt(Context context, Type elementType,
      CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    RelOptCluster cluster = createCluster(planner, new RexBuilder(context.getTypeFactory()));
    return new CalcitePreparingStmt(this, context, catalogReader, context.getTypeFactory(),
        context.getRootSchema(), prefer, cluster, EnumerableConvention.INSTANCE,
        createConvertletTable()) {
      /** A query or DML statement, checked before Calcite validates it. */
      @Override
      public PreparedResult prepareSql(SqlNode sqlQuery, SqlNode sqlNodeOriginal,
          Class<?> runtimeContextClass, SqlValidator validator, boolean needsValidation) {
        checkParsed(context, sqlQuery);
        return super.prepareSql(sqlQuery, sqlNodeOriginal, runtimeContextClass, validator,
            needsValidation);
      }

      /** Quiver's hints and writes ({@link QuiverSqlToRelConverter}). */
      @Override
      protected SqlToRelConverter getSqlToRelConverter(SqlValidator validator,
          Prepare.CatalogReader catalogReader, SqlToRelConverter.Config config) {
        return new QuiverSqlToRelConverter(this, validator, catalogReader, cluster,
            convertletTable, config.withTopDownGeneralDecorrelationEnabled(
                context.config().topDownGeneralDecorrelationEnabled()));
      }

      @Override
      protected SqlValidator createSqlValidator(Prepare.CatalogReader catalogReader,
          UnaryOperator<SqlValidator.Config> configTransform) {
        SqlValidator calcite = super.createSqlValidator(catalogReader,
            c -> VectorTypeCoercion.configure(configTransform.apply(c)));
        return new VectorValidator(calcite.getOperatorTable(),
            (CalciteCatalogReader) catalogReader, context.getTypeFactory(), calcite.config());
      }

      @Override
      protected RelNode decorrelate(SqlToRelConverter converter, SqlNode query, RelNode root) {
        PerRowSearch perRowSearch = planner.getContext().unwrap(PerRowSearch.class);
        return perRowSearch != null && perRowSearch.keepCorrelations(root)
            ? root : super.decorrelate(converter, query, root);
      }
    };
  }

  /**
   * Reports vector columns and parameters to JDBC, named {@code VECTOR(n)} or {@code HALFVEC(n)}:
   * a column as OTHER holding its {@code VectorValue}, so that {@code getObject} hands out the
   * value itself, not its text (Quiver's driver shows the column to applications as VARCHAR, see
   * {@code VectorJdbc}); a parameter as VARCHAR, which takes text and arrays alike. A distance
   * function's operand, whose dimension the function checks, is named {@code VECTOR}.
   */
  private static void describeVectors(CalciteSignature<?> signature) {
    List<ColumnMetaData> columns = signature.columns;
    List<RelDataTypeField> fields = signature.rowType == null ? List.of()
        : signature.rowType.getFieldList();
    for (int i = 0; i < columns.size() && i < fields.size(); i++) {
      ColumnMetaData c = columns.get(i);
      RelDataType type = fields.get(i).getType();
      if (!(type instanceof VectorSqlType) && !(type instanceof BitSqlType)
          && !(type instanceof SparsevecSqlType)) {
        continue;
      }
      // A bit string is described as a vector is: OTHER holding its BitValue, named BIT(n).
      columns.set(i, new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive,
          c.searchable, c.currency, c.nullable, c.signed, c.displaySize, c.label, c.columnName,
          c.schemaName, Math.max(0, type.getPrecision()), 0, c.tableName, c.catalogName,
          ColumnMetaData.scalar(Types.OTHER, type.toString(), ColumnMetaData.Rep.OBJECT),
          c.readOnly, c.writable, c.definitelyWritable, c.columnClassName));
    }
    List<AvaticaParameter> parameters = signature.parameters;
    for (int i = 0; i < parameters.size(); i++) {
      AvaticaParameter p = parameters.get(i);
      // A vector parameter's scale is its element width (VectorSqlType.getScale): 16 a halfvec's,
      // 1 a bit string's (BitSqlType.getScale), 64 a sparse vector's (SparsevecSqlType.SCALE).
      String name = p.parameterType != Types.OTHER
          ? (p.parameterType == Types.JAVA_OBJECT ? VectorParameters.ANY_VECTOR : null)
          : p.scale == 1 ? (p.precision > 0 ? VectorParameters.BIT_PREFIX + p.precision + ")"
              : BitSqlType.NAME)
          : p.scale == SparsevecSqlType.SCALE ? (p.precision > 0
              ? VectorParameters.SPARSEVEC_PREFIX + p.precision + ")" : SparsevecSqlType.NAME)
          : (p.scale == VectorSqlType.Kind.HALFVEC.elementBits()
              ? VectorParameters.HALFVEC_PREFIX : VectorParameters.VECTOR_PREFIX)
              + p.precision + ")";
      if (name != null) {
        parameters.set(i, new AvaticaParameter(p.signed, p.precision,
            p.parameterType == Types.OTHER ? 0 : p.scale, Types.VARCHAR, name,
            String.class.getName(), p.name));
      }
    }
  }

  /** Casts to and from vectors, and ordered comparisons of vectors: {@link VectorConvertlets}. */
  @Override
  protected SqlRexConvertletTable createConvertletTable() {
    return new VectorConvertlets(super.createConvertletTable());
  }
}
