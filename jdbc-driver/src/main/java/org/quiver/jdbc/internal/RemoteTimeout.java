package org.quiver.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code Statement.setQueryTimeout} for remote connections. Avatica's protocol does not carry a
 * statement's query timeout to the server, so Quiver's driver sets the server session's
 * {@code statement_timeout} for the length of the execution and puts the previous value back
 * afterwards (two extra requests, only for statements with a timeout).
 */
final class RemoteTimeout {
  private static final String SETTING = "statement_timeout";

  private RemoteTimeout() {}

  /** Sets the session's timeout to the statement's; returns the value to restore. */
  static int begin(Statement statement) throws SQLException {
    int previous;
    try (Statement s = statement.getConnection().createStatement();
        ResultSet rs = s.executeQuery("SHOW " + SETTING)) {
      rs.next();
      previous = Integer.parseInt(rs.getString(1));
    }
    long millis = statement.getQueryTimeout() * 1000L;
    if (previous > 0 && previous < millis) {
      return previous;
    }
    set(statement, (int) Math.min(millis, Integer.MAX_VALUE));
    return previous;
  }

  static void end(Statement statement, int previous) throws SQLException {
    set(statement, previous);
  }

  private static void set(Statement statement, int millis) throws SQLException {
    try (Statement s = statement.getConnection().createStatement()) {
      s.execute("SET " + SETTING + " = " + millis);
    }
  }
}
