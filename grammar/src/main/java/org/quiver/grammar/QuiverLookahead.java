package org.quiver.grammar;

import org.quiver.grammar.parser.QuiverSqlParserImpl;
import org.quiver.grammar.parser.QuiverSqlParserImplConstants;

/**
 * Semantic lookahead of Quiver's productions that needs more than a token or two. JavaCC
 * evaluates it during syntactic lookahead too, where {@code getToken} counts from the scan
 * position, so a production guarded by it is only chosen for the input it parses.
 */
public final class QuiverLookahead {

  private QuiverLookahead() {
  }

  /**
   * Returns whether the tokens after EXPLAIN are PLAN, then anything but FOR, then FOR, then
   * SHOW or DESCRIBE: an EXPLAIN of one of Quiver's queries of the catalog.
   */
  public static boolean explainsQuiverQuery(QuiverSqlParserImpl parser) {
    if (parser.getToken(1).kind != QuiverSqlParserImplConstants.PLAN) {
      return false;
    }
    int i = 2;
    while (parser.getToken(i).kind != QuiverSqlParserImplConstants.FOR
        && parser.getToken(i).kind != QuiverSqlParserImplConstants.EOF) {
      i++;
    }
    int next = parser.getToken(i + 1).kind;
    return parser.getToken(i).kind == QuiverSqlParserImplConstants.FOR
        && (next == QuiverSqlParserImplConstants.SHOW
            || next == QuiverSqlParserImplConstants.DESCRIBE);
  }
}
