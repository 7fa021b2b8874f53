package org.quiver.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The plain statements of a remote connection that its application has closed, kept open on the
 * server for the next {@code createStatement()}: Avatica creates and closes each statement on the
 * server with a request of its own, so the usual create, execute, close of a one-off query would
 * cost three round trips instead of one. At most {@link #CAPACITY} are kept, each only if it is
 * as a fresh statement would be; the server drops them with their connection.
 *
 * <p>Thread-safe: a connection's statements may be closed from several threads.
 */
final class IdleStatements {
  static final int CAPACITY = 4;

  private final Deque<Statement> idle = new ArrayDeque<>();
  /** The settings of a fresh statement of this connection, read from the first one. */
  private Settings fresh;

  private record Settings(int fetchSize, int fetchDirection, int maxFieldSize, long maxRows,
      int queryTimeout, boolean closeOnCompletion, boolean poolable) {
    static Settings of(Statement s) throws SQLException {
      return new Settings(s.getFetchSize(), s.getFetchDirection(), s.getMaxFieldSize(),
          s.getLargeMaxRows(), s.getQueryTimeout(), s.isCloseOnCompletion(), s.isPoolable());
    }
  }

  /** A kept statement, or null. */
  synchronized Statement take() {
    return idle.pollFirst();
  }

  /** Learns what a fresh statement looks like from {@code created}, just created. */
  void created(Statement created) throws SQLException {
    if (fresh == null) {
      Settings settings = Settings.of(created);
      synchronized (this) {
        fresh = settings;
      }
    }
  }

  /**
   * Keeps {@code closed}, which its application has just closed, if there is room and it is as
   * fresh; else closes it.
   */
  void offer(Statement closed) throws SQLException {
    ResultSet open = closed.getResultSet();
    if (open != null) {
      open.close();
    }
    closed.clearBatch();
    closed.clearWarnings();
    Settings settings = Settings.of(closed);
    synchronized (this) {
      if (settings.equals(fresh) && idle.size() < CAPACITY) {
        idle.addFirst(closed);
        return;
      }
    }
    closed.close();
  }

  /** Closes the kept statements, freeing their places on the server; whether there were any. */
  boolean closeAll() throws SQLException {
    boolean any = false;
    for (Statement s = take(); s != null; s = take()) {
      s.close();
      any = true;
    }
    return any;
  }

  /** Forgets the kept statements: their connection is closing, and closes them on the server. */
  synchronized void clear() {
    idle.clear();
  }
}
