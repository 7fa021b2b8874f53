package org.quiver.sql.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare.CalciteSignature;

/**
 * The embedded connection's meta layer: Calcite's, except that Quiver executes prepared
 * statements itself, so that every execution's bound values are checked against their
 * parameters' types ({@link BoundParameters}: Calcite would convert a TIMESTAMP or 8.5 to a
 * BIGINT key), vector parameters reach the generated code as vector values
 * ({@link VectorParameters}), and the execution runs in an {@link ExecutionContext} whose
 * connection settings were read once.
 *
 * <p>Every door executes prepared statements here: embedded JDBC directly, and the remote
 * Avatica server and Flight SQL through the embedded connections they hold. A query's rows go
 * back as the one and last frame of its result (Avatica's contract for a complete first frame),
 * so the result set reads them without asking Calcite again.
 */
final class QuiverMeta extends ForwardingMeta {
  private final AvaticaConnection connection;
  private final ExecutionContext.Settings settings;

  /**
   * Wraps {@code calcite}, the meta layer of {@code connection}. Called while Avatica constructs
   * the connection: its properties are set, Calcite's part of it is not yet.
   */
  QuiverMeta(AvaticaConnection connection, Meta calcite) {
    super(calcite);
    this.connection = connection;
    this.settings = ExecutionContext.Settings.of(connection.getTimeZone(),
        (CalciteConnectionConfig) connection.config());
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      int maxRowsInFirstFrame) throws NoSuchStatementException {
    AvaticaStatement statement = connection.statementMap.get(h.id);
    CalciteSignature<Object> signature = statement == null ? null : signature(statement);
    if (signature == null) {
      return super.execute(h, parameterValues, maxRowsInFirstFrame);
    }
    ExecutionContext context = context(h, statement, signature, parameterValues);
    MetaResultSet result;
    if (signature.statementType.canUpdate()) {
      Iterator<Object> counts = signature.enumerable(context).iterator();
      result = MetaResultSet.count(h.connectionId, h.id, ((Number) counts.next()).longValue());
    } else {
      // Calcite binds the plan when the result set asks for its rows; so does this.
      Iterable<Object> rows = () -> signature.enumerable(context).iterator();
      result = MetaResultSet.create(h.connectionId, h.id, false, signature,
          new Frame(0, true, rows));
    }
    return new ExecuteResult(List.of(result));
  }

  @SuppressWarnings("deprecation")
  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues,
      long maxRowCount) throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(maxRowCount, Integer.MAX_VALUE));
  }

  /** Each set of values through {@link #execute}, as Calcite does, but with Quiver's checks. */
  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h,
      List<List<TypedValue>> parameterValues) throws NoSuchStatementException {
    long[] counts = new long[parameterValues.size()];
    for (int i = 0; i < counts.length; i++) {
      List<MetaResultSet> results = execute(h, parameterValues.get(i), -1).resultSets;
      counts[i] = results.size() == 1 ? results.get(0).updateCount : -1;
    }
    return new ExecuteBatchResult(counts);
  }

  /** The rows {@link #execute} put in the first frame, or Calcite's for other statements. */
  @Override
  public Iterable<Object> createIterable(StatementHandle stmt, QueryState state,
      Signature signature, List<TypedValue> parameters, Frame firstFrame) {
    if (firstFrame != null && firstFrame.done) {
      return firstFrame.rows;
    }
    return super.createIterable(stmt, state, signature, parameters, firstFrame);
  }

  /**
   * The signature of a prepared statement, kept by its result set metadata
   * ({@link PreparedStatementMetaData}); null for other statements.
   */
  @SuppressWarnings("unchecked")
  private static CalciteSignature<Object> signature(AvaticaStatement statement) {
    try {
      return statement instanceof PreparedStatement prepared
          && prepared.getMetaData() instanceof PreparedStatementMetaData metaData
          ? (CalciteSignature<Object>) metaData.signature() : null;
    } catch (SQLException e) {
      // A closed statement: Calcite's execution reports it.
      return null;
    }
  }

  private ExecutionContext context(StatementHandle h, AvaticaStatement statement,
      CalciteSignature<Object> signature, List<TypedValue> parameterValues)
      throws NoSuchStatementException {
    if (MetaImpl.checkParameterValueHasNull(parameterValues)) {
      throw new IllegalStateException("unbound parameter " + firstUnbound(parameterValues)
          + ": set every parameter before executing the statement");
    }
    List<TypedValue> bound = VectorParameters.convert(signature.parameters,
        BoundParameters.bind(signature.parameters, parameterValues));
    long timeoutMillis;
    try {
      timeoutMillis = statement.getQueryTimeout() * 1000L;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return ExecutionContext.start(settings, (CalciteConnection) connection, signature, bound,
        connection.getCancelFlag(h), timeoutMillis);
  }

  /** The position (from 1) of the first parameter without a value. */
  private static int firstUnbound(List<TypedValue> parameterValues) {
    return parameterValues.indexOf(null) + 1;
  }
}
