package org.quiver.grammar;

import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quiver.grammar.ast.SqlDescribeTable;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quiver.grammar.Parsing.parse;
import static org.quiver.grammar.Parsing.parseExpression;
import static org.quiver.grammar.Parsing.unparse;

/**
 * Validates parsed statements against a catalog shaped like the SQL layer's: SHOW TABLES and
 * DESCRIBE are ordinary queries of the system schema, and distance operators become calls of the
 * distance functions registered in the schema.
 */
class QuiverSqlValidationTest {

  /** Stand-ins for the SQL layer's distance functions; only their signatures matter here. */
  public static final class Distances {
    private Distances() {
    }

    public static double distance(String a, String b) {
      throw new UnsupportedOperationException("never executed");
    }
  }

  private final JavaTypeFactoryImpl typeFactory = new JavaTypeFactoryImpl();

  private SqlValidator validator(boolean callRewrite) {
    CalciteSchema root = CalciteSchema.createRootSchema(false);
    SchemaPlus rootPlus = root.plus();
    SchemaPlus sys = rootPlus.add(QuiverNames.SYSTEM_SCHEMA, new AbstractSchema());
    sys.add(QuiverNames.TABLES, table(f -> f.builder()
        .add(QuiverNames.TABLE_NAME, SqlTypeName.VARCHAR)
        .build()));
    sys.add(QuiverNames.COLUMNS, table(f -> f.builder()
        .add(QuiverNames.TABLE_NAME, SqlTypeName.VARCHAR)
        .add(QuiverNames.COLUMN_NAME, SqlTypeName.VARCHAR)
        .add(QuiverNames.DATA_TYPE, SqlTypeName.VARCHAR)
        .add(QuiverNames.NULLABLE, SqlTypeName.BOOLEAN)
        .add(QuiverNames.PRIMARY_KEY, SqlTypeName.BOOLEAN)
        .add(QuiverNames.ORDINAL, SqlTypeName.INTEGER)
        .build()));
    rootPlus.add("t", table(f -> f.builder()
        .add("id", SqlTypeName.BIGINT)
        .add("v", SqlTypeName.VARCHAR)
        .build()));
    for (String function : List.of(QuiverNames.L2_DISTANCE_FUNCTION,
        QuiverNames.COSINE_DISTANCE_FUNCTION, QuiverNames.NEGATIVE_INNER_PRODUCT_FUNCTION)) {
      rootPlus.add(function, ScalarFunctionImpl.create(Distances.class, "distance"));
    }
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    CalciteCatalogReader catalog = new CalciteCatalogReader(root, List.of(), typeFactory,
        new CalciteConnectionConfigImpl(properties));
    return SqlValidatorUtil.newValidator(
        SqlOperatorTables.chain(SqlStdOperatorTable.instance(), catalog), catalog, typeFactory,
        SqlValidator.Config.DEFAULT.withCallRewrite(callRewrite));
  }

  private static AbstractTable table(Function<RelDataTypeFactory, RelDataType> rowType) {
    return new AbstractTable() {
      @Override public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        return rowType.apply(typeFactory);
      }
    };
  }

  @Test void showTablesValidatesAsAQuery() throws SqlParseException {
    SqlNode parsed = parse("SHOW TABLES");
    SqlValidator validator = validator(true);
    SqlNode validated = validator.validate(parsed);
    assertSame(parsed, validated);
    assertEquals(List.of("table_name"), fieldNames(validator.getValidatedNodeType(validated)));
    assertEquals("SHOW TABLES", unparse(validated));
  }

  @Test void describeValidatesAsAQuery() throws SqlParseException {
    SqlNode parsed = parse("DESCRIBE TABLE T");
    SqlValidator validator = validator(true);
    SqlNode validated = validator.validate(parsed);
    SqlDescribeTable describe = assertInstanceOf(SqlDescribeTable.class, validated);
    assertEquals(List.of("column_name", "data_type", "nullable", "primary_key"),
        fieldNames(validator.getValidatedNodeType(describe)));
    assertEquals("DESCRIBE \"t\"", unparse(describe));
  }

  @ParameterizedTest
  @CsvSource({
      "<->, l2_distance",
      "<=>, cosine_distance",
      "<#>, negative_inner_product",
  })
  void distanceIsRewrittenToItsFunction(String symbol, String function)
      throws SqlParseException {
    SqlValidator validator = validator(true);
    SqlSelect select = (SqlSelect) validator.validate(
        parse("SELECT v " + symbol + " '[1,2]' AS d FROM t ORDER BY d LIMIT 10"));
    RelDataType rowType = validator.getValidatedNodeType(select);
    assertEquals(List.of("d"), fieldNames(rowType));
    assertEquals(SqlTypeName.DOUBLE, rowType.getFieldList().get(0).getType().getSqlTypeName());
    SqlCall as = (SqlCall) select.getSelectList().get(0);
    SqlCall call = as.operand(0);
    assertInstanceOf(SqlFunction.class, call.getOperator());
    assertEquals(function, call.getOperator().getName());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT id FROM t ORDER BY v <-> ? LIMIT 5",
      "SELECT v <=> ? AS d FROM t",
      "SELECT id FROM t WHERE ? <#> v < 0.5",
  })
  void parameterNextToDistanceIsAsBound(String sql) throws SqlParseException {
    SqlValidator validator = validator(true);
    SqlNode validated = validator.validate(parse(sql));
    RelDataType parameters = validator.getParameterRowType(validated);
    assertEquals(SqlTypeName.ANY,
        parameters.getFieldList().get(0).getType().getSqlTypeName());
  }

  @Test void rewriteCallNamesTheFunction() throws SqlParseException {
    SqlCall call = (SqlCall) parseExpression("v <-> [1, 2]");
    SqlCall rewritten = (SqlCall) QuiverOperators.L2_DISTANCE.rewriteCall(validator(true), call);
    SqlUnresolvedFunction function =
        assertInstanceOf(SqlUnresolvedFunction.class, rewritten.getOperator());
    assertEquals("l2_distance", function.getName());
    assertEquals(SqlFunctionCategory.USER_DEFINED_FUNCTION, function.getFunctionType());
    assertSame(call.operand(0), rewritten.operand(0));
    assertSame(call.operand(1), rewritten.operand(1));
    assertEquals("\"l2_distance\"(\"v\", '[1.0,2.0]')", unparse(rewritten));
  }

  @Test void rewriteCallCastsAParameterToAny() throws SqlParseException {
    SqlCall call = (SqlCall) parseExpression("? <=> v");
    SqlNode rewritten = QuiverOperators.COSINE_DISTANCE.rewriteCall(validator(true), call);
    assertEquals("\"cosine_distance\"(CAST(? AS ANY), \"v\")", unparse(rewritten));
  }

  @Test void unrewrittenDistanceIsDouble() throws SqlParseException {
    SqlValidator validator = validator(false);
    SqlNode validated = validator.validate(parse("SELECT v <=> v AS d, v <#> ? AS e FROM t"));
    List<RelDataTypeField> fields = validator.getValidatedNodeType(validated).getFieldList();
    assertEquals(SqlTypeName.DOUBLE, fields.get(0).getType().getSqlTypeName());
    assertEquals(SqlTypeName.DOUBLE, fields.get(1).getType().getSqlTypeName());
    SqlSelect select = (SqlSelect) validated;
    SqlCall distance = ((SqlCall) select.getSelectList().get(0)).operand(0);
    assertSame(QuiverOperators.COSINE_DISTANCE, distance.getOperator());
    assertEquals(SqlTypeName.ANY, validator.getParameterRowType(validated).getFieldList()
        .get(0).getType().getSqlTypeName());
  }

  private static List<String> fieldNames(RelDataType rowType) {
    return rowType.getFieldList().stream().map(RelDataTypeField::getName).toList();
  }
}
