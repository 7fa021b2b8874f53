package org.quiver.sql.flight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Runs the statements a client sends as text (Flight SQL's {@code CommandStatementQuery} and
 * {@code CommandStatementUpdate}) as their caller, each on a connection borrowed for it alone: a
 * query keeps its connection until its result is read, an update gives it back at once.
 */
final class StatementExecutor {
  private final ConnectionPool pool;
  private final FlightCallers callers;
  private final ResultSchemas schemas;

  StatementExecutor(ConnectionPool pool, FlightCallers callers, ResultSchemas schemas) {
    this.pool = pool;
    this.callers = callers;
    this.schemas = schemas;
  }

  /** Executes {@code sql}; its result holds the statement and the connection until read. */
  PendingResults.Executed query(String user, String sql) throws SQLException {
    Connection c = null;
    Statement s = null;
    try {
      c = pool.borrow(user);
      s = c.createStatement();
      Statement st = s;
      ResultSet rs = callers.runAs(user, () -> st.execute(sql) ? st.getResultSet() : null);
      return new PendingResults.Executed(user, c, s, rs, schemas.of(rs), true, true);
    } catch (SQLException | RuntimeException e) {
      ConnectionPool.closeQuietly(s);
      pool.giveBack(user, c);
      throw e;
    }
  }

  /** The columns {@code sql} returns, from preparing it without running it. */
  Schema schema(String user, String sql) throws SQLException {
    Connection c = null;
    try {
      c = pool.borrow(user);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        return schemas.of(ps, sql);
      }
    } finally {
      pool.giveBack(user, c);
    }
  }

  /** Executes {@code sql} as an update; returns the rows it changed. */
  long update(String user, String sql) throws SQLException {
    Connection c = null;
    try {
      c = pool.borrow(user);
      try (Statement s = c.createStatement()) {
        return callers.runAs(user, () -> s.executeLargeUpdate(sql));
      }
    } finally {
      pool.giveBack(user, c);
    }
  }
}
