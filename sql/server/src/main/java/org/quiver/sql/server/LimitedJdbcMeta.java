package org.quiver.sql.server;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.TypedValue;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.jdbc.internal.VectorJdbc;

/**
 * Avatica's JDBC meta layer with {@link ServerLimits}: a bound on open connections and on open
 * statements per connection, and on the rows of each frame of a result, whatever fetch size the
 * client asks for ({@link JdbcMeta} would build a frame of every row for a fetch size of
 * {@link JdbcMeta#UNLIMITED_COUNT} or any negative one).
 */
final class LimitedJdbcMeta extends JdbcMeta {
  /** The embedded driver's property for how a connection hands out vectors. */
  static final String VECTOR_OBJECTS = "vectorObjects";

  private final ServerLimits limits;
  private final ServerMetrics metrics;
  /** Statement ids by connection id: what this server counts against the limit. */
  private final Map<String, Set<Integer>> statements = new ConcurrentHashMap<>();
  /** Statements executing or fetching now, which CANCEL STATEMENT can stop. */
  private final RunningStatements running = new RunningStatements();

  LimitedJdbcMeta(String url, Properties info, ServerLimits limits, ServerMetrics metrics)
      throws SQLException {
    super(url, info);
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    // Connections that expired (idle timeout) leave the cache lazily: count only the live ones.
    getConnectionCache().cleanUp();
    statements.keySet().removeIf(id -> !getConnectionCache().asMap().containsKey(id));
    if (getConnectionCache().size() >= limits.maxSessions()) {
      throw error(ErrorCode.TOO_MANY_CONNECTIONS, "too many connections: the server holds "
          + limits.maxSessions() + " open connections (--max-sessions); close idle ones");
    }
    super.openConnection(ch, serverSide(info));
    statements.put(ch.id, ConcurrentHashMap.newKeySet());
  }

  /**
   * The client's connection properties for its embedded connection: vector values as byte
   * strings when it asks for them (Quiver's driver), else as text (drivers that asked for the
   * float32 wire before HALFVEC, BIT and SPARSEVEC had binary forms read text); how the client
   * shows vectors is the client's own business.
   */
  static Map<String, String> serverSide(Map<String, String> info) {
    Map<String, String> props = info == null ? new HashMap<>() : new HashMap<>(info);
    boolean binary = VectorJdbc.TYPED.equalsIgnoreCase(props.get(VectorJdbc.VECTOR_WIRE));
    props.put(VECTOR_OBJECTS, binary ? VectorJdbc.BINARY : "text");
    return props;
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    try {
      super.closeConnection(ch);
    } finally {
      statements.remove(ch.id);
    }
  }

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    checkStatements(ch.id);
    return opened(super.createStatement(ch));
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    checkStatements(ch.id);
    return opened(super.prepare(ch, sql, maxRowCount));
  }

  @Override
  public void closeStatement(StatementHandle h) {
    try {
      super.closeStatement(h);
    } finally {
      Set<Integer> open = statements.get(h.connectionId);
      if (open != null) {
        open.remove(h.id);
      }
    }
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount,
      int maxRowsInFirstFrame, PrepareCallback callback) throws NoSuchStatementException {
    Matcher cancel = RunningStatements.CANCEL.matcher(sql);
    if (cancel.matches()) {
      return cancel(h, Long.parseLong(cancel.group(1)));
    }
    RunningStatements.Execution e = running.begin(h.connectionId, h.id,
        getStatementCache().getIfPresent(h.id));
    try {
      return super.prepareAndExecute(h, sql, maxRowCount, frameRows(maxRowsInFirstFrame),
          callback);
    } finally {
      running.end(e);
    }
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) throws NoSuchStatementException {
    RunningStatements.Execution e = running.begin(h.connectionId, h.id,
        getStatementCache().getIfPresent(h.id));
    try {
      return super.execute(h, parameterValues, frameRows(maxRowsInFirstFrame));
    } finally {
      running.end(e);
    }
  }

  /**
   * Avatica's batch, except that its values are read by {@link ProtobufDoor#parameter}: a byte
   * string (a vector per row, for Quiver's driver) is bound as the bytes the request carries.
   */
  @Override
  public ExecuteBatchResult executeBatchProtobuf(StatementHandle h,
      List<Requests.UpdateBatch> updateBatches) throws NoSuchStatementException {
    List<List<TypedValue>> rows = new ArrayList<>(updateBatches.size());
    for (Requests.UpdateBatch update : updateBatches) {
      List<TypedValue> row = new ArrayList<>(update.getParameterValuesCount());
      for (Common.TypedValue value : update.getParameterValuesList()) {
        row.add(ProtobufDoor.parameter(value));
      }
      rows.add(row);
    }
    return executeBatch(h, rows);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    RunningStatements.Execution e = running.begin(h.connectionId, h.id,
        getStatementCache().getIfPresent(h.id));
    Frame frame;
    try {
      frame = super.fetch(h, offset, frameRows(fetchMaxRowCount));
    } finally {
      running.end(e);
    }
    metrics.frameFetched();
    return frame;
  }

  /**
   * {@code CANCEL STATEMENT n}: stops statement n of the same connection if it is running; the
   * update count says whether it was (1) or not (0). The request's own statement id is not used
   * (Quiver's driver sends the running statement's, the stock driver a statement of its own).
   */
  private ExecuteResult cancel(StatementHandle h, long target) {
    boolean cancelled;
    try {
      cancelled = running.cancel(h.connectionId, target);
    } catch (SQLException e) {
      throw new AvaticaRuntimeException(e.getMessage(), e.getErrorCode(),
          e.getSQLState() == null ? "XX000" : e.getSQLState(), AvaticaSeverity.ERROR);
    }
    return new ExecuteResult(
        List.of(MetaResultSet.count(h.connectionId, h.id, cancelled ? 1 : 0)));
  }

  /** The frame size to build: the client's, at most the limit; "unlimited" is the limit. */
  private int frameRows(int requested) {
    return requested < 0 || requested > limits.maxRowsPerFrame()
        ? limits.maxRowsPerFrame() : requested;
  }

  private StatementHandle opened(StatementHandle h) {
    Set<Integer> open = statements.get(h.connectionId);
    if (open != null) {
      open.add(h.id);
    }
    return h;
  }

  private void checkStatements(String connectionId) {
    Set<Integer> open = statements.get(connectionId);
    if (open == null || open.size() < limits.maxStatementsPerConnection()) {
      return;
    }
    // Statements the cache expired (idle timeout) were never closed by their client.
    open.removeIf(id -> !getStatementCache().asMap().containsKey(id));
    if (open.size() >= limits.maxStatementsPerConnection()) {
      throw error(ErrorCode.PROGRAM_LIMIT_EXCEEDED, "too many open statements on this "
          + "connection: " + open.size() + " (--max-statements-per-connection "
          + limits.maxStatementsPerConnection() + "); close statements you no longer use");
    }
  }

  private static AvaticaRuntimeException error(ErrorCode code, String message) {
    return new AvaticaRuntimeException(message, code.code(), code.sqlState(),
        AvaticaSeverity.ERROR);
  }
}
