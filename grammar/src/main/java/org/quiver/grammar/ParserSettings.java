package org.quiver.grammar;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.parser.SqlParser;
import org.quiver.grammar.parser.QuiverSqlParserImpl;

/**
 * How Quiver reads SQL, in one place: its parser, and identifiers as PostgreSQL treats them
 * (unquoted ones fold to lower case, quoted ones in double quotes keep theirs, names match
 * case-sensitively). Everything that parses a statement outside a connection (the batch path's
 * recognition of an INSERT, authorisation, a table's definition) starts from {@link #CONFIG}, and
 * every connection is configured to match it.
 */
public final class ParserSettings {
  /** Quiver's parser and PostgreSQL's identifier rules. */
  public static final SqlParser.Config CONFIG = SqlParser.config()
      .withParserFactory(QuiverSqlParserImpl.FACTORY)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(true)
      .withConformance(QuiverConformance.INSTANCE);

  private ParserSettings() {}
}
