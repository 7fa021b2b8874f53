package org.quiver.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorText;
import org.quiver.jdbc.VectorValue;
import org.quiver.jdbc.spi.EmbeddedConnector;

/**
 * Wraps a JDBC connection (embedded Calcite or remote Avatica) with Quiver's JDBC contract for
 * vectors: {@code float[]}, {@link VectorValue}, {@link BitValue} and {@link SparseVectorValue}
 * parameters travel as byte strings ({@link VectorBytes}; embedded: as the values), {@code
 * getObject} on a VECTOR or HALFVEC column returns {@code float[]} and {@code getString} its text,
 * errors carry Quiver's SQLSTATEs, a JDBC batch is one insert task, and {@code
 * setAutoCommit(false)} is refused rather than ignored.
 *
 * <p>The remote wire: Quiver's driver asks for binary vectors with the connection property {@link
 * #VECTOR_WIRE}{@code =}{@link #TYPED}; the server's connections for it are wrapped with {@link
 * VectorObjects#BINARY}, which describes VECTOR, HALFVEC, BIT and SPARSEVEC columns and
 * parameters as {@code BINARY} keeping their type names ({@code HALFVEC(n)}), and reads byte
 * strings bound to parameters by those names. Other clients (the stock Avatica driver) get {@link
 * VectorObjects#TEXT}.
 *
 * <p>One dynamic-proxy handler serves connections, statements and result sets, so the contract
 * lives in one place for every door.
 */
public final class VectorJdbc {
  /** What {@code getObject} returns for a VECTOR column. */
  public enum VectorObjects {
    /** {@code float[]}: for applications. */
    FLOAT_ARRAY,
    /** The text form: for the Avatica server's clients that did not ask for binary vectors. */
    TEXT,
    /**
     * Byte strings ({@link VectorBytes}), described as {@code BINARY} named by their types ({@code
     * VECTOR(n)}): for the Avatica server's connections of Quiver's driver ({@link #TYPED}).
     */
    BINARY,
    /**
     * Text abbreviated past {@link VectorText#DISPLAYED} values, from getString as well: for
     * consoles and display tools, never for reading vectors back.
     */
    ABBREVIATED
  }

  /**
   * How to wrap.
   *
   * @param vectorObjects what getObject returns for vectors
   * @param translateError maps errors to Quiver's SQLSTATEs
   * @param embedded the embedded engine's hooks (batches); null for remote connections
   */
  public record Options(
      VectorObjects vectorObjects,
      UnaryOperator<SQLException> translateError,
      EmbeddedConnector embedded) {}

  /** The connection property by which Quiver's remote driver asks the server for {@link #TYPED}. */
  public static final String VECTOR_WIRE = "vectorWire";
  /**
   * The value of {@link #VECTOR_WIRE} that asks for vector values as byte strings laid out by
   * their types ({@link VectorBytes}). Drivers from before HALFVEC went as float16 asked with
   * {@link #BINARY}, for float32 bytes of VECTOR and HALFVEC alike: the server answers them with
   * text, which they read, and still reads the float32 bytes they bind.
   */
  public static final String TYPED = "typed";
  /** The mode of the server's embedded connections for {@link #TYPED} clients. */
  public static final String BINARY = "binary";

  /** Setters whose value {@link Handler#recordParameter} can keep as it is. */
  private static final Set<String> PLAIN_SETTERS = Set.of("setBoolean", "setByte", "setShort",
      "setInt", "setLong", "setFloat", "setDouble", "setBigDecimal", "setString", "setObject",
      "setTimestamp", "setNString");

  /** The methods that run a statement, which a remote query timeout must cover. */
  private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery",
      "executeUpdate", "executeLargeUpdate");

  /** The server's SQLSTATE for one statement more than a connection may hold open. */
  private static final String STATEMENT_LIMIT = "54000";

  /** A parameter not set since the statement was prepared or its parameters cleared. */
  private static final Object UNSET = new Object();

  private VectorJdbc() {}

  public static Connection wrap(Connection connection, Options options) {
    Handler h = new Handler(connection, options, null);
    Connection proxy = (Connection) Proxy.newProxyInstance(
        VectorJdbc.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    h.connectionProxy = proxy;
    return proxy;
  }

  private static final class Handler implements InvocationHandler {
    private final Object target;
    private final Options options;
    private Connection connectionProxy;
    private Object statementProxy;
    /** A result set's columns by index: the kind of each vector column, else null. */
    private VectorBytes.Kind[] columnKinds;
    /** Per column of a result set, whether it is an array (read on first use). */
    private boolean[] arrayColumns;
    /** For a prepared single-row INSERT: the rows of the batch, kept as values. */
    private EmbeddedConnector.BatchInsert batchInsert;
    private Object[] parameters;
    private List<Object[]> pendingRows;
    /** A remote connection's closed plain statements, kept for reuse. */
    private final IdleStatements idleStatements = new IdleStatements();
    /** A remote connection's HTTP client for its batches ({@link RemoteBatchInsert}). */
    private org.apache.calcite.avatica.remote.AvaticaHttpClient batchClient;
    /** For a remote plain statement: the pool its close gives it back to; else null. */
    private IdleStatements returnTo;
    /** Whether the statement was given back to its connection's pool: closed to the application. */
    private boolean released;

    Handler(Object target, Options options, Connection connectionProxy) {
      this.target = target;
      this.options = options;
      this.connectionProxy = connectionProxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      int argc = args == null ? 0 : args.length;
      try {
        if (target instanceof Connection) {
          if (name.equals("setAutoCommit") && !((Boolean) args[0])) {
            throw new SQLFeatureNotSupportedException(
                "Quiver has no multi-statement transactions: each statement is atomic and "
                    + "committed when it returns, so setAutoCommit(false) is not supported",
                "0A000");
          }
          if (name.equals("getMetaData") && options.embedded() == null) {
            return remoteMetaData(((Connection) target).getMetaData());
          }
          if (options.embedded() == null) {
            if (name.equals("createStatement") && argc == 0) {
              return plainStatement();
            }
            if (name.equals("close") || name.equals("abort")) {
              idleStatements.clear();
              closeBatchClient();
            } else if (name.startsWith("prepare") || name.equals("createStatement")) {
              Object created = createFreeingIdle(proxy, method, args);
              if (name.equals("prepareStatement") && RemoteBatchInsert.writes((String) args[0])
                  && Proxy.isProxyClass(created.getClass())
                  && Proxy.getInvocationHandler(created) instanceof Handler h) {
                h.startBatchInsert(RemoteBatchInsert.of((PreparedStatement) h.target,
                    this::remoteBatchClient));
              }
              return created;
            }
          }
        } else if (target instanceof Statement) {
          if (released) {
            return switch (name) {
              case "isClosed" -> true;
              case "close" -> null;
              default -> throw new SQLException("Statement closed");
            };
          }
          if (returnTo != null) {
            if (name.equals("close")) {
              released = true;
              returnTo.offer((Statement) target);
              return null;
            }
            if (name.equals("setEscapeProcessing") || name.equals("setCursorName")) {
              // Settings a statement cannot report: it will not be kept.
              returnTo = null;
            }
          }
          if (name.equals("setObject") && argc >= 2 && args[1] instanceof byte[] bytes
              && options.embedded() != null && (options.vectorObjects() == VectorObjects.BINARY
                  || options.vectorObjects() == VectorObjects.TEXT)) {
            // The server's connections (embedded, in the modes it opens them with).
            VectorBytes.Kind kind = parameterKind((PreparedStatement) target, (Integer) args[0]);
            if (options.vectorObjects() == VectorObjects.BINARY) {
              // Quiver's driver sends vector values as bytes laid out by the parameter's type (a
              // byte string for a parameter of no vector type is a vector): from here on they
              // are the values.
              args[1] = (kind == null ? VectorBytes.Kind.VECTOR : kind).decode(bytes);
            } else if (kind != null && kind.dense()) {
              // Drivers from before the typed wire bind dense vectors as float32 bytes.
              args[1] = VectorBytes.decode(bytes);
            }
          }
          if (name.equals("getMetaData") || name.equals("getParameterMetaData")) {
            return describeVectors(method.invoke(target, args), name.equals("getMetaData")
                ? ResultSetMetaData.class : ParameterMetaData.class);
          }
          if (batchInsert != null) {
            Object handled = batchInsertCall(name, method, args);
            if (handled != NOT_HANDLED) {
              return handled;
            }
          }
          if (name.equals("setObject") && argc >= 2 && args[1] instanceof float[] vector
              && options.embedded() != null) {
            // One JVM: the array itself (a copy, as JDBC binds the value when it is set); the
            // engine's execution context shows it as text to whatever is not a search.
            ((PreparedStatement) target).setObject((Integer) args[0], vector.clone());
            return null;
          }
          if (name.equals("setObject") && argc >= 2 && options.embedded() == null
              && sendVector((PreparedStatement) target, (Integer) args[0], args[1])) {
            return null;
          }
          if ((name.equals("executeBatch") || name.equals("executeLargeBatch"))
              && options.embedded() != null) {
            int[] counts = options.embedded().runBatch(
                ((Statement) target).getConnection(), () -> ((Statement) target).executeBatch());
            return name.equals("executeBatch") ? counts : toLongs(counts);
          }
          if (name.equals("getConnection")) {
            return connectionProxy;
          }
          if (name.equals("cancel") && options.embedded() == null) {
            // Avatica's cancel() would only mark the statement on the client side.
            RemoteCancel.cancel((Statement) target);
            return null;
          }
        } else if (target instanceof ResultSet rs) {
          if (name.equals("getMetaData")) {
            return describeVectors(rs.getMetaData(), ResultSetMetaData.class);
          }
          if ((name.equals("getString") && options.embedded() != null
                  || name.equals("getObject") && arraysAsText())
              && argc == 1 && isArrayColumn(rs, column(rs, args))) {
            // An array's text is PostgreSQL's in every door, as a vector's is pgvector's.
            return PostgresArrayText.format(rs.getObject(column(rs, args)));
          }
          if (name.equals("getObject") && argc == 1
              && options.vectorObjects() == VectorObjects.BINARY) {
            return binaryObject(rs, column(rs, args), method.invoke(target, args));
          }
          if ((name.equals("getString") || name.equals("getObject")) && argc == 1
              && options.vectorObjects() == VectorObjects.ABBREVIATED) {
            int column = column(rs, args);
            VectorBytes.Kind kind = columnKind(rs, column);
            if (kind != null && kind.dense()) {
              String text = kind.text(rs.getObject(column));
              return text == null ? null : VectorText.abbreviate(text);
            }
          }
          if (asksForText(name, args)) {
            // Text however the door carried the value: bytes from a remote server, the value
            // itself from the engine.
            int column = column(rs, args);
            VectorBytes.Kind kind = columnKind(rs, column);
            if (kind != null) {
              return kind.text(rs.getObject(column));
            }
          }
          if (name.equals("getObject") && options.vectorObjects() == VectorObjects.FLOAT_ARRAY) {
            return getObject(rs, args);
          }
          if (name.equals("getObject") && argc == 1
              && options.vectorObjects() == VectorObjects.TEXT) {
            Object value = method.invoke(target, args);
            return value instanceof VectorValue || value instanceof BitValue
                || value instanceof SparseVectorValue ? value.toString() : value;
          }
          if (name.equals("getStatement")) {
            Object s = rs.getStatement();
            return statementProxy != null ? statementProxy : s;
          }
        }
        Object result;
        Integer restoreTimeout = null;
        if (options.embedded() == null && target instanceof Statement st
            && EXECUTIONS.contains(name) && st.getQueryTimeout() > 0) {
          restoreTimeout = RemoteTimeout.begin(st);
        }
        try {
          result = method.invoke(target, args);
        } finally {
          if (restoreTimeout != null) {
            restoreTimeout((Statement) target, restoreTimeout);
          }
        }
        Object wrapped = wrapResult(proxy, method.getReturnType(), result);
        if (target instanceof Connection && name.equals("prepareStatement")
            && options.embedded() != null && wrapped != result) {
          Handler h = (Handler) Proxy.getInvocationHandler(wrapped);
          h.startBatchInsert(options.embedded().batchInsert((Connection) target, (String) args[0]));
        }
        return wrapped;
      } catch (InvocationTargetException e) {
        throw translate(e.getCause());
      } catch (SQLException | RuntimeException e) {
        // Requests the driver sends on its own (a remote statement's timeout) fail as Avatica's
        // client does, with a RuntimeException; the caller gets a SQLException all the same.
        throw translate(e);
      }
    }

    /**
     * Puts the session's statement timeout back after an execution. When the server now wants a
     * login (the execution created its first user), the session has no timeout left to restore
     * and every later request gets 28000, so the execution's own outcome stands.
     */
    private void restoreTimeout(Statement statement, int previous) throws Throwable {
      try {
        RemoteTimeout.end(statement, previous);
      } catch (SQLException | RuntimeException e) {
        Throwable t = translate(e);
        if (!(t instanceof SQLException refused && "28000".equals(refused.getSQLState()))) {
          throw t;
        }
      }
    }

    private static final Object NOT_HANDLED = new Object();

    /** {@code createStatement()} of a remote connection: a kept statement, else a new one. */
    private Statement plainStatement() throws Throwable {
      Statement s = idleStatements.take();
      if (s == null) {
        s = createFreeing(() -> ((Connection) target).createStatement());
        idleStatements.created(s);
      }
      Handler h = new Handler(s, options, connectionProxy);
      h.returnTo = idleStatements;
      return (Statement) Proxy.newProxyInstance(VectorJdbc.class.getClassLoader(),
          new Class<?>[] {Statement.class}, h);
    }

    /** Creates a statement; if the server has no room for it, closes the kept ones and retries. */
    private Object createFreeingIdle(Object proxy, Method method, Object[] args)
        throws Throwable {
      Object created = createFreeing(() -> {
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      });
      return wrapResult(proxy, method.getReturnType(), created);
    }

    private interface Creation<T> {
      T create() throws SQLException;
    }

    /** Avatica's client raises the server's refusals as runtime errors: they leave translated. */
    private <T> T createFreeing(Creation<T> creation) throws Throwable {
      try {
        return creation.create();
      } catch (SQLException | RuntimeException e) {
        Throwable error = translate(e);
        if (!(error instanceof SQLException sql && STATEMENT_LIMIT.equals(sql.getSQLState())
            && idleStatements.closeAll())) {
          throw error;
        }
      }
      try {
        return creation.create();
      } catch (SQLException | RuntimeException e) {
        throw translate(e);
      }
    }

    /**
     * A remote connection's metadata: Avatica's protocol has no request for primary keys or
     * indexes, and its type list is the server's generic one, so these are asked in SQL.
     */
    private DatabaseMetaData remoteMetaData(DatabaseMetaData avatica) {
      return (DatabaseMetaData) Proxy.newProxyInstance(VectorJdbc.class.getClassLoader(),
          new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
            Connection c = connectionProxy;
            try {
              return switch (method.getName()) {
                case "getPrimaryKeys" -> CatalogQueries.getPrimaryKeys(c, (String) args[0],
                    (String) args[1], (String) args[2]);
                case "getIndexInfo" -> CatalogQueries.getIndexInfo(c, (String) args[0],
                    (String) args[1], (String) args[2], (Boolean) args[3], (Boolean) args[4]);
                case "getTypeInfo" -> CatalogQueries.getTypeInfo(c);
                case "getTableTypes" -> CatalogQueries.getTableTypes(c);
                case "getConnection" -> c;
                default -> method.invoke(avatica, args);
              };
            } catch (InvocationTargetException e) {
              throw translate(e.getCause());
            }
          });
    }

    private void startBatchInsert(EmbeddedConnector.BatchInsert insert) {
      if (insert != null) {
        batchInsert = insert;
        parameters = new Object[insert.parameterCount()];
        Arrays.fill(parameters, UNSET);
        pendingRows = new ArrayList<>();
      }
    }

    /**
     * The batch path of a prepared INSERT: parameters are recorded, not sent; addBatch keeps the
     * row; executeBatch inserts all rows as one task. A single execution first hands the recorded
     * parameters to the delegate, so it runs as ordinary SQL.
     */
    private Object batchInsertCall(String name, Method method, Object[] args) throws Exception {
      PreparedStatement delegate = (PreparedStatement) target;
      if (name.startsWith("set") && args != null && args.length >= 2
          && args[0] instanceof Integer index && method.getDeclaringClass() == PreparedStatement.class) {
        if (index < 1 || index > parameters.length) {
          return NOT_HANDLED;
        }
        if (name.equals("setNull")) {
          parameters[index - 1] = null;
          return null;
        }
        if (PLAIN_SETTERS.contains(name) && (options.embedded() != null || args.length == 2)) {
          // JDBC binds a value when it is set: the application may reuse its array.
          parameters[index - 1] = args[1] instanceof float[] f ? f.clone() : args[1];
          return null;
        }
        abandonBatchInsert();
        return NOT_HANDLED;
      }
      switch (name) {
        case "clearParameters" -> {
          Arrays.fill(parameters, UNSET);
          return method.invoke(target, args);
        }
        case "addBatch" -> {
          if (args != null && args.length > 0) {
            return NOT_HANDLED;
          }
          for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == UNSET) {
              throw new SQLException("parameter " + (i + 1) + " is not set", "07001");
            }
          }
          pendingRows.add(parameters.clone());
          return null;
        }
        case "clearBatch" -> {
          pendingRows.clear();
          return method.invoke(target, args);
        }
        case "executeBatch", "executeLargeBatch" -> {
          List<Object[]> rows = new ArrayList<>(pendingRows);
          pendingRows.clear();
          int[] counts = rows.isEmpty() ? new int[0] : batchInsert.insert(rows);
          if (counts == null) {
            // Rows the fast path leaves to the statement itself (remote only).
            Object[] current = parameters;
            for (Object[] row : rows) {
              parameters = row;
              sendParameters(delegate);
              delegate.addBatch();
            }
            parameters = current;
            counts = delegate.executeBatch();
          }
          return name.equals("executeBatch") ? counts : toLongs(counts);
        }
        case "execute", "executeUpdate", "executeLargeUpdate", "executeQuery" -> {
          if (args == null || args.length == 0) {
            sendParameters(delegate);
          }
          return NOT_HANDLED;
        }
        default -> {
          return NOT_HANDLED;
        }
      }
    }

    private void sendParameters(PreparedStatement delegate) throws SQLException {
      for (int i = 0; i < parameters.length; i++) {
        Object v = parameters[i];
        if (v == UNSET) {
          continue;
        }
        if (options.embedded() != null) {
          delegate.setObject(i + 1, v instanceof float[] f ? f.clone() : v);
        } else if (sendVector(delegate, i + 1, v)) {
          continue;
        } else if (v == null) {
          delegate.setNull(i + 1, Types.NULL);
        } else {
          delegate.setObject(i + 1, v);
        }
      }
    }

    /** This remote connection's HTTP client for batches, made on first use. */
    private synchronized org.apache.calcite.avatica.remote.AvaticaHttpClient remoteBatchClient()
        throws SQLException {
      if (batchClient == null) {
        batchClient = SideClients.of(((Connection) target).unwrap(
            org.apache.calcite.avatica.AvaticaConnection.class));
      }
      return batchClient;
    }

    private synchronized void closeBatchClient() {
      SideClients.close(batchClient);
      batchClient = null;
    }

    /** A setter the batch path does not know: from now on everything goes to the delegate. */
    private void abandonBatchInsert() throws SQLException {
      PreparedStatement delegate = (PreparedStatement) target;
      Object[] current = parameters;
      for (Object[] row : pendingRows) {
        parameters = row;
        sendParameters(delegate);
        delegate.addBatch();
      }
      parameters = current;
      sendParameters(delegate);
      batchInsert = null;
      pendingRows = null;
    }

    /**
     * Errors leave as SQLExceptions with Quiver's SQLSTATE; an embedded engine's runtime errors
     * (raised while a result set is read, say) and JVM errors are SQLExceptions too.
     */
    private Throwable translate(Throwable t) {
      if (options.translateError() == null) {
        return t instanceof SQLException e ? PasswordRedaction.redact(e) : t;
      }
      if (t instanceof SQLException e) {
        return PasswordRedaction.redact(options.translateError().apply(e));
      }
      if (t instanceof RuntimeException || t instanceof Error) {
        // An embedded engine's stack overflow or out-of-memory error is the statement's too.
        return PasswordRedaction.redact(
            options.translateError().apply(new SQLException(t.getMessage(), null, t)));
      }
      return t;
    }

    /**
     * A remote parameter's value sent in its wire form ({@link VectorBytes#wireForm}), if it is a
     * vector value; false if it is not, and nothing was sent.
     */
    private static boolean sendVector(PreparedStatement delegate, int index, Object value)
        throws SQLException {
      // Avatica's client describes parameters from the prepare: no request here.
      ParameterMetaData md = delegate.getParameterMetaData();
      Object wire = index < 1 || index > md.getParameterCount() ? value
          : VectorBytes.wireForm(value, md.getParameterTypeName(index),
              md.getParameterType(index));
      if (wire == value) {
        return false;
      }
      if (wire instanceof byte[] bytes) {
        delegate.setBytes(index, bytes);
      } else {
        delegate.setString(index, (String) wire);
      }
      return true;
    }

    /** The kind of parameter {@code index} of {@code statement}; null if it has none. */
    private static VectorBytes.Kind parameterKind(PreparedStatement statement, int index)
        throws SQLException {
      // Calcite describes parameters from the prepare.
      ParameterMetaData md = statement.getParameterMetaData();
      return index < 1 || index > md.getParameterCount() ? null
          : VectorBytes.Kind.of(md.getParameterTypeName(index));
    }

    /**
     * A value the server sends Quiver's driver: a vector value as the bytes of its column's kind
     * (in a column of no vector type, a dense vector as float32 bytes and others as text, which
     * is what the driver reads there), anything else as it is.
     */
    private Object binaryObject(ResultSet rs, int column, Object value) throws SQLException {
      if (!(value instanceof VectorValue || value instanceof BitValue
          || value instanceof SparseVectorValue)) {
        return value;
      }
      VectorBytes.Kind kind = columnKind(rs, column);
      if (kind == null) {
        return value instanceof VectorValue v ? VectorBytes.encode(v.elements())
            : value.toString();
      }
      byte[] bytes = kind.encode(value);
      if (bytes == null) {
        // The driver reads the column's bytes by its type: any other form would be misread.
        throw new SQLException("column " + column + " of type "
            + rs.getMetaData().getColumnTypeName(column) + " holds a "
            + value.getClass().getSimpleName() + " that has no binary form of that type",
            "XX000");
      }
      return bytes;
    }

    /**
     * Whether a result-set call asks for text, which a vector column's value gives: getString of
     * a remote one (Avatica would read its bytes as a string), getObject(i, String.class) of a
     * remote one, getObject in text mode, and in abbreviated mode for a remote one (the engine's
     * bit strings and sparse vectors stay values there).
     */
    private boolean asksForText(String name, Object[] args) {
      boolean remote = options.embedded() == null;
      int argc = args == null ? 0 : args.length;
      if (name.equals("getString") || name.equals("getNString")) {
        return remote && argc == 1;
      }
      if (!name.equals("getObject")) {
        return false;
      }
      if (argc == 2) {
        return remote && args[1] == String.class;
      }
      return argc == 1 && (options.vectorObjects() == VectorObjects.TEXT
          || remote && options.vectorObjects() == VectorObjects.ABBREVIATED);
    }

    private static int column(ResultSet rs, Object[] args) throws SQLException {
      return args[0] instanceof Integer i ? i : rs.findColumn((String) args[0]);
    }

    private Object getObject(ResultSet rs, Object[] args) throws SQLException {
      int column = column(rs, args);
      VectorBytes.Kind kind = columnKind(rs, column);
      if (kind == VectorBytes.Kind.BIT) {
        return bitObject(rs, args, column);
      }
      if (kind == VectorBytes.Kind.SPARSEVEC) {
        return sparseObject(rs, args, column);
      }
      if (args.length == 2 && (args[1] == float[].class || args[1] == VectorValue.class)) {
        Object value = rs.getObject(column);
        if (value == null) {
          return null;
        }
        if (args[1] == VectorValue.class) {
          if (value instanceof VectorValue v) {
            return v;
          }
          float[] elements = elements(value, kind);
          return kind == VectorBytes.Kind.HALFVEC ? VectorValue.wrapHalf(elements)
              : VectorValue.wrap(elements);
        }
        // The application may change its array; a value's is shared with the engine.
        return value instanceof VectorValue v ? v.elements().clone() : elements(value, kind);
      }
      Object value = args.length == 1 ? rs.getObject(column) : invokeGetObject(rs, args, column);
      if (value instanceof VectorValue v) {
        return v.elements().clone();
      }
      if ((value instanceof String || value instanceof byte[]) && kind != null) {
        return elements(value, kind);
      }
      return value;
    }

    /**
     * A BIT column's value for an application: the {@link BitValue} (embedded), or one read from
     * the bytes a remote server sends; {@code getObject(i, String.class)} gives the text.
     */
    private static Object bitObject(ResultSet rs, Object[] args, int column)
        throws SQLException {
      if (args.length == 2 && args[1] == String.class) {
        return VectorBytes.Kind.BIT.text(rs.getObject(column));
      }
      if (args.length == 2 && args[1] != BitValue.class && args[1] != Object.class) {
        return invokeGetObject(rs, args, column);
      }
      Object value = rs.getObject(column);
      if (value == null || value instanceof BitValue) {
        return value;
      }
      if (value instanceof byte[] bytes) {
        return VectorBytes.decodeBits(bytes);
      }
      try {
        return BitValue.parse(value.toString());
      } catch (IllegalArgumentException e) {
        throw new SQLException(e.getMessage(), "22P02", e);
      }
    }

    /**
     * A SPARSEVEC column's value for an application: the {@link SparseVectorValue} (embedded), or
     * one read from the bytes a remote server sends; {@code getObject(i, String.class)} gives the
     * text.
     */
    private static Object sparseObject(ResultSet rs, Object[] args, int column)
        throws SQLException {
      if (args.length == 2 && args[1] == String.class) {
        return VectorBytes.Kind.SPARSEVEC.text(rs.getObject(column));
      }
      if (args.length == 2 && args[1] != SparseVectorValue.class && args[1] != Object.class) {
        return invokeGetObject(rs, args, column);
      }
      Object value = rs.getObject(column);
      if (value == null || value instanceof SparseVectorValue) {
        return value;
      }
      if (value instanceof byte[] bytes) {
        return VectorBytes.decodeSparse(bytes);
      }
      try {
        return SparseVectorValue.parse(value.toString());
      } catch (SparseVectorValue.Invalid e) {
        throw new SQLException(e.getMessage(), e.sqlState(), e);
      }
    }

    /** A fresh array of a dense vector of {@code kind} from a remote server: bytes, or text. */
    private static float[] elements(Object value, VectorBytes.Kind kind) throws SQLException {
      return value instanceof byte[] bytes ? (float[]) kind.decode(bytes)
          : VectorText.parse(value.toString());
    }

    /**
     * Result-set or parameter metadata with vector columns described for this side of the wire:
     * as {@code BINARY} by the server for Quiver's driver ({@link VectorObjects#BINARY}), else as
     * {@code VARCHAR}, so that tools show their text, whatever the engine (which hands out the
     * values themselves) or the wire says.
     */
    private Object describeVectors(Object metaData, Class<?> type) {
      boolean binary = options.vectorObjects() == VectorObjects.BINARY;
      int vectorType = binary ? Types.BINARY : Types.VARCHAR;
      String className = binary ? byte[].class.getName() : String.class.getName();
      // An application's getObject reads a BitValue or a SparseVectorValue.
      String bitClassName = options.vectorObjects() == VectorObjects.FLOAT_ARRAY
          ? BitValue.class.getName() : className;
      String sparseClassName = options.vectorObjects() == VectorObjects.FLOAT_ARRAY
          ? SparseVectorValue.class.getName() : className;
      if (metaData == null) {
        return null;
      }
      boolean columns = type == ResultSetMetaData.class;
      return Proxy.newProxyInstance(VectorJdbc.class.getClassLoader(), new Class<?>[] {type},
          (proxy, method, args) -> {
            try {
              String name = method.getName();
              if (columns && arraysAsText()
                  && (name.equals("getColumnType") || name.equals("getColumnClassName"))
                  && ((ResultSetMetaData) metaData).getColumnType((Integer) args[0])
                      == Types.ARRAY) {
                // Handed out as PostgreSQL's array text (PostgresArrayText).
                return name.equals("getColumnType") ? (Object) Types.VARCHAR
                    : String.class.getName();
              }
              if ((name.equals(columns ? "getColumnType" : "getParameterType")
                  || name.equals(columns ? "getColumnClassName" : "getParameterClassName"))
                  && isVectorType(metaData, columns, (Integer) args[0])) {
                return name.endsWith("Type") ? (Object) vectorType : className;
              }
              if ((name.equals(columns ? "getColumnType" : "getParameterType")
                  || name.equals(columns ? "getColumnClassName" : "getParameterClassName"))
                  && BitValue.isTypeName(typeName(metaData, columns, (Integer) args[0]))) {
                return name.endsWith("Type") ? (Object) vectorType : bitClassName;
              }
              if ((name.equals(columns ? "getColumnType" : "getParameterType")
                  || name.equals(columns ? "getColumnClassName" : "getParameterClassName"))
                  && SparseVectorValue.isTypeName(typeName(metaData, columns,
                      (Integer) args[0]))) {
                return name.endsWith("Type") ? (Object) vectorType : sparseClassName;
              }
              return method.invoke(metaData, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    private static boolean isVectorType(Object metaData, boolean columns, int index)
        throws SQLException {
      return VectorText.isVectorTypeName(typeName(metaData, columns, index));
    }

    private static String typeName(Object metaData, boolean columns, int index)
        throws SQLException {
      return columns ? ((ResultSetMetaData) metaData).getColumnTypeName(index)
          : ((ParameterMetaData) metaData).getParameterTypeName(index);
    }

    private static Object invokeGetObject(ResultSet rs, Object[] args, int column)
        throws SQLException {
      if (args[1] instanceof Class<?> type) {
        return rs.getObject(column, type);
      }
      @SuppressWarnings("unchecked")
      Map<String, Class<?>> map = (Map<String, Class<?>>) args[1];
      return rs.getObject(column, map);
    }

    /** The kind of column {@code column} of {@code rs}, from its type name; null if none. */
    /**
     * Whether array columns are handed out as their text: on the Avatica server's connections,
     * whose wire cannot carry them (CALCITE-3162: Avatica fails on reading one).
     */
    private boolean arraysAsText() {
      return options.embedded() != null && (options.vectorObjects() == VectorObjects.TEXT
          || options.vectorObjects() == VectorObjects.BINARY);
    }

    private boolean isArrayColumn(ResultSet rs, int column) throws SQLException {
      if (arrayColumns == null) {
        ResultSetMetaData md = rs.getMetaData();
        boolean[] arrays = new boolean[md.getColumnCount() + 1];
        for (int i = 1; i < arrays.length; i++) {
          arrays[i] = md.getColumnType(i) == Types.ARRAY;
        }
        arrayColumns = arrays;
      }
      return column > 0 && column < arrayColumns.length && arrayColumns[column];
    }

    private VectorBytes.Kind columnKind(ResultSet rs, int column) throws SQLException {
      if (columnKinds == null) {
        ResultSetMetaData md = rs.getMetaData();
        VectorBytes.Kind[] kinds = new VectorBytes.Kind[md.getColumnCount() + 1];
        for (int i = 1; i < kinds.length; i++) {
          kinds[i] = VectorBytes.Kind.of(md.getColumnTypeName(i));
        }
        columnKinds = kinds;
      }
      return column > 0 && column < columnKinds.length ? columnKinds[column] : null;
    }

    /**
     * Wraps statements and result sets by the method's declared type: Calcite's prepared
     * statement is also its own ParameterMetaData, and unwrap must return the delegate itself.
     */
    private Object wrapResult(Object proxy, Class<?> declared, Object result) {
      if (declared == ResultSet.class && result instanceof ResultSet rs) {
        Handler h = new Handler(rs, options, connectionProxy);
        h.statementProxy = target instanceof Statement ? proxy : null;
        return Proxy.newProxyInstance(
            VectorJdbc.class.getClassLoader(), new Class<?>[] {ResultSet.class}, h);
      }
      if ((declared == Statement.class || declared == PreparedStatement.class)
          && result instanceof Statement s) {
        Class<?> type = s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return Proxy.newProxyInstance(VectorJdbc.class.getClassLoader(), new Class<?>[] {type},
            new Handler(s, options, connectionProxy));
      }
      return result;
    }

    private static long[] toLongs(int[] counts) {
      long[] longs = new long[counts.length];
      for (int i = 0; i < counts.length; i++) {
        longs[i] = counts[i];
      }
      return longs;
    }
  }
}
