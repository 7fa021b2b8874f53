package org.quiver.grammar;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.quiver.grammar.parser.QuiverSqlParserImpl;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parses and unparses with the configuration of Quiver's SQL layer. */
final class Parsing {

  /** PostgreSQL-like identifier casing, as the SQL layer configures it. */
  static final SqlParser.Config CONFIG = SqlParser.config()
      .withParserFactory(QuiverSqlParserImpl.FACTORY)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(true);

  private Parsing() {
  }

  static SqlNode parse(String sql) throws SqlParseException {
    return SqlParser.create(sql, CONFIG).parseStmt();
  }

  static SqlNode parseExpression(String sql) throws SqlParseException {
    return SqlParser.create(sql, CONFIG).parseExpression();
  }

  static String unparse(SqlNode node) {
    return node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
  }

  /**
   * Parses {@code sql}, checks that it unparses as {@code expected}, and that the unparsed text
   * parses again into a tree that unparses identically; returns the first tree.
   */
  static SqlNode roundTrip(String sql, String expected) throws SqlParseException {
    SqlNode node = parse(sql);
    assertEquals(expected, unparse(node), () -> "unparse of: " + sql);
    assertEquals(expected, unparse(parse(expected)), () -> "unparse of the unparsed: " + expected);
    return node;
  }
}
