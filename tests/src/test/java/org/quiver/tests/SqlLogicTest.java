package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.EngineHost;
import org.quiver.engine.api.QueryNodeHost;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalKafka;
import org.quiver.fixtures.LocalS3;
import org.quiver.storage.FileTrees;
import org.quiver.sql.server.QuiverServer;

/**
 * Runs the SQL logic tests in {@code src/test/resources/sql/*.test}, each under every
 * configuration: default, tiny segments (a segment is sealed and flushed every 2 rows), remote
 * through the stock Avatica driver (so every SQLSTATE must also reach remote clients), flush after
 * every statement (reads from sealed segments), and restart before every query (reads after
 * recovery). Every file runs under every configuration unless it opts out of one, with its
 * reason, on a line {@code # not under: NAME -- reason}: the list of what runs where is in the
 * files, not here.
 *
 * <p>File format, in the manner of sqllogictest and DuckDB:
 *
 * <pre>
 * # comment
 * statement ok
 * CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))
 *
 * statement error 42P07
 * CREATE TABLE t (id BIGINT PRIMARY KEY)
 * ----
 * already exists
 *
 * query
 * SELECT id, v FROM t ORDER BY id
 * ----
 * 1 | [1.0,2.0]
 *
 * explain
 * EXPLAIN PLAN FOR SELECT id FROM t ORDER BY v <-> [1, 0] LIMIT 2
 * ----
 * QuiverVectorSearch
 * !QuiverSort
 *
 * restart
 * </pre>
 *
 * A statement runs until a blank line or {@code ----}. An expected error names its SQLSTATE and,
 * after {@code ----}, a fragment its message must contain. Query rows are written with columns
 * separated by {@code " | "}, NULL as {@code NULL}, floating-point values rounded to 4 decimals
 * (NaN and the infinities as {@code NaN}, {@code Infinity}, {@code -Infinity}).
 * An {@code explain} block checks a plan: each expected line is a fragment the plan must
 * contain, or, after {@code !}, must not contain.
 * {@code restart} closes the connection, which closes the engine, and opens it again from disk.
 */
class SqlLogicTest {
  private static final String SEPARATOR = "----";

  @TempDir
  Path temp;

  enum Config {
    DEFAULT(null, false),
    TINY_SEGMENTS("2", false),
    /** Through {@code quiver serve}'s Avatica server and the stock Avatica JDBC driver. */
    REMOTE_STOCK_AVATICA(null, true),
    /** Every table is flushed after every statement: reads come from sealed segments. */
    FLUSH_AFTER_EVERY_STATEMENT(null, false),
    /** The engine is closed and opened again before every query: reads come from recovery. */
    RESTART_BEFORE_EVERY_QUERY(null, false),
    /**
     * The catalog, clock, ids and checkpoints in a real etcd, the log on a real Kafka broker, and
     * the segment and index files in a real S3 server (S3Proxy), all started by this class; a
     * restart also empties the local segment cache, so reads after it come from the bucket.
     */
    SHARED_SERVICES(null, false),
    /**
     * As {@link #SHARED_SERVICES}, as a cluster: the statements go to a proxy (the SQL layer over
     * a connection with {@code coordinator=host:port}) whose every engine call crosses Arrow
     * Flight to a coordinator, whose reads go to two query nodes over Arrow Flight (all in this
     * JVM, each node with its own cache folder, consumer groups and etcd session); the query
     * nodes outlive a restart of the coordinator and join it again.
     */
    CLUSTER(null, false);

    final String sealRows;
    final boolean remote;

    Config(String sealRows, boolean remote) {
      this.sealRows = sealRows;
      this.remote = remote;
    }
  }

  /**
   * The configurations a file opts out of, with its reason, on a line {@code # not under: NAME,
   * ... -- reason} (connection state such as SET values does not survive a restart).
   */
  private static List<String> optedOut(List<String> lines) {
    for (String line : lines) {
      String l = line.strip();
      if (l.startsWith("# not under:")) {
        String names = l.substring("# not under:".length()).split("--")[0];
        return List.of(names.strip().split("\\s*,\\s*"));
      }
    }
    return List.of();
  }

  /** FLUSH TABLE of every table, as the flush-after-every-statement configuration does. */
  private static void flushAll(Connection connection, String where) {
    List<String> tables = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM sys.tables")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
      for (String t : tables) {
        s.execute("FLUSH TABLE \"" + t + "\"");
      }
    } catch (SQLException e) {
      fail(where + ": flushing every table failed with " + e.getSQLState() + " " + e.getMessage(), e);
    }
  }

  /** The services of {@link Config#SHARED_SERVICES}, started by the first file that needs them. */
  private static LocalEtcd etcd;
  private static LocalKafka kafka;
  private static LocalS3 s3;

  private static synchronized LocalEtcd etcd() {
    if (etcd == null) {
      etcd = LocalEtcd.start();
    }
    return etcd;
  }

  private static synchronized LocalKafka kafka() {
    if (kafka == null) {
      kafka = LocalKafka.start();
    }
    return kafka;
  }

  private static synchronized LocalS3 s3() {
    if (s3 == null) {
      s3 = LocalS3.start();
    }
    return s3;
  }

  @AfterAll
  static void stopServices() {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
    if (etcd != null) {
      etcd.close();
      etcd = null;
    }
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }

  /** Where a file's statements go: an embedded engine, or a server on the same directory. */
  private static final class Target implements AutoCloseable {
    private final Path data;
    private final Config config;
    private QuiverServer server;
    private Connection connection;
    /** The query nodes of {@link Config#CLUSTER}, started with the target and closed with it. */
    private final List<QueryNodeHost> queryNodes = new ArrayList<>();
    /** The coordinator of {@link Config#CLUSTER} and its server for the proxy, while open. */
    private Engine coordinator;
    private EngineHost coordinatorHost;

    Target(Path data, Config config) throws SQLException {
      this.data = data;
      this.config = config;
      open();
    }

    private void open() throws SQLException {
      if (config.remote) {
        server = QuiverServer.start(data, "127.0.0.1", 0);
        connection = DriverManager.getConnection(server.avaticaUrl());
      } else {
        Properties info = new Properties();
        if (config.sealRows != null) {
          info.setProperty("sealRows", config.sealRows);
        }
        if (config == Config.SHARED_SERVICES || config == Config.CLUSTER) {
          // A catalog root and a log namespace of its own per file, which a restart finds again.
          String name = data.getFileName().toString().replaceAll("[^A-Za-z0-9]", "");
          info.setProperty("catalog", etcd().endpoint().replace("http://", "etcd://")
              + "/sqltest/" + name + "/");
          info.setProperty("log", "kafka://" + kafka().bootstrapServers() + "/" + name
              + "?replication=1");
          info.setProperty("segments", s3().location("sqltest/" + name + "/"));
        }
        if (config == Config.CLUSTER) {
          if (queryNodes.isEmpty()) {
            startQueryNodes(info);
          }
          coordinator = Engine.open(QuiverConfig.at(data)
              .withCatalog(URI.create(info.getProperty("catalog")))
              .withLog(URI.create(info.getProperty("log")))
              .withSegments(URI.create(info.getProperty("segments")))
              .withRemoteQueryNodes(true));
          coordinatorHost = EngineHost.serve(coordinator, "127.0.0.1", 0);
          Properties proxy = new Properties();
          proxy.setProperty("coordinator", coordinatorHost.endpoint());
          connection = DriverManager.getConnection("jdbc:quiver:file:" + data.resolve("proxy"),
              proxy);
          return;
        }
        connection = DriverManager.getConnection("jdbc:quiver:file:" + data, info);
      }
    }

    Connection connection() {
      return connection;
    }

    /**
     * Two query nodes on the file's shared services, registered before the coordinator opens, so
     * that it finds them as it does.
     */
    private void startQueryNodes(Properties info) {
      for (int i = 1; i <= 2; i++) {
        queryNodes.add(QueryNodeHost.start(QuiverConfig.at(data.resolve("querynode" + i))
            .withCatalog(URI.create(info.getProperty("catalog")))
            .withLog(URI.create(info.getProperty("log")))
            .withSegments(URI.create(info.getProperty("segments"))), "node" + i, "127.0.0.1", 0));
      }
    }

    /** Closes everything that holds the engine, which closes it, and opens it again from disk. */
    void restart() throws SQLException {
      closeEngine();
      if (config == Config.SHARED_SERVICES || config == Config.CLUSTER) {
        // The local folders are only a cache of the bucket.
        FileTrees.deleteRecursively(data.resolve("segments"));
      }
      open();
    }

    @Override
    public void close() throws SQLException {
      closeEngine();
      queryNodes.forEach(QueryNodeHost::close);
      queryNodes.clear();
    }

    private void closeEngine() throws SQLException {
      connection.close();
      if (coordinatorHost != null) {
        coordinatorHost.close();
        coordinatorHost = null;
        coordinator.close();
        coordinator = null;
      }
      if (server != null) {
        server.close();
        server = null;
      }
    }
  }

  @TestFactory
  Stream<DynamicContainer> sqlFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(SqlLogicTest.class.getResource("/sql").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      // -Dquiver.sqltest=upsert,delete runs only the files whose names start with those words.
      String only = System.getProperty("quiver.sqltest", "");
      files = s.filter(p -> p.toString().endsWith(".test"))
          .filter(p -> only.isBlank() || List.of(only.split(",")).stream()
              .anyMatch(w -> p.getFileName().toString().startsWith(w.strip())))
          .sorted().toList();
    }
    assertTrue(!files.isEmpty(), "no .test files in " + dir);
    // -Dquiver.sqltest.config=shared_services,default runs only those configurations.
    String configs = System.getProperty("quiver.sqltest.config", "");
    return Stream.of(Config.values())
        .filter(config -> configs.isBlank() || List.of(configs.split(",")).stream()
            .anyMatch(c -> c.strip().equalsIgnoreCase(config.name())))
        .map(config -> DynamicContainer.dynamicContainer(
        config.name().toLowerCase(), files.stream()
            .map(file -> DynamicTest.dynamicTest(
            file.getFileName().toString(), () -> run(file, config)))));
  }

  private void run(Path file, Config config) throws Exception {
    Path data = Files.createTempDirectory(temp, config.name());
    List<String> lines = Files.readAllLines(file);
    // Reported as skipped, not passed: the file says why on its "# not under:" line.
    Assumptions.assumeFalse(optedOut(lines).contains(config.name()),
        () -> file.getFileName() + " opts out of " + config.name());
    try (Target target = new Target(data, config)) {
      int i = 0;
      while (i < lines.size()) {
        String line = lines.get(i).strip();
        int lineNumber = i + 1;
        if (line.isEmpty() || line.startsWith("#")) {
          i++;
          continue;
        }
        String where = file.getFileName() + ":" + lineNumber + " [" + config + "]";
        if (line.equals("restart")) {
          target.restart();
          i++;
          continue;
        }
        Connection connection = target.connection();
        List<String> sql = new ArrayList<>();
        i++;
        while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).strip().equals(SEPARATOR)) {
          sql.add(lines.get(i));
          i++;
        }
        List<String> expected = new ArrayList<>();
        if (i < lines.size() && lines.get(i).strip().equals(SEPARATOR)) {
          i++;
          while (i < lines.size() && !lines.get(i).isBlank()) {
            expected.add(lines.get(i).strip());
            i++;
          }
        }
        String statement = String.join("\n", sql);
        if (line.equals("query") && config == Config.RESTART_BEFORE_EVERY_QUERY) {
          target.restart();
          connection = target.connection();
        }
        if (line.equals("statement ok")) {
          try (Statement s = connection.createStatement()) {
            executeAndDrain(s, statement);
          } catch (SQLException e) {
            fail(where + ": expected success, got " + e.getSQLState() + " " + e.getMessage(), e);
          }
        } else if (line.startsWith("statement error")) {
          String state = line.substring("statement error".length()).strip();
          expectError(connection, statement, state, expected, where);
        } else if (line.equals("explain")) {
          String plan = String.join("\n", query(connection, statement, where));
          for (String fragment : expected) {
            if (fragment.startsWith("!")) {
              assertTrue(!plan.contains(fragment.substring(1)),
                  where + ": plan contains '" + fragment.substring(1) + "':\n" + plan);
            } else {
              assertTrue(plan.contains(fragment),
                  where + ": plan lacks '" + fragment + "':\n" + plan);
            }
          }
        } else if (line.equals("query")) {
          assertEquals(String.join("\n", expected), String.join("\n", query(connection, statement, where)),
              where + ": " + statement);
        } else {
          fail(where + ": unknown directive '" + line + "'");
        }
        if (config == Config.FLUSH_AFTER_EVERY_STATEMENT && line.startsWith("statement")) {
          flushAll(connection, where);
        }
      }
    }
  }

  private static void expectError(Connection c, String sql, String state, List<String> fragments,
      String where) {
    assertTrue(!state.isEmpty(), where + ": statement error needs a SQLSTATE");
    try (Statement s = c.createStatement()) {
      executeAndDrain(s, sql);
      fail(where + ": expected error " + state + ", but the statement succeeded: " + sql);
    } catch (SQLException e) {
      assertEquals(state, e.getSQLState(), where + ": wrong SQLSTATE for " + sql + ": " + e.getMessage());
      for (String fragment : fragments) {
        assertTrue(e.getMessage().contains(fragment),
            where + ": message '" + e.getMessage() + "' lacks '" + fragment + "'");
      }
    }
  }

  /** Runs a statement and reads all its rows: some errors are raised only while rows are read. */
  private static void executeAndDrain(Statement s, String sql) throws SQLException {
    if (s.execute(sql)) {
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
            rs.getObject(col);
          }
        }
      }
    }
  }

  private static List<String> query(Connection c, String sql, String where) {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>(n);
        for (int col = 1; col <= n; col++) {
          values.add(format(rs, col));
        }
        rows.add(String.join(" | ", values));
      }
    } catch (SQLException e) {
      fail(where + ": query failed with " + e.getSQLState() + " " + e.getMessage(), e);
    }
    return rows;
  }

  private static String format(ResultSet rs, int col) throws SQLException {
    Object value = rs.getObject(col);
    if (value == null) {
      return "NULL";
    }
    if (value instanceof float[]) {
      return rs.getString(col);
    }
    if ((value instanceof Double || value instanceof Float)
        && !Double.isFinite(((Number) value).doubleValue())) {
      // NaN and the infinities as PostgreSQL and Java write them: NaN, Infinity, -Infinity.
      return Double.toString(((Number) value).doubleValue());
    }
    if (value instanceof Double || value instanceof Float) {
      BigDecimal d = BigDecimal.valueOf(((Number) value).doubleValue())
          .setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
      return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
    return value.toString();
  }
}
