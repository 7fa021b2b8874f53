package org.quiver.sql.server;

import java.lang.reflect.Field;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.jdbc.StatementInfo;

/**
 * The statements of remote clients that are executing or fetching right now, so that a
 * {@code CANCEL STATEMENT n} request can stop one: Avatica's protocol has no cancel request of its
 * own. Quiver's driver sends this text from {@code Statement.cancel()} on a separate HTTP request.
 *
 * <p>A cancel reaches only a statement of the same Avatica connection (the request's connection id,
 * which the server's authentication already admitted), and only while it runs: a cancel arriving
 * after the statement finished does nothing, and one that raced with its end is forgotten, so the
 * statement's next execution is not stopped by it.
 */
final class RunningStatements {
  /** The request: the statement id that Avatica gave the running statement. */
  static final Pattern CANCEL =
      Pattern.compile("\\s*CANCEL\\s+STATEMENT\\s+(\\d{1,10})\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

  /** Avatica's JdbcMeta keeps the engine's statement of a handle in a package-private field. */
  private static final Field STATEMENT_OF_INFO;

  static {
    try {
      STATEMENT_OF_INFO = StatementInfo.class.getDeclaredField("statement");
      STATEMENT_OF_INFO.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private record Key(String connectionId, int statementId) {}

  /** One execution; its monitor orders a cancel against the execution's end. */
  static final class Execution {
    private final Key key;
    private final Statement statement;
    private boolean ended;
    private boolean cancelled;

    private Execution(Key key, Statement statement) {
      this.key = key;
      this.statement = statement;
    }
  }

  private final Map<Key, Execution> running = new ConcurrentHashMap<>();

  /** Marks a statement as running; null if the server does not know it (the call will fail). */
  Execution begin(String connectionId, int statementId, StatementInfo info) {
    if (info == null) {
      return null;
    }
    Statement statement;
    try {
      statement = (Statement) STATEMENT_OF_INFO.get(info);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    Key key = new Key(connectionId, statementId);
    Execution e = new Execution(key, statement);
    running.put(key, e);
    return e;
  }

  /** The execution ended (either way): later cancels do nothing, and a late one is cleared. */
  void end(Execution e) {
    if (e == null) {
      return;
    }
    synchronized (e) {
      e.ended = true;
      running.remove(e.key, e);
      if (e.cancelled) {
        clearCancelFlag(e.statement);
      }
    }
  }

  /**
   * Cancels statement {@code statementId} of the connection if it is running.
   *
   * @return whether a running statement was cancelled
   */
  boolean cancel(String connectionId, long statementId) throws SQLException {
    if (statementId > Integer.MAX_VALUE) {
      return false;
    }
    Execution e = running.get(new Key(connectionId, (int) statementId));
    if (e == null) {
      return false;
    }
    synchronized (e) {
      if (e.ended) {
        return false;
      }
      e.cancelled = true;
      e.statement.cancel();
      return true;
    }
  }

  /**
   * The engine's statements keep their cancel flag set after a cancel (so that an embedded cancel
   * landing just before an execution still stops it); a remote cancel concerns one execution only.
   */
  private static void clearCancelFlag(Statement statement) {
    try {
      AvaticaStatement engine = statement.unwrap(AvaticaStatement.class);
      AvaticaConnection connection = engine.getConnection().unwrap(AvaticaConnection.class);
      connection.getCancelFlag(engine.handle).set(false);
    } catch (SQLException | NoSuchStatementException | RuntimeException e) {
      // A closed statement has no next execution to protect.
    }
  }
}
