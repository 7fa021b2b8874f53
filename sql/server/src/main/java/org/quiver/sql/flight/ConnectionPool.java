package org.quiver.sql.flight;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.quiver.jdbc.QuiverDriver;
import org.quiver.sql.copy.CopyCommand;

/**
 * Embedded Quiver JDBC connections for Flight calls, kept per user. A statement borrows one for
 * its life (a query until its result is read, a prepared statement until it is closed), so
 * concurrent calls never share a Calcite connection; idle ones are reused, since a fresh
 * connection costs more than a statement.
 */
final class ConnectionPool implements AutoCloseable {
  private static final int MAX_IDLE_PER_USER = 8;

  private final String url;
  private final QuiverDriver driver = new QuiverDriver();
  private final Map<String, Deque<Connection>> idle = new HashMap<>();
  private boolean closed;

  ConnectionPool(String location) {
    this.url = QuiverDriver.PREFIX + location;
  }

  Connection borrow(String user) throws SQLException {
    synchronized (this) {
      if (closed) {
        throw new SQLException("the server is stopping", "57P01");
      }
      Deque<Connection> free = idle.get(user);
      while (free != null && !free.isEmpty()) {
        Connection c = free.pop();
        if (!c.isClosed()) {
          return c;
        }
      }
    }
    Properties info = new Properties();
    info.setProperty("vectorObjects", "float_array");
    info.setProperty(CopyCommand.REMOTE_CLIENT, "true");
    return driver.connect(url, info);
  }

  void giveBack(String user, Connection c) {
    if (c == null) {
      return;
    }
    synchronized (this) {
      Deque<Connection> free = idle.computeIfAbsent(user, u -> new ArrayDeque<>());
      if (!closed && free.size() < MAX_IDLE_PER_USER) {
        free.push(c);
        return;
      }
    }
    closeQuietly(c);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.values().forEach(q -> q.forEach(ConnectionPool::closeQuietly));
      idle.clear();
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // Closing after an error or at shutdown: nothing more to do with it.
    }
  }
}
