package org.quiver.sql.jdbc;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Handler;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteMetaImpl;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.grammar.QuiverNames;
import org.quiver.sql.function.BitFunctions;
import org.quiver.sql.function.VectorFunctions;
import org.quiver.sql.prepare.QuiverPrepare;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.error.SqlErrors;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;
import org.quiver.sql.schema.SystemSchema;

/**
 * Calcite's JDBC driver set up for Quiver: Quiver's parser, DDL executor and planner rules, and
 * on each new connection the {@code public} schema over an engine and the {@code sys} schema.
 * Applications reach it through {@link org.quiver.jdbc.QuiverDriver}; it is not registered with
 * DriverManager itself.
 */
public final class EmbeddedDriver extends org.apache.calcite.jdbc.Driver {
  static final String PREFIX = "jdbc:quiver:embedded:";
  /** Connection property naming the engine's location (see {@link EngineRegistry}). */
  static final String LOCATION = "quiver.location";
  /** Connection property: rows per sealed segment, for an engine this connection opens. */
  static final String SEAL_ROWS = "sealRows";
  /** Connection property: a growing segment is sealed once it is this many milliseconds old. */
  static final String SEAL_AGE = "sealAgeMillis";
  /** Connection property: how far back time travel reads, for an engine this connection opens. */
  static final String RETENTION_MS = "retentionMs";
  /** Connection property: the catalog's shared store, such as etcd://host:2379/quiver/. */
  static final String CATALOG = "catalog";
  /** Connection property: the log's shared service, such as kafka://host:9092/quiver. */
  static final String LOG = "log";
  /** Connection property: the object store of segment and index files, such as s3://bucket/p. */
  static final String SEGMENTS = "segments";
  /**
   * Connection property: {@code remote} sends reads to the query nodes that register in the
   * catalog store (this engine is a cluster's coordinator), {@code local} (the default) keeps
   * them in this process.
   */
  static final String QUERY_NODES = "queryNodes";
  /**
   * Connection property: {@code host:port} of a cluster's coordinator whose engine this
   * connection's SQL calls over Arrow Flight (this process is a proxy); the engine's own
   * properties are then the coordinator's, and setting them here fails with 22023.
   */
  static final String COORDINATOR = "coordinator";
  private static final String METADATA_SCHEMA = "metadata";

  private final Map<AvaticaConnection, EngineRegistry.Handle> engines = new ConcurrentHashMap<>();

  public EmbeddedDriver() {
    super(QuiverPrepare::new);
  }

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override
  protected String getFactoryClassName(JdbcVersion jdbcVersion) {
    return QuiverJdbcFactory.class.getName();
  }

  /**
   * Calcite's meta layer with Quiver's table and column metadata, through which Quiver executes
   * prepared statements.
   */
  @Override
  public Meta createMeta(AvaticaConnection connection) {
    return new QuiverMeta(connection, CalciteMetaImpl.create((CalciteConnection) connection,
        QuiverMetaTableFactory.INSTANCE, QuiverMetaColumnFactory.INSTANCE));
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("Quiver embedded", "0.1.0", "Quiver", "0.1.0", true, 0, 1, 0, 1);
  }

  @Override
  protected Handler createHandler() {
    Handler calcite = super.createHandler();
    return new Handler() {
      @Override
      public void onConnectionInit(AvaticaConnection connection) throws SQLException {
        calcite.onConnectionInit(connection);
        install(connection);
      }

      @Override
      public void onConnectionClose(AvaticaConnection connection) {
        calcite.onConnectionClose(connection);
        EngineRegistry.Handle handle = engines.remove(connection);
        if (handle != null) {
          handle.close();
        }
      }

      @Override
      public void onStatementExecute(AvaticaStatement statement, ResultSink resultSink) {
        calcite.onStatementExecute(statement, resultSink);
      }

      @Override
      public void onStatementClose(AvaticaStatement statement) {
        calcite.onStatementClose(statement);
      }
    };
  }

  /**
   * The connection property {@code name} as a whole number in {@code [min, max]}, or null if it is
   * not set; 22023 naming the property and the value otherwise.
   */
  private static Long wholeNumber(Properties properties, String name, long min, long max)
      throws SQLException {
    String text = properties.getProperty(name);
    if (text == null) {
      return null;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below, as a value out of range is.
    }
    throw new SQLException("connection property " + name + " must be a whole number from " + min
        + " to " + max + ", got '" + text + "'", ErrorCode.INVALID_PARAMETER_VALUE.sqlState());
  }

  /**
   * The connection property {@code name} as a service location (scheme://host:port/path), or
   * null if it is not set; 22023 naming the property and the value otherwise (without a query,
   * which may carry credentials).
   */
  private static URI serviceLocation(Properties properties, String name) throws SQLException {
    String text = properties.getProperty(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(text.strip());
      if (uri.getScheme() != null && uri.getRawAuthority() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below, as a URI without a server is.
    }
    throw new SQLException("connection property " + name + " must be a location such as"
        + " scheme://host:port/path, got '"
        + (text.contains("?") ? text.substring(0, text.indexOf('?')) + "?..." : text) + "'",
        ErrorCode.INVALID_PARAMETER_VALUE.sqlState());
  }

  /** The {@value #QUERY_NODES} property: true for {@code remote}; 22023 for another value. */
  private static boolean queryNodes(Properties properties) throws SQLException {
    String value = properties.getProperty(QUERY_NODES, "local");
    return switch (value) {
      case "local" -> false;
      case "remote" -> true;
      default -> throw new SQLException("queryNodes must be local or remote, not '" + value
          + "'", ErrorCode.INVALID_PARAMETER_VALUE.sqlState());
    };
  }

  private void install(AvaticaConnection connection) throws SQLException {
    CalciteConnection calcite = connection.unwrap(CalciteConnection.class);
    String location = calcite.getProperties().getProperty(LOCATION);
    Properties properties = calcite.getProperties();
    // Checked before the engine opens, so that a bad value fails the connection, not the engine.
    Long sealRows = wholeNumber(properties, SEAL_ROWS, 1, Integer.MAX_VALUE);
    Long sealAge = wholeNumber(properties, SEAL_AGE, 1, Long.MAX_VALUE);
    Long retention = wholeNumber(properties, RETENTION_MS, 0, Long.MAX_VALUE);
    URI catalog = serviceLocation(properties, CATALOG);
    URI log = serviceLocation(properties, LOG);
    URI segmentStore = serviceLocation(properties, SEGMENTS);
    boolean remoteQueryNodes = queryNodes(properties);
    String coordinator = properties.getProperty(COORDINATOR);
    if (coordinator != null) {
      List<String> engineOnly = Stream.of(SEAL_ROWS, SEAL_AGE, RETENTION_MS, CATALOG, LOG,
          SEGMENTS, QUERY_NODES).filter(properties::containsKey).toList();
      if (!engineOnly.isEmpty()) {
        throw new SQLException(String.join(", ", engineOnly) + " belong to the coordinator's"
            + " engine; a connection through coordinator=" + coordinator + " cannot set them",
            ErrorCode.INVALID_PARAMETER_VALUE.sqlState());
      }
      try {
        QuiverConfig.at(java.nio.file.Path.of(".")).withCoordinator(coordinator);
      } catch (IllegalArgumentException e) {
        throw new SQLException(e.getMessage(), ErrorCode.INVALID_PARAMETER_VALUE.sqlState(), e);
      }
    }
    if (remoteQueryNodes && (catalog == null || log == null || segmentStore == null)) {
      throw new SQLException("queryNodes=remote needs the catalog, log and segments properties:"
          + " query nodes in other processes read all three from shared services",
          ErrorCode.INVALID_PARAMETER_VALUE.sqlState());
    }
    EngineRegistry.Handle handle = EngineRegistry.acquire(location, config -> {
      if (coordinator != null) {
        return config.withCoordinator(coordinator);
      }
      QuiverConfig tuned = config.withCatalog(catalog).withLog(log)
          .withSegments(segmentStore).withRemoteQueryNodes(remoteQueryNodes);
      if (sealRows != null) {
        tuned = tuned.withSealRows(sealRows.intValue());
      }
      if (sealAge != null) {
        tuned = tuned.withSealAgeMillis(sealAge);
      }
      if (retention != null) {
        tuned = tuned.withRetentionMs(retention);
      }
      return tuned;
    });
    engines.put(connection, handle);
    Session session = new Session(handle.engine(), location.startsWith("file:")
        ? java.nio.file.Path.of(location.substring("file:".length())).toAbsolutePath().normalize()
        : null);
    // A connection property can set statement_timeout from the start; remote clients' connection
    // properties (not those in the URL) reach the server's connection, so it works there too.
    String timeout = calcite.getProperties()
        .getProperty(SessionSetting.STATEMENT_TIMEOUT.settingName());
    if (timeout != null) {
      try {
        session.set(SessionSetting.STATEMENT_TIMEOUT, timeout);
      } catch (RuntimeException e) {
        handle.close();
        engines.remove(connection);
        throw SqlErrors.translate(new SQLException(e.getMessage(), e));
      }
    }
    SchemaPlus root = calcite.getRootSchema();
    // Calcite's own "metadata" schema would show in tools next to public and sys.
    CalciteSchema.from(root).removeSubSchema(METADATA_SCHEMA);
    addUncached(root, QuiverSchema.NAME, new QuiverSchema(session));
    addUncached(root, QuiverNames.SYSTEM_SCHEMA, new SystemSchema(session));
    addFunction(root, QuiverNames.L2_DISTANCE_FUNCTION, "l2Distance");
    addFunction(root, QuiverNames.COSINE_DISTANCE_FUNCTION, "cosineDistance");
    addFunction(root, QuiverNames.NEGATIVE_INNER_PRODUCT_FUNCTION, "negativeInnerProduct");
    addFunction(root, "inner_product", "innerProduct");
    addFunction(root, "vector_dims", "vectorDims");
    addFunction(root, "vector_norm", "vectorNorm");
    addFunction(root, "l2_norm", "l2Norm");
    addFunction(root, QuiverNames.L1_DISTANCE_FUNCTION, "l1Distance");
    addFunction(root, "l2_normalize", "l2Normalize");
    addFunction(root, "subvector", "subvector");
    addFunction(root, "binary_quantize", "binaryQuantize");
    addFunction(root, "vector_cmp", "vectorCmp");
    addFunction(root, "halfvec_cmp", "halfvecCmp");
    addFunction(root, "sparsevec_cmp", "sparsevecCmp");
    addBitFunction(root, QuiverNames.HAMMING_DISTANCE_FUNCTION, "hammingDistance");
    addBitFunction(root, QuiverNames.JACCARD_DISTANCE_FUNCTION, "jaccardDistance");
    addBitFunction(root, "bit_count", "bitCount");
    calcite.setSchema(QuiverSchema.NAME);
  }

  /**
   * Adds a schema whose tables are looked up afresh every time, so that metadata calls on a
   * long-lived connection (the Flight server's pooled ones) see DDL made since. Calcite snapshots
   * a schema's table lookup, and setCache(false) switches off only the snapshots that exist
   * already; the lookup is built on first use, so it is built here first.
   */
  private static void addUncached(SchemaPlus root, String name, Schema schema) {
    CalciteSchema added = CalciteSchema.from(root.add(name, schema));
    added.tables();
    added.setCache(false);
  }

  private static void addFunction(SchemaPlus root, String name, String method) {
    root.add(name, ScalarFunctionImpl.create(VectorFunctions.class, method));
  }

  private static void addBitFunction(SchemaPlus root, String name, String method) {
    root.add(name, ScalarFunctionImpl.create(BitFunctions.class, method));
  }
}
