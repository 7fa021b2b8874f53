package org.quiver.grammar;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlHint;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.SqlTableRef;
import org.apache.calcite.util.Util;
import org.quiver.grammar.ast.SqlAlterAlias;
import org.quiver.grammar.ast.SqlAlterTablePartition;
import org.quiver.grammar.ast.SqlAlterTableRename;
import org.quiver.grammar.ast.SqlCompactTable;
import org.quiver.grammar.ast.SqlCreateAlias;
import org.quiver.grammar.ast.SqlCreateIndex;
import org.quiver.grammar.ast.SqlDropAlias;
import org.quiver.grammar.ast.SqlDropIndex;
import org.quiver.grammar.ast.SqlShowChannels;
import org.quiver.grammar.ast.SqlShowSetting;
import org.quiver.grammar.ast.SqlShowTableObjects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDescribeSchema;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quiver.grammar.ast.SqlColumnDefinition;
import org.quiver.grammar.ast.SqlCreateExtension;
import org.quiver.grammar.ast.SqlCreateTable;
import org.quiver.grammar.ast.SqlDescribeTable;
import org.quiver.grammar.ast.SqlDistanceOperator;
import org.quiver.grammar.ast.SqlDropTable;
import org.quiver.grammar.ast.SqlFlushTable;
import org.quiver.grammar.ast.SqlLoadTable;
import org.quiver.grammar.ast.SqlReleaseTable;
import org.quiver.grammar.ast.SqlShowTables;
import org.quiver.grammar.ast.SqlTableCommand;
import org.quiver.grammar.ast.SqlTableOption;
import org.quiver.grammar.ast.SqlTruncateTable;
import org.quiver.grammar.ast.SqlVectorTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quiver.grammar.Parsing.parse;
import static org.quiver.grammar.Parsing.parseExpression;
import static org.quiver.grammar.Parsing.roundTrip;
import static org.quiver.grammar.Parsing.unparse;

/** Parse-then-unparse tests of every production Quiver adds to Calcite's parser. */
class QuiverSqlParserTest {

  // CREATE TABLE

  @Test void createTableWithInlinePrimaryKey() throws SqlParseException {
    SqlCreateTable create = (SqlCreateTable) roundTrip(
        "create table Docs (id BIGINT primary key not null, title varchar(20), emb Vector(128) NOT NULL)",
        "CREATE TABLE \"docs\" (\"id\" BIGINT NOT NULL PRIMARY KEY, \"title\" VARCHAR(20), "
            + "\"emb\" VECTOR(128) NOT NULL)");
    assertEquals(SqlKind.CREATE_TABLE, create.getKind());
    assertTrue(create.getKind().belongsTo(SqlKind.DDL));
    assertEquals("docs", create.name().getSimple());
    assertFalse(create.ifNotExists());
    assertEquals(List.of(), create.tablePrimaryKey());
    assertEquals(List.of(), create.options());

    List<SqlColumnDefinition> columns = create.columns();
    assertEquals(3, columns.size());
    SqlColumnDefinition id = columns.get(0);
    assertEquals("id", id.name().getSimple());
    assertTrue(id.notNull());
    assertTrue(id.primaryKey());
    assertFalse(id.isVector());
    assertEquals("BIGINT", id.type().getTypeName().getSimple());
    assertThrows(IllegalStateException.class, id::vectorDimension);

    SqlColumnDefinition title = columns.get(1);
    assertFalse(title.notNull());
    assertFalse(title.primaryKey());
    assertEquals("VARCHAR", title.type().getTypeName().getSimple());
    assertEquals(20, basicType(title).getPrecision());

    SqlColumnDefinition emb = columns.get(2);
    assertTrue(emb.isVector());
    assertEquals(128, emb.vectorDimension());
    assertTrue(emb.notNull());
    assertFalse(emb.primaryKey());
  }

  @Test void createTableWithTablePrimaryKeyAndOptions() throws SqlParseException {
    SqlCreateTable create = (SqlCreateTable) roundTrip(
        "CREATE TABLE IF NOT EXISTS s.Docs (id INT, v VECTOR(3) NULL, PRIMARY KEY (Id)) "
            + "WITH (metric = 'cosine', m = 16, ef = -1.5, quantize = true, Kind = HNSW)",
        "CREATE TABLE IF NOT EXISTS \"s\".\"docs\" (\"id\" INTEGER, \"v\" VECTOR(3), "
            + "PRIMARY KEY (\"id\")) WITH (\"metric\" = 'cosine', \"m\" = 16, \"ef\" = -1.5, "
            + "\"quantize\" = TRUE, \"kind\" = \"hnsw\")");
    assertTrue(create.ifNotExists());
    assertEquals(List.of("s", "docs"), create.name().names);
    assertEquals(List.of("id"), names(create.tablePrimaryKey()));
    assertFalse(create.columns().get(0).primaryKey());
    assertFalse(create.columns().get(1).notNull());

    List<SqlTableOption> options = create.options();
    assertEquals(List.of("metric", "m", "ef", "quantize", "kind"),
        options.stream().map(o -> o.key().getSimple()).toList());
    assertEquals("cosine", ((SqlLiteral) options.get(0).value()).getValueAs(String.class));
    assertEquals(16, ((SqlLiteral) options.get(1).value()).intValue(true));
    assertEquals(new BigDecimal("-1.5"),
        ((SqlLiteral) options.get(2).value()).getValueAs(BigDecimal.class));
    assertEquals(Boolean.TRUE, ((SqlLiteral) options.get(3).value()).booleanValue());
    assertEquals("hnsw", ((SqlIdentifier) options.get(4).value()).getSimple());
  }

  @Test void createTableAcceptsCalciteTypes() throws SqlParseException {
    roundTrip("create table t (a boolean, b tinyint, c smallint, d integer, e bigint, f real, "
            + "g double, h varchar(20), i timestamp, j decimal(10, 2), k date, l char(3), "
            + "m timestamp(3), n varchar)",
        "CREATE TABLE \"t\" (\"a\" BOOLEAN, \"b\" TINYINT, \"c\" SMALLINT, \"d\" INTEGER, "
            + "\"e\" BIGINT, \"f\" REAL, \"g\" DOUBLE, \"h\" VARCHAR(20), \"i\" TIMESTAMP, "
            + "\"j\" DECIMAL(10, 2), \"k\" DATE, \"l\" CHAR(3), \"m\" TIMESTAMP(3), \"n\" VARCHAR)");
  }

  @Test void vectorDimensionIsNotCheckedByTheParser() throws SqlParseException {
    SqlCreateTable create = (SqlCreateTable) roundTrip(
        "create table t (a vector(0), b vector(40000))",
        "CREATE TABLE \"t\" (\"a\" VECTOR(0), \"b\" VECTOR(40000))");
    assertEquals(0, create.columns().get(0).vectorDimension());
    assertEquals(40000, create.columns().get(1).vectorDimension());
  }

  @Test void vectorWithoutDimensionTakesTheValuesDimension() throws SqlParseException {
    SqlCreateTable create = (SqlCreateTable) roundTrip("create table t (a vector)",
        "CREATE TABLE \"t\" (\"a\" VECTOR)");
    SqlColumnDefinition a = create.columns().get(0);
    assertTrue(a.isVector());
    assertEquals(SqlVectorTypeNameSpec.ANY_DIMENSION, a.vectorDimension());
  }

  @Test void castToVector() throws SqlParseException {
    roundTrip("select cast(x as vector(3)) from t",
        "SELECT CAST(\"x\" AS VECTOR(3))\nFROM \"t\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "create or replace table t (a int)        | 1 | 1  | CREATE OR REPLACE TABLE is not supported",
      "create table t ()                        | 1 | 17 | Encountered \")\"",
      "create table t (a int not null null)     | 1 | 32 | Encountered \"null\"",
      "create table t (a int primary key primary key) | 1 | 35 | Encountered \"primary\"",
      "create table t (a int, primary key (a), primary key (a)) | 1 | 39 | Encountered \",\"",
      "create table t (a int, primary key ())   | 1 | 37 | Encountered \")\"",
      "create table t (a vector(-1))            | 1 | 26 | Encountered \"-\"",
      "create table t (a vector(2.5))           | 1 | 26 | Encountered \"2.5\"",
      "create table t (a vector(99999999999))   | 1 | 26 | Literal '99999999999' can not be parsed",
      "create table t (a int) with (k = 1 + 2)  | 1 | 36 | Encountered \"+\"",
      "create table t (a int) with ()           | 1 | 30 | Encountered \")\"",
  })
  void createTableErrors(String sql, int line, int column, String message) {
    assertSyntaxError(sql, line, column, message);
  }

  // DROP TABLE, LOAD / RELEASE / FLUSH TABLE

  @Test void dropTable() throws SqlParseException {
    SqlDropTable drop = (SqlDropTable) roundTrip("drop table T", "DROP TABLE \"t\"");
    assertEquals(SqlKind.DROP_TABLE, drop.getKind());
    assertTrue(drop.getKind().belongsTo(SqlKind.DDL));
    assertFalse(drop.ifExists());
    assertEquals("t", drop.name().getSimple());
  }

  @Test void dropTableIfExists() throws SqlParseException {
    SqlDropTable drop = (SqlDropTable) roundTrip("DROP TABLE IF EXISTS s.\"T\"",
        "DROP TABLE IF EXISTS \"s\".\"T\"");
    assertTrue(drop.ifExists());
    assertEquals(List.of("s", "T"), drop.name().names);
  }

  @ParameterizedTest
  @CsvSource({
      "load table Docs,    LOAD TABLE \"docs\",    SqlLoadTable",
      "RELEASE TABLE docs, RELEASE TABLE \"docs\", SqlReleaseTable",
      "Flush Table docs,   FLUSH TABLE \"docs\",   SqlFlushTable",
  })
  void tableCommands(String sql, String expected, String className) throws SqlParseException {
    SqlTableCommand command = (SqlTableCommand) roundTrip(sql, expected);
    assertEquals(className, command.getClass().getSimpleName());
    assertEquals(SqlKind.OTHER_DDL, command.getKind());
    assertTrue(command.getKind().belongsTo(SqlKind.DDL));
    assertEquals("docs", command.name().getSimple());
  }

  @Test void tableCommandClasses() throws SqlParseException {
    assertInstanceOf(SqlLoadTable.class, parse("load table t"));
    assertInstanceOf(SqlReleaseTable.class, parse("release table t"));
    assertInstanceOf(SqlFlushTable.class, parse("flush table t"));
  }

  // SHOW TABLES, DESCRIBE

  @Test void showTables() throws SqlParseException {
    SqlNode node = roundTrip("show tables", "SHOW TABLES");
    SqlShowTables show = assertInstanceOf(SqlShowTables.class, node);
    assertEquals(SqlKind.SELECT, show.getKind());
    assertEquals(List.of("table_name"), names(show.getSelectList()));
    assertEquals(List.of("sys", "tables"), ((SqlIdentifier) show.getFrom()).names);
    assertNull(show.getWhere());
    assertEquals(List.of("table_name"), names(show.getOrderList()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "describe Docs              | DESCRIBE \"docs\"         | docs",
      "DESCRIBE TABLE docs        | DESCRIBE \"docs\"         | docs",
      "describe table \"Docs\"    | DESCRIBE \"Docs\"         | Docs",
      "describe s.Docs            | DESCRIBE \"s\".\"docs\"   | docs",
      "describe load              | DESCRIBE \"load\"         | load",
  })
  void describeTable(String sql, String expected, String tableName) throws SqlParseException {
    SqlSelect select = assertInstanceOf(SqlDescribeTable.class, roundTrip(sql, expected));
    assertEquals(SqlKind.SELECT, select.getKind());
    assertEquals(List.of("column_name", "data_type", "nullable", "primary_key"),
        names(select.getSelectList()));
    assertEquals(List.of("sys", "columns"), ((SqlIdentifier) select.getFrom()).names);
    SqlCall where = (SqlCall) select.getWhere();
    assertNotNull(where);
    assertSame(SqlStdOperatorTable.EQUALS, where.getOperator());
    assertEquals("table_name", ((SqlIdentifier) where.operand(0)).getSimple());
    assertEquals(tableName, ((SqlLiteral) where.operand(1)).getValueAs(String.class));
    assertEquals(List.of("ordinal"), names(select.getOrderList()));
  }

  @Test void calciteDescribeFormsStillParse() throws SqlParseException {
    assertInstanceOf(SqlDescribeSchema.class, parse("describe schema s"));
    assertInstanceOf(SqlDescribeSchema.class, parse("describe database s"));
    assertInstanceOf(SqlExplain.class, parse("describe statement select 1"));
    assertInstanceOf(SqlExplain.class, parse("describe select 1"));
  }

  // Vector literals

  @Test void vectorLiteralIsItsCanonicalText() throws SqlParseException {
    SqlNode node = parseExpression("[1, 2.5, -3, +4e2, 0.1, 1.00000001]");
    SqlCharStringLiteral literal = assertInstanceOf(SqlCharStringLiteral.class, node);
    assertEquals("[1.0,2.5,-3.0,400.0,0.1,1.0]", literal.getValueAs(String.class));
  }

  @Test void vectorLiteralInValues() throws SqlParseException {
    SqlInsert insert = (SqlInsert) roundTrip(
        "insert into t values (1, [1, 2.5, -3]), (2, [0.001])",
        "INSERT INTO \"t\"\nVALUES ROW(1, '[1.0,2.5,-3.0]'),\nROW(2, '[0.001]')");
    SqlCall values = (SqlCall) insert.getSource();
    SqlCall row = values.operand(0);
    assertEquals("[1.0,2.5,-3.0]", ((SqlLiteral) row.operand(1)).getValueAs(String.class));
  }

  @Test void vectorLiteralInOrderBy() throws SqlParseException {
    SqlOrderBy orderBy = (SqlOrderBy) roundTrip(
        "select id from t order by v <-> [1,2] limit 5",
        "SELECT \"id\"\nFROM \"t\"\nORDER BY \"v\" <-> '[1.0,2.0]'\nFETCH NEXT 5 ROWS ONLY");
    SqlCall distance = (SqlCall) orderBy.orderList.get(0);
    assertSame(QuiverOperators.L2_DISTANCE, distance.getOperator());
    assertEquals("[1.0,2.0]", ((SqlLiteral) distance.operand(1)).getValueAs(String.class));
  }

  @Test void vectorLiteralAsDistanceOperand() throws SqlParseException {
    roundTrip("select v from t where [1, 2] <=> v < 0.5",
        "SELECT \"v\"\nFROM \"t\"\nWHERE '[1.0,2.0]' <=> \"v\" < 0.5");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "select []        | 1 | 8  | Encountered \"[ ]\"",
      "select [1, ]     | 1 | 12 | Encountered \"]\"",
      "select ['a']     | 1 | 8  | Encountered \"[",
      "select [1, x]    | 1 | 12 | Encountered \"x\"",
  })
  void vectorLiteralErrors(String sql, int line, int column, String message) {
    assertSyntaxError(sql, line, column, message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "select [1, 1e39]   | \"1E39\" is out of range for type vector (line 1, column 12)",
      "select [1, -1e39]  | \"-1E39\" is out of range for type vector (line 1, column 12)",
      "select [-3.5e38]   | \"-3.5E38\" is out of range for type vector (line 1, column 9)",
  })
  void vectorElementsNoFloatHoldsAreRangeErrors(String sql, String message) {
    SqlParseException e = assertThrows(SqlParseException.class, () -> parse(sql));
    ArithmeticException range = assertInstanceOf(ArithmeticException.class, e.getCause());
    assertEquals(message, range.getMessage());
  }

  @Test void vectorElementsInAFloatsRangeStay() throws SqlParseException {
    roundTrip("select [1e-45, 3.4e38, 0e-50]", "SELECT '[1.4E-45,3.4E38,0.0]'");
    // Below a float's smallest a number is zero of its sign, as pgvector reads vector text.
    roundTrip("select [1e-46, -1e-46]", "SELECT '[0.0,-0.0]'");
  }

  @Test void itemAccessStillParses() throws SqlParseException {
    SqlSelect select = (SqlSelect) roundTrip(
        "select a[1], a[1][2], array[1, 2][1], m['k'], map['a', 1] from t",
        "SELECT \"a\"[1], \"a\"[1][2], ARRAY[1, 2][1], \"m\"['k'], MAP['a', 1]\nFROM \"t\"");
    assertEquals(SqlKind.ITEM, select.getSelectList().get(0).getKind());
  }

  // Distance operators

  @ParameterizedTest
  @CsvSource({
      "<->, l2_distance",
      "<=>, cosine_distance",
      "<#>, negative_inner_product",
      "<+>, l1_distance",
      "<~>, hamming_distance",
      "<%>, jaccard_distance",
  })
  void distanceOperator(String symbol, String function) throws SqlParseException {
    SqlSelect select = (SqlSelect) roundTrip("select a" + symbol + "b from t",
        "SELECT \"a\" " + symbol + " \"b\"\nFROM \"t\"");
    SqlCall call = (SqlCall) select.getSelectList().get(0);
    SqlDistanceOperator operator = assertInstanceOf(SqlDistanceOperator.class, call.getOperator());
    assertEquals(symbol, operator.getName());
    assertEquals(function, operator.functionName());
    assertEquals("a", ((SqlIdentifier) call.operand(0)).getSimple());
    assertEquals("b", ((SqlIdentifier) call.operand(1)).getSimple());
  }

  @Test void distanceBindsTighterThanComparison() throws SqlParseException {
    SqlCall call = (SqlCall) parseExpression("v <-> q < 0.5");
    assertEquals(SqlKind.LESS_THAN, call.getKind());
    assertSame(QuiverOperators.L2_DISTANCE, ((SqlCall) call.operand(0)).getOperator());
    assertEquals("\"v\" <-> \"q\" < 0.5", unparse(call));
  }

  @Test void distanceBindsLooserThanPlus() throws SqlParseException {
    SqlCall call = (SqlCall) parseExpression("a <=> b + c");
    assertSame(QuiverOperators.COSINE_DISTANCE, call.getOperator());
    assertEquals(SqlKind.PLUS, call.operand(1).getKind());

    call = (SqlCall) parseExpression("a - b <#> c");
    assertSame(QuiverOperators.NEGATIVE_INNER_PRODUCT, call.getOperator());
    assertEquals(SqlKind.MINUS, call.operand(0).getKind());
  }

  @Test void distanceIsLeftAssociative() throws SqlParseException {
    SqlCall call = (SqlCall) parseExpression("a <-> b <=> c");
    assertSame(QuiverOperators.COSINE_DISTANCE, call.getOperator());
    assertSame(QuiverOperators.L2_DISTANCE, ((SqlCall) call.operand(0)).getOperator());
  }

  @Test void distanceKeepsNeededParentheses() throws SqlParseException {
    roundTrip("select (a <-> b) * c, a <-> (b <-> c), (a < b) <-> c from t",
        "SELECT (\"a\" <-> \"b\") * \"c\", \"a\" <-> (\"b\" <-> \"c\"), (\"a\" < \"b\") <-> \"c\"\n"
            + "FROM \"t\"");
  }

  // Bit strings

  @Test void bitStringLiteralIsACastToItsLength() throws SqlParseException {
    roundTrip("select B'101', b'0', B'10a1' from t",
        "SELECT CAST('101' AS BIT(3)), CAST('0' AS BIT(1)), CAST('10a1' AS BIT)\nFROM \"t\"");
    SqlCall cast = (SqlCall) parseExpression("B'1010'");
    assertEquals(SqlKind.CAST, cast.getKind());
    assertEquals("1010", ((SqlLiteral) cast.operand(0)).getValueAs(String.class));
  }

  @Test void bitTypeWithAndWithoutLength() throws SqlParseException {
    roundTrip("select '101'::bit, cast(x as bit(3)) from t",
        "SELECT CAST('101' AS BIT), CAST(\"x\" AS BIT(3))\nFROM \"t\"");
    SqlCreateTable create = (SqlCreateTable) parse("create table t (b bit(64000), c bit)");
    SqlColumnDefinition b = (SqlColumnDefinition) create.columns().get(0);
    assertTrue(b.isBit());
    assertEquals(64000, b.bitLength());
    assertEquals(-1, ((SqlColumnDefinition) create.columns().get(1)).bitLength());
  }

  @Test void sparsevecTypeWithAndWithoutDimension() throws SqlParseException {
    roundTrip("select '{1:1}/3'::sparsevec, cast(x as sparsevec(3)) from t",
        "SELECT CAST('{1:1}/3' AS SPARSEVEC), CAST(\"x\" AS SPARSEVEC(3))\nFROM \"t\"");
    SqlCreateTable create = (SqlCreateTable) parse(
        "create table t (s sparsevec(1000000000), u sparsevec, sparsevec int)");
    SqlColumnDefinition s = (SqlColumnDefinition) create.columns().get(0);
    assertTrue(s.isSparsevec());
    assertEquals(1_000_000_000, s.sparsevecDimension());
    assertEquals(-1, ((SqlColumnDefinition) create.columns().get(1)).sparsevecDimension());
  }

  @Test void aNameBStillParsesBeforeAString() throws SqlParseException {
    roundTrip("select b from t b where b.x = 'y' and b <~> '101' < 2",
        "SELECT \"b\"\nFROM \"t\" AS \"b\"\nWHERE \"b\".\"x\" = 'y' AND \"b\" <~> '101' < 2");
  }

  @Test void comparisonOperatorsStillLex() throws SqlParseException {
    roundTrip("select a<=b, a<>b, a<b, a<-1, a<=-1, a<=>b, a<->-b from t",
        "SELECT \"a\" <= \"b\", \"a\" <> \"b\", \"a\" < \"b\", \"a\" < -1, \"a\" <= -1, "
            + "\"a\" <=> \"b\", \"a\" <-> - \"b\"\nFROM \"t\"");
  }

  @Test void distanceWithAliasOrderByAndLimit() throws SqlParseException {
    SqlOrderBy orderBy = (SqlOrderBy) roundTrip(
        "SELECT v <-> '[1,2]' AS d FROM t ORDER BY d LIMIT 10",
        "SELECT \"v\" <-> '[1,2]' AS \"d\"\nFROM \"t\"\nORDER BY \"d\"\nFETCH NEXT 10 ROWS ONLY");
    SqlCall as = (SqlCall) ((SqlSelect) orderBy.query).getSelectList().get(0);
    assertSame(QuiverOperators.L2_DISTANCE, ((SqlCall) as.operand(0)).getOperator());
  }

  @Test void dynamicParameterNextToDistance() throws SqlParseException {
    SqlOrderBy orderBy = (SqlOrderBy) roundTrip(
        "select id from t order by v <=> ? limit ?",
        "SELECT \"id\"\nFROM \"t\"\nORDER BY \"v\" <=> ?\nFETCH NEXT ? ROWS ONLY");
    SqlCall distance = (SqlCall) orderBy.orderList.get(0);
    assertInstanceOf(SqlDynamicParam.class, distance.operand(1));

    SqlCall reversed = (SqlCall) parseExpression("? <#> v");
    assertInstanceOf(SqlDynamicParam.class, reversed.operand(0));
  }


  @Test void compositePrimaryKeyParses() throws SqlParseException {
    SqlCreateTable create = (SqlCreateTable) roundTrip(
        "create table t (a bigint, b varchar(3), primary key (a, B))",
        "CREATE TABLE \"t\" (\"a\" BIGINT, \"b\" VARCHAR(3), PRIMARY KEY (\"a\", \"b\"))");
    assertEquals(List.of("a", "b"), names(create.tablePrimaryKey()));
  }

  @Test void createTableWithMilvusOptions() throws SqlParseException {
    SqlCreateTable create = (SqlCreateTable) roundTrip(
        "create table t (id bigint primary key, v vector(2)) "
            + "with (shards = 2, consistency_level = 'bounded', auto_id = true, ttl_seconds = 3600)",
        "CREATE TABLE \"t\" (\"id\" BIGINT PRIMARY KEY, \"v\" VECTOR(2)) WITH (\"shards\" = 2, "
            + "\"consistency_level\" = 'bounded', \"auto_id\" = TRUE, \"ttl_seconds\" = 3600)");
    assertEquals(List.of("shards", "consistency_level", "auto_id", "ttl_seconds"),
        create.options().stream().map(o -> o.key().getSimple()).toList());
  }

  @Test void createExtensionAndExtensionAsAName() throws SqlParseException {
    SqlCreateExtension create = (SqlCreateExtension) roundTrip(
        "create extension if not exists vector", "CREATE EXTENSION IF NOT EXISTS \"vector\"");
    assertEquals("vector", create.name().getSimple());
    roundTrip("CREATE EXTENSION hstore", "CREATE EXTENSION \"hstore\"");
    roundTrip("select extension from t", "SELECT \"extension\"\nFROM \"t\"");
  }

  // ALTER TABLE ... PARTITION, SHOW PARTITIONS / INDEXES / SEGMENTS

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "alter table T add partition P2    | ALTER TABLE \"t\" ADD PARTITION \"p2\"  | true",
      "ALTER TABLE s.t DROP PARTITION p2 | ALTER TABLE \"s\".\"t\" DROP PARTITION \"p2\" | false",
  })
  void alterTablePartition(String sql, String expected, boolean add) throws SqlParseException {
    SqlAlterTablePartition alter = assertInstanceOf(SqlAlterTablePartition.class,
        roundTrip(sql, expected));
    assertEquals(SqlKind.ALTER_TABLE, alter.getKind());
    assertTrue(alter.getKind().belongsTo(SqlKind.DDL));
    assertEquals(add, alter.add());
    assertEquals("t", Util.last(alter.table().names));
    assertEquals("p2", alter.partition().getSimple());
    assertEquals(add ? "ALTER TABLE ... ADD PARTITION" : "ALTER TABLE ... DROP PARTITION",
        alter.statementName());
  }

  @Test void alterTableRename() throws SqlParseException {
    SqlAlterTableRename rename = assertInstanceOf(SqlAlterTableRename.class,
        roundTrip("alter table s.Items rename to Goods",
            "ALTER TABLE \"s\".\"items\" RENAME TO \"goods\""));
    assertEquals(SqlKind.ALTER_TABLE, rename.getKind());
    assertTrue(rename.getKind().belongsTo(SqlKind.DDL));
    assertEquals("items", Util.last(rename.table().names));
    assertEquals("goods", rename.newName().getSimple());
    roundTrip("select rename from rename", "SELECT \"rename\"\nFROM \"rename\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "show partitions from Docs | SHOW PARTITIONS FROM \"docs\" | PARTITIONS | partitions | partition_name",
      "SHOW INDEXES FROM s.docs  | SHOW INDEXES FROM \"s\".\"docs\" | INDEXES | indexes | index_name,column_name,method,options,indexed_rows,total_rows",
      "show segments from docs   | SHOW SEGMENTS FROM \"docs\"   | SEGMENTS | segments | segment_id,partition_name,state,row_count,delete_count",
      "show channels from Docs   | SHOW CHANNELS FROM \"docs\"   | CHANNELS | channels | channel,messages,retained_bytes,disk_bytes,oldest_id,last_id,trimmed_through",
  })
  void showTableObjects(String sql, String expected, SqlShowTableObjects.Subject subject,
      String systemTable, String columns) throws SqlParseException {
    SqlShowTableObjects show = assertInstanceOf(SqlShowTableObjects.class,
        roundTrip(sql, expected));
    assertEquals(SqlKind.SELECT, show.getKind());
    assertEquals(subject, show.subject());
    assertEquals("docs", Util.last(show.name().names));
    assertEquals(List.of("sys", systemTable), ((SqlIdentifier) show.getFrom()).names);
    assertEquals(List.of(columns.split(",")), names(show.getSelectList()));
    SqlCall where = (SqlCall) show.getWhere();
    assertNotNull(where);
    assertEquals("table_name", ((SqlIdentifier) where.operand(0)).getSimple());
    assertEquals("docs", ((SqlLiteral) where.operand(1)).getValueAs(String.class));
  }

  @Test void showChannels() throws SqlParseException {
    SqlShowChannels show = assertInstanceOf(SqlShowChannels.class,
        roundTrip("show channels", "SHOW CHANNELS"));
    assertEquals(SqlKind.SELECT, show.getKind());
    assertEquals(List.of("table_name", "channel", "messages", "retained_bytes", "disk_bytes",
        "oldest_id", "last_id", "trimmed_through"), names(show.getSelectList()));
    assertEquals(List.of("sys", "channels"), ((SqlIdentifier) show.getFrom()).names);
    assertNull(show.getWhere());
    assertEquals(List.of("table_name", "channel"), names(show.getOrderList()));
    assertInstanceOf(SqlShowChannels.class,
        ((SqlExplain) parse("explain plan for show channels")).getExplicandum());
    roundTrip("select table_name, channel, messages, retained_bytes, disk_bytes, oldest_id, "
            + "last_id from sys.channels",
        "SELECT \"table_name\", \"channel\", \"messages\", \"retained_bytes\", \"disk_bytes\", "
            + "\"oldest_id\", \"last_id\"\nFROM \"sys\".\"channels\"");
  }

  // CREATE / DROP INDEX

  @Test void createIndex() throws SqlParseException {
    SqlCreateIndex create = assertInstanceOf(SqlCreateIndex.class, roundTrip(
        "create index if not exists Idx on s.Docs using hnsw (Emb) "
            + "with (metric = 'l2', m = 16, ef_construction = 200)",
        "CREATE INDEX IF NOT EXISTS \"idx\" ON \"s\".\"docs\" USING HNSW (\"emb\") "
            + "WITH (\"metric\" = 'l2', \"m\" = 16, \"ef_construction\" = 200)"));
    assertEquals(SqlKind.CREATE_INDEX, create.getKind());
    assertTrue(create.getKind().belongsTo(SqlKind.DDL));
    assertTrue(create.ifNotExists());
    assertEquals("idx", create.name().getSimple());
    assertEquals(List.of("s", "docs"), create.table().names);
    assertEquals("HNSW", create.method());
    assertEquals("emb", create.column().getSimple());
    assertEquals(List.of("metric", "m", "ef_construction"),
        create.options().stream().map(o -> o.key().getSimple()).toList());
  }

  @Test void createIndexWithoutOptions() throws SqlParseException {
    SqlCreateIndex create = assertInstanceOf(SqlCreateIndex.class, roundTrip(
        "CREATE INDEX i ON t USING \"Ivf_Flat\" (v)",
        "CREATE INDEX \"i\" ON \"t\" USING IVF_FLAT (\"v\")"));
    assertFalse(create.ifNotExists());
    assertEquals("IVF_FLAT", create.method());
    assertEquals(List.of(), create.options());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "drop index I                | DROP INDEX \"i\"           | false",
      "DROP INDEX IF EXISTS i      | DROP INDEX IF EXISTS \"i\" | true",
  })
  void dropIndex(String sql, String expected, boolean ifExists) throws SqlParseException {
    SqlDropIndex drop = assertInstanceOf(SqlDropIndex.class, roundTrip(sql, expected));
    assertEquals(SqlKind.DROP_INDEX, drop.getKind());
    assertEquals(ifExists, drop.ifExists());
    assertEquals("i", drop.name().getSimple());
  }

  // LOAD ... PARTITION, COMPACT

  @Test void loadTablePartitions() throws SqlParseException {
    SqlLoadTable load = assertInstanceOf(SqlLoadTable.class, roundTrip(
        "load table t partition (P1, p2)", "LOAD TABLE \"t\" PARTITION (\"p1\", \"p2\")"));
    assertEquals(List.of("p1", "p2"), names(load.partitions()));
    assertEquals(List.of(), ((SqlLoadTable) parse("load table t")).partitions());
  }

  @Test void releaseTablePartitionsWithOrWithoutParentheses() throws SqlParseException {
    SqlReleaseTable release = assertInstanceOf(SqlReleaseTable.class, roundTrip(
        "release table t partition P1, p2", "RELEASE TABLE \"t\" PARTITION (\"p1\", \"p2\")"));
    assertEquals(List.of("p1", "p2"), names(release.partitions()));
    assertEquals(List.of("p1"),
        names(((SqlReleaseTable) parse("release table t partition (p1)")).partitions()));
    assertEquals(List.of(), ((SqlReleaseTable) parse("release table t")).partitions());
    SqlLoadTable load = assertInstanceOf(SqlLoadTable.class, parse("load table t partition a, b"));
    assertEquals(List.of("a", "b"), names(load.partitions()));
  }

  @Test void compactTable() throws SqlParseException {
    SqlCompactTable compact = assertInstanceOf(SqlCompactTable.class,
        roundTrip("compact table Docs", "COMPACT TABLE \"docs\""));
    assertEquals(SqlKind.OTHER_DDL, compact.getKind());
    assertEquals("docs", compact.name().getSimple());
  }

  // Aliases

  @Test void aliases() throws SqlParseException {
    SqlCreateAlias create = assertInstanceOf(SqlCreateAlias.class,
        roundTrip("create alias A for T1", "CREATE ALIAS \"a\" FOR \"t1\""));
    assertEquals(SqlKind.OTHER_DDL, create.getKind());
    assertEquals("a", create.alias().getSimple());
    assertEquals("t1", create.table().getSimple());

    SqlAlterAlias alter = assertInstanceOf(SqlAlterAlias.class,
        roundTrip("ALTER ALIAS a FOR public.t2", "ALTER ALIAS \"a\" FOR \"public\".\"t2\""));
    assertEquals(SqlKind.OTHER_DDL, alter.getKind());
    assertEquals("a", alter.alias().getSimple());
    assertEquals(List.of("public", "t2"), alter.table().names);

    SqlDropAlias drop = assertInstanceOf(SqlDropAlias.class,
        roundTrip("drop alias a", "DROP ALIAS \"a\""));
    assertEquals(SqlKind.OTHER_DDL, drop.getKind());
    assertFalse(drop.ifExists());
    assertTrue(((SqlDropAlias) roundTrip("drop alias if exists a",
        "DROP ALIAS IF EXISTS \"a\"")).ifExists());
  }

  // UPSERT, DELETE, SET / SHOW / RESET, FOR SYSTEM_TIME, hints (Calcite's own productions)

  @Test void upsertIsAnInsertWithTheUpsertKeyword() throws SqlParseException {
    SqlInsert upsert = assertInstanceOf(SqlInsert.class, roundTrip(
        "upsert into t values (1, [1, 2])",
        "UPSERT INTO \"t\"\nVALUES ROW(1, '[1.0,2.0]')"));
    assertTrue(upsert.isUpsert());
  }

  @Test void deleteWhere() throws SqlParseException {
    assertInstanceOf(SqlDelete.class,
        roundTrip("delete from t where id = 1", "DELETE FROM \"t\"\nWHERE \"id\" = 1"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "set ef_search = 64                  | SET \"ef_search\" = 64",
      "SET consistency_level = 'strong'    | SET \"consistency_level\" = 'strong'",
      "set search_mode = exact             | SET \"search_mode\" = \"exact\"",
      "reset nprobe                        | RESET \"nprobe\"",
      "reset all                           | RESET \"ALL\"",
      "set hnsw.ef_search = 100            | SET \"hnsw\".\"ef_search\" = 100",
      "SET hnsw.iterative_scan = relaxed_order | SET \"hnsw\".\"iterative_scan\" = \"relaxed_order\"",
  })
  void setAndReset(String sql, String expected) throws SqlParseException {
    SqlSetOption set = assertInstanceOf(SqlSetOption.class, roundTrip(sql, expected));
    assertEquals(SqlKind.SET_OPTION, set.getKind());
    assertTrue(set.getKind().belongsTo(SqlKind.DDL));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "show ef_search    | SHOW \"ef_search\" | ef_search",
      "SHOW Nprobe       | SHOW \"nprobe\"    | nprobe",
      "show all          | SHOW ALL           | ",
      "SHOW ivfflat.probes | SHOW \"ivfflat\".\"probes\" | ivfflat.probes",
  })
  void showSetting(String sql, String expected, String name) throws SqlParseException {
    SqlShowSetting show = assertInstanceOf(SqlShowSetting.class, roundTrip(sql, expected));
    assertEquals(SqlKind.SELECT, show.getKind());
    assertEquals(List.of("sys", "settings"), ((SqlIdentifier) show.getFrom()).names);
    if (name == null) {
      assertNull(show.setting());
      assertNull(show.getWhere());
    } else {
      assertEquals(name, SqlShowSetting.settingName(show.setting()));
      SqlCall where = (SqlCall) show.getWhere();
      assertNotNull(where);
      assertEquals(name, ((SqlLiteral) where.operand(1)).getValueAs(String.class));
    }
  }

  // pgvector's syntax: index without a name and with an operator class, TRUNCATE, x::type

  @Test void createIndexTheWayOfPgvector() throws SqlParseException {
    SqlCreateIndex create = assertInstanceOf(SqlCreateIndex.class, roundTrip(
        "CREATE INDEX ON items USING hnsw (embedding vector_l2_ops) "
            + "WITH (m = 16, ef_construction = 64)",
        "CREATE INDEX ON \"items\" USING HNSW (\"embedding\" \"vector_l2_ops\") "
            + "WITH (\"m\" = 16, \"ef_construction\" = 64)"));
    assertNull(create.name());
    assertEquals("vector_l2_ops", create.operatorClass().getSimple());
    assertEquals("embedding", create.column().getSimple());

    create = assertInstanceOf(SqlCreateIndex.class, roundTrip(
        "create index if not exists on items using IVFFlat (embedding vector_cosine_ops) "
            + "with (lists = 100)",
        "CREATE INDEX IF NOT EXISTS ON \"items\" USING IVFFLAT "
            + "(\"embedding\" \"vector_cosine_ops\") WITH (\"lists\" = 100)"));
    assertTrue(create.ifNotExists());
    assertNull(create.name());
    assertEquals("IVFFLAT", create.method());

    create = assertInstanceOf(SqlCreateIndex.class, roundTrip(
        "CREATE INDEX my_idx ON items USING hnsw (embedding vector_ip_ops)",
        "CREATE INDEX \"my_idx\" ON \"items\" USING HNSW (\"embedding\" \"vector_ip_ops\")"));
    assertEquals("my_idx", create.name().getSimple());
    assertNull(((SqlCreateIndex) parse("create index i on t using hnsw (v)")).operatorClass());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "truncate items         | TRUNCATE TABLE \"items\"",
      "TRUNCATE TABLE s.Items | TRUNCATE TABLE \"s\".\"items\"",
  })
  void truncateTable(String sql, String expected) throws SqlParseException {
    SqlTruncateTable truncate = assertInstanceOf(SqlTruncateTable.class, roundTrip(sql, expected));
    assertEquals(SqlKind.TRUNCATE_TABLE, truncate.getKind());
    assertTrue(truncate.getKind().belongsTo(SqlKind.DDL));
    assertEquals("items", Util.last(truncate.name().names));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'[1,2,3]'::vector(3)       | CAST('[1,2,3]' AS VECTOR(3))",
      "'[1,2,3]'::vector          | CAST('[1,2,3]' AS VECTOR)",
      "1::bigint                  | CAST(1 AS BIGINT)",
      "x::varchar(10)::integer    | CAST(CAST(\"x\" AS VARCHAR(10)) AS INTEGER)",
      "-1::integer                | - CAST(1 AS INTEGER)",
      "a + b::real                | \"a\" + CAST(\"b\" AS REAL)",
      "v <-> '[1,2]'::vector(2)   | \"v\" <-> CAST('[1,2]' AS VECTOR(2))",
      "v::real[]                  | CAST(\"v\" AS REAL ARRAY)",
      "ARRAY[1.5,2]::vector       | CAST(ARRAY[1.5, 2] AS VECTOR)",
      "(v::real[])[1]             | CAST(\"v\" AS REAL ARRAY)[1]",
      "v::real array              | CAST(\"v\" AS REAL ARRAY)",
  })
  void infixCastIsAStandardCast(String sql, String expected) throws SqlParseException {
    SqlNode expression = parseExpression(sql);
    assertEquals(expected, unparse(expression));
    assertEquals(expected, unparse(parseExpression(expected)));
  }

  @Test void infixCastOfAVectorKeepsItsDimensionOrNone() throws SqlParseException {
    SqlCall cast = (SqlCall) parseExpression("'[1,2,3]'::vector(3)");
    assertSame(SqlStdOperatorTable.CAST, cast.getOperator());
    SqlDataTypeSpec type = (SqlDataTypeSpec) cast.operand(1);
    assertEquals(3, ((SqlVectorTypeNameSpec) type.getTypeNameSpec()).dimension());
    cast = (SqlCall) parseExpression("'[1,2,3]'::vector");
    type = (SqlDataTypeSpec) cast.operand(1);
    assertEquals(SqlVectorTypeNameSpec.ANY_DIMENSION,
        ((SqlVectorTypeNameSpec) type.getTypeNameSpec()).dimension());
  }

  @Test void forSystemTimeAsOf() throws SqlParseException {
    SqlSelect select = (SqlSelect) roundTrip(
        "select id from t for system_time as of timestamp '2025-01-01 00:00:00'",
        "SELECT \"id\"\nFROM \"t\" FOR SYSTEM_TIME AS OF TIMESTAMP '2025-01-01 00:00:00'");
    assertEquals(SqlKind.SNAPSHOT, select.getFrom().getKind());
  }

  /**
   * Hint options take numbers (a patch of Calcite's template, see grammar/pom.xml); Calcite's
   * default dialect does not unparse table hints, but the parse tree keeps them.
   */
  @Test void searchHintAndPartitionHint() throws SqlParseException {
    SqlOrderBy orderBy = (SqlOrderBy) roundTrip(
        "select /*+ search(ef = 64, nprobe = 8) */ id from t /*+ partitions(p1, p2) */ "
            + "order by v <-> [1, 2] limit 3",
        "SELECT\n/*+ \"search\"(\"ef\" = 64, \"nprobe\" = 8) */\n\"id\"\nFROM \"t\"\n"
            + "ORDER BY \"v\" <-> '[1.0,2.0]'\nFETCH NEXT 3 ROWS ONLY");
    SqlSelect select = (SqlSelect) orderBy.query;
    SqlHint search = (SqlHint) select.getHints().get(0);
    assertEquals("search", search.getName());
    assertEquals(SqlHint.HintOptionFormat.KV_LIST, search.getOptionFormat());
    SqlNodeList options = (SqlNodeList) search.getOperandList().get(1);
    assertEquals(4, options.size());
    assertEquals("ef", ((SqlIdentifier) options.get(0)).getSimple());
    assertEquals(64, ((SqlLiteral) options.get(1)).intValue(true));
    assertEquals("nprobe", ((SqlIdentifier) options.get(2)).getSimple());
    assertEquals(8, ((SqlLiteral) options.get(3)).intValue(true));
    SqlTableRef table = assertInstanceOf(SqlTableRef.class, select.getFrom());
    SqlHint partitions = (SqlHint) ((SqlNodeList) table.getOperandList().get(1)).get(0);
    assertEquals("partitions", partitions.getName());
    assertEquals(List.of("p1", "p2"), partitions.getOptionList());
  }

  // EXPLAIN

  @Test void explainQuiverQueries() throws SqlParseException {
    SqlExplain explain = assertInstanceOf(SqlExplain.class,
        roundTrip("explain plan for show segments from t",
            "EXPLAIN PLAN INCLUDING ATTRIBUTES WITH IMPLEMENTATION FOR\nSHOW SEGMENTS FROM \"t\""));
    assertInstanceOf(SqlShowTableObjects.class, explain.getExplicandum());
    assertInstanceOf(SqlShowSetting.class,
        ((SqlExplain) parse("explain plan for show ef_search")).getExplicandum());
    assertInstanceOf(SqlShowTables.class,
        ((SqlExplain) parse("EXPLAIN PLAN FOR SHOW TABLES")).getExplicandum());
    assertInstanceOf(SqlDescribeTable.class,
        ((SqlExplain) parse("EXPLAIN PLAN FOR DESCRIBE t")).getExplicandum());
  }

  @Test void calciteExplainFormsStillParse() throws SqlParseException {
    assertInstanceOf(SqlOrderBy.class, ((SqlExplain) parse(
        "explain plan for select id from t order by v <-> [1] limit 1")).getExplicandum());
    assertInstanceOf(SqlInsert.class,
        ((SqlExplain) parse("explain plan for insert into t values (1)")).getExplicandum());
    assertInstanceOf(SqlDelete.class,
        ((SqlExplain) parse("explain plan for delete from t where id = 1")).getExplicandum());
    assertInstanceOf(SqlExplain.class,
        parse("explain plan without implementation for select 1"));
    assertInstanceOf(SqlExplain.class, parse("explain plan as json for select 1"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "create or replace index i on t using hnsw (v) | 1 | 1  | CREATE OR REPLACE INDEX is not supported",
      "create or replace alias a for t               | 1 | 1  | CREATE OR REPLACE ALIAS is not supported",
      "create index i on t (v)                       | 1 | 21 | Encountered \"(\"",
      "create index i on t using hnsw (v, w)         | 1 | 34 | Encountered \",\"",
      "alter table t add partition                   | 1 | 27 | Encountered \"<EOF>\"",
      "alter alias a to t                            | 1 | 15 | Encountered \"to\"",
      "show partitions t                             | 1 | 17 | Encountered \"t\"",
      "load table t partition ()                     | 1 | 25 | Encountered \")\"",
      "explain plan for show                         | 1 | 21 | Encountered \"<EOF>\"",
  })
  void statementErrors(String sql, int line, int column, String message) {
    assertSyntaxError(sql, line, column, message);
  }

  // Keywords

  @Test void newKeywordsAreNotReserved() throws SqlParseException {
    roundTrip("select load, vector, index, alias, compact, indexes, partitions, segments from t",
        "SELECT \"load\", \"vector\", \"index\", \"alias\", \"compact\", \"indexes\", "
            + "\"partitions\", \"segments\"\nFROM \"t\"");
    roundTrip("create index index on index using hnsw (index)",
        "CREATE INDEX \"index\" ON \"index\" USING HNSW (\"index\")");
    roundTrip("create alias alias for segments", "CREATE ALIAS \"alias\" FOR \"segments\"");
    roundTrip("show partitions from partitions", "SHOW PARTITIONS FROM \"partitions\"");
    roundTrip("select load, vector, flush, tables, show, if from t",
        "SELECT \"load\", \"vector\", \"flush\", \"tables\", \"show\", \"if\"\nFROM \"t\"");
    roundTrip("create table vector (load int, flush vector(2), tables varchar(3), if int)",
        "CREATE TABLE \"vector\" (\"load\" INTEGER, \"flush\" VECTOR(2), \"tables\" VARCHAR(3), "
            + "\"if\" INTEGER)");
    roundTrip("load table tables", "LOAD TABLE \"tables\"");
    roundTrip("drop table if", "DROP TABLE \"if\"");
    roundTrip("select * from show", "SELECT *\nFROM \"show\"");
    roundTrip("select channels from channels", "SELECT \"channels\"\nFROM \"channels\"");
  }

  // Errors

  @Test void syntaxErrorReportsItsPosition() {
    assertSyntaxError("SELECT *\nFROM t\nWHERE v <-> <-> q", 3, 9, "Encountered \"<-> <->\"");
  }

  private static void assertSyntaxError(String sql, int line, int column, String message) {
    SqlParseException e = assertThrows(SqlParseException.class, () -> parse(sql));
    assertNotNull(e.getPos(), () -> "no position in: " + e.getMessage());
    assertEquals(line, e.getPos().getLineNum(), e::getMessage);
    assertEquals(column, e.getPos().getColumnNum(), e::getMessage);
    assertTrue(e.getMessage().contains(message), e::getMessage);
  }

  private static SqlBasicTypeNameSpec basicType(SqlColumnDefinition column) {
    return (SqlBasicTypeNameSpec) column.type().getTypeNameSpec();
  }

  private static List<String> names(List<? extends SqlNode> list) {
    assertNotNull(list);
    return list.stream().map(node -> ((SqlIdentifier) node).getSimple()).toList();
  }
}
