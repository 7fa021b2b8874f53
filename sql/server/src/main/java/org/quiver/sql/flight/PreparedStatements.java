package org.quiver.sql.flight;

import com.google.protobuf.ByteString;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.grammar.StatementKind;
import org.quiver.sql.arrow.ArrowTypes;

/**
 * Prepared statements open under their handles: each holds a pooled connection until its client
 * closes it or leaves it unused for the idle timeout, keeps the parameter rows bound to it last,
 * and runs as a query (one row of parameters) or an update (any number, one JDBC batch).
 */
final class PreparedStatements implements AutoCloseable {
  private final ConnectionPool pool;
  private final FlightCallers callers;
  private final ResultSchemas schemas;
  private final Duration idleTimeout;
  private final Map<ByteString, Open> open = new ConcurrentHashMap<>();

  /** A prepared statement and its bound parameter rows; executions of one are serialised. */
  static final class Open {
    private final String user;
    private final Connection connection;
    /** Null for a statement run from its text when executed (see {@link #create}). */
    private final PreparedStatement statement;
    private final String sql;
    private volatile List<Object[]> bound = List.of();
    private volatile long used = System.nanoTime();

    private Open(String user, Connection connection, PreparedStatement statement, String sql) {
      this.user = user;
      this.connection = connection;
      this.statement = statement;
      this.sql = sql;
    }
  }

  PreparedStatements(ConnectionPool pool, FlightCallers callers, ResultSchemas schemas,
      Duration idleTimeout) {
    this.pool = pool;
    this.callers = callers;
    this.schemas = schemas;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Prepares {@code sql} for {@code user} on a connection of its own and opens it under a new
   * handle; the answer carries the handle and the schemas of the result and the parameters.
   */
  FlightSql.ActionCreatePreparedStatementResult create(String user, String sql)
      throws SQLException {
    Connection c = pool.borrow(user);
    try {
      PreparedStatement ps = null;
      Schema dataset = new Schema(List.of());
      Schema parameters = new Schema(List.of());
      // Calcite runs DDL and Quiver's commands while preparing them: those are kept as text and
      // run when executed.
      if (StatementKind.of(sql).preparable()) {
        ps = c.prepareStatement(sql);
        try {
          dataset = schemas.of(ps, sql);
          parameters = ArrowTypes.parameters(ps.getParameterMetaData());
        } catch (SQLException | RuntimeException e) {
          ps.close();
          throw e;
        }
      }
      ByteString handle = Handles.next();
      open.put(handle, new Open(user, c, ps, sql));
      c = null;
      return FlightSql.ActionCreatePreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(handle)
          .setDatasetSchema(ByteString.copyFrom(dataset.serializeAsMessage()))
          .setParameterSchema(ByteString.copyFrom(parameters.serializeAsMessage()))
          .build();
    } catch (SQLException | RuntimeException e) {
      pool.giveBack(user, c);
      throw e;
    }
  }

  /** The statement open under {@code handle} for {@code user}, marked as used now. */
  Open find(ByteString handle, String user) {
    Open p = open.get(handle);
    if (p == null || !p.user.equals(user)) {
      throw FlightErrors.error("26000", "no prepared statement under this handle: it was "
          + "closed, or expired after " + idleTimeout.toSeconds() + " s unused");
    }
    p.used = System.nanoTime();
    return p;
  }

  /** Keeps {@code rows} as the parameters of the statement's next query. */
  void bind(Open p, List<Object[]> rows) {
    p.bound = rows;
  }

  /** Runs the statement as a query with its bound parameters; the result stays open on it. */
  PendingResults.Executed query(Open p) throws SQLException {
    synchronized (p) {
      List<Object[]> rows = p.bound;
      if (rows.size() > 1) {
        throw FlightErrors.error("0A000", "a query runs with one row of parameters, not "
            + rows.size());
      }
      Statement s;
      ResultSet rs;
      if (p.statement == null) {
        Statement st = p.connection.createStatement();
        s = st;
        rs = callers.runAs(p.user, () -> st.execute(p.sql) ? st.getResultSet() : null);
      } else {
        s = p.statement;
        ParameterRows.bind(p.statement, rows.isEmpty() ? null : rows.get(0));
        rs = callers.runAs(p.user,
            () -> p.statement.execute() ? p.statement.getResultSet() : null);
      }
      return new PendingResults.Executed(p.user, p.connection, s, rs, schemas.of(rs),
          s != p.statement, false);
    }
  }

  /** The columns the statement returns. */
  Schema datasetSchema(Open p) throws SQLException {
    return p.statement == null ? new Schema(List.of()) : schemas.of(p.statement, p.sql);
  }

  /**
   * Runs the statement as an update once per row of {@code rows} (once without parameters when
   * there are none); returns the rows changed.
   */
  long update(Open p, List<Object[]> rows) throws SQLException {
    return callers.runAs(p.user, () -> {
      long count = 0;
      synchronized (p) {
        if (p.statement == null) {
          if (!rows.isEmpty()) {
            throw FlightErrors.error("42P02", "the statement has no parameters");
          }
          try (Statement s = p.connection.createStatement()) {
            count = Math.max(0, s.executeLargeUpdate(p.sql));
          }
        } else if (rows.isEmpty()) {
          count = p.statement.executeLargeUpdate();
        } else if (rows.size() == 1) {
          ParameterRows.bind(p.statement, rows.get(0));
          count = p.statement.executeLargeUpdate();
        } else {
          // A JDBC batch: on an embedded connection, one insert task for all rows.
          for (Object[] row : rows) {
            ParameterRows.bind(p.statement, row);
            p.statement.addBatch();
          }
          for (int n : p.statement.executeBatch()) {
            count += Math.max(0, n);
          }
        }
      }
      return count;
    });
  }

  /**
   * Closes the statement {@code user} opened under {@code handle}, if any, and gives its
   * connection back. A handle that is unknown or that another user opened is left alone, without
   * an error: closing is idempotent, and the answer must not tell one user another's handles.
   */
  void close(ByteString handle, String user) {
    Open p = open.get(handle);
    if (p != null && p.user.equals(user) && open.remove(handle, p)) {
      close(p);
    }
  }

  private void close(Open p) {
    synchronized (p) {
      ConnectionPool.closeQuietly(p.statement);
    }
    pool.giveBack(p.user, p.connection);
  }

  /** Closes the statements nobody used for the idle timeout. */
  void expire() {
    long limit = System.nanoTime() - idleTimeout.toNanos();
    for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
      Open p = it.next();
      if (p.used - limit < 0) {
        it.remove();
        close(p);
      }
    }
  }

  /** Closes every open statement. */
  @Override
  public void close() {
    open.values().forEach(this::close);
    open.clear();
  }
}
