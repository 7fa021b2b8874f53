package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quiver.sql.bench.CountingHttpClients;
import org.quiver.sql.server.QuiverServer;

/**
 * Statement control: a query timeout and {@code cancel()} stop a long query with 57014 and leave
 * the connection usable; {@code setMaxRows} caps a result; a large remote result arrives in
 * frames of the fetch size, every row of it.
 */
class StatementControlTest {
  private static final int SMALL = 1000;
  private static final int BIG = 100_000;
  /** A join of 10^9 rows with an expression on each: hours of work, never allowed to finish. */
  private static final String LONG_QUERY = "SELECT COUNT(*) FROM a x, a y, a z "
      + "WHERE MOD(x.k * y.k + z.k + CHAR_LENGTH(x.s || y.s || z.s), 7) = 3";

  @TempDir
  static Path data;
  private static QuiverServer server;

  @BeforeAll
  static void start() throws Exception {
    server = QuiverServer.start(data, "127.0.0.1", 0);
    try (Connection c = embedded(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE a (id BIGINT PRIMARY KEY, k INTEGER, s VARCHAR(20))");
      s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, v INTEGER)");
      try (PreparedStatement p = c.prepareStatement("INSERT INTO a VALUES (?, ?, ?)")) {
        for (int i = 0; i < SMALL; i++) {
          p.setLong(1, i);
          p.setInt(2, i * 7 % 13);
          p.setString(3, "s" + i);
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO big VALUES (?, ?)")) {
        for (int i = 0; i < BIG; i++) {
          p.setLong(1, i);
          p.setInt(2, i % 100);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection embedded() throws SQLException {
    return DriverManager.getConnection("jdbc:quiver:file:" + data);
  }

  /**
   * Embedded, and remote through Quiver's driver, which hands the timeout to the server's session
   * (the stock Avatica driver keeps it to itself: see statementTimeoutSettingStopsALongQuery).
   */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "quiver-remote"})
  void queryTimeoutStopsALongQuery(String mode) throws SQLException {
    try (Connection c = open(mode, "")) {
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(1);
        SQLException e = assertThrows(SQLException.class, () -> {
          try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
            rs.next();
          }
        });
        assertEquals("57014", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
      }
      assertUsable(c);
      // The session's own setting is back as it was.
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
        assertTrue(rs.next());
        assertEquals("0", rs.getString(1));
      }
    }
  }

  /** A prepared statement runs in Quiver's own execution context, which carries both too. */
  @Test
  void queryTimeoutAndCancelStopAPreparedQuery() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = embedded();
        PreparedStatement p = c.prepareStatement(LONG_QUERY + " AND x.k >= ?")) {
      p.setInt(1, 0);
      p.setQueryTimeout(1);
      SQLException timedOut = assertThrows(SQLException.class, () -> {
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
        }
      });
      assertEquals("57014", timedOut.getSQLState(), timedOut.getMessage());
      p.setQueryTimeout(0);
      Future<?> running = pool.submit(() -> p.executeQuery().next());
      while (!running.isDone()) {
        p.cancel();
        Thread.sleep(20);
      }
      Exception e = assertThrows(Exception.class, () -> running.get(1, TimeUnit.MINUTES));
      SQLException cause = (SQLException) e.getCause();
      assertEquals("57014", cause.getSQLState(), cause.getMessage());
      assertUsable(c);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The variables a prepared statement's execution context answers (time, time zone, user) agree
   * with those of Calcite's context, which runs statements without parameters.
   */
  @Test
  void preparedStatementsSeeTheSameTimeAndUserAsPlainOnes() throws SQLException {
    String sql = "SELECT CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_USER, SYSTEM_USER, "
        + "CURRENT_DATE, EXTRACT(YEAR FROM LOCALTIMESTAMP), %s FROM a WHERE id = %s";
    try (Connection c = embedded(); Statement s = c.createStatement();
        ResultSet plain = s.executeQuery(String.format(sql, "'x'", "1"));
        PreparedStatement p = c.prepareStatement(
            String.format(sql, "CAST(? AS VARCHAR(5))", "?"))) {
      p.setString(1, "x");
      p.setLong(2, 1);
      try (ResultSet prepared = p.executeQuery()) {
        assertTrue(plain.next());
        assertTrue(prepared.next());
        long apart = Math.abs(prepared.getTimestamp(1).getTime() - plain.getTimestamp(1).getTime());
        assertTrue(apart < 60_000, "CURRENT_TIMESTAMP " + apart + " ms apart");
        apart = Math.abs(prepared.getTimestamp(2).getTime() - plain.getTimestamp(2).getTime());
        assertTrue(apart < 60_000, "LOCALTIMESTAMP " + apart + " ms apart");
        for (int column = 3; column <= 7; column++) {
          assertEquals(plain.getString(column), prepared.getString(column), "column " + column);
        }
      }
    }
  }

  @Test
  void cancelStopsALongQuery() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = embedded()) {
      try (Statement s = c.createStatement()) {
        Future<?> running = pool.submit(() -> s.executeQuery(LONG_QUERY).next());
        // Cancel until the query ends: a cancel that lands before it starts stops it as well.
        while (!running.isDone()) {
          s.cancel();
          Thread.sleep(20);
        }
        Exception e = assertThrows(Exception.class, () -> running.get(1, TimeUnit.MINUTES));
        SQLException cause = (SQLException) e.getCause();
        assertEquals("57014", cause.getSQLState(), cause.getMessage());
      }
      assertUsable(c);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Quiver's remote driver sends cancel() to the server on a request of its own, which stops the
   * running query there: 57014 reaches the executing thread, and the statement and connection run
   * the next query (a cancel that arrives when nothing runs does nothing, not even to the next).
   */
  @Test
  void remoteCancelStopsALongQuery() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = open("quiver-remote", ""); Statement s = c.createStatement()) {
      long started = System.nanoTime();
      Future<?> running = pool.submit(() -> s.executeQuery(LONG_QUERY).next());
      // A cancel before the server runs the query does nothing: repeat until it ends.
      while (!running.isDone() && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(1)) {
        Thread.sleep(300);
        s.cancel();
      }
      Exception e = assertThrows(Exception.class, () -> running.get(1, TimeUnit.SECONDS));
      SQLException cause = (SQLException) e.getCause();
      assertEquals("57014", cause.getSQLState(), cause.getMessage());
      assertTrue(cause.getMessage().contains("user request"), cause.getMessage());
      s.cancel();
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM a")) {
        assertTrue(rs.next());
        assertEquals(SMALL, rs.getLong(1));
      }
      assertUsable(c);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * CANCEL STATEMENT, the request behind Quiver's remote cancel(), reaches only a running statement
   * of the same connection: for anything else its update count is 0 and nothing happens. The stock
   * Avatica driver can send it from another statement of the running one's connection.
   */
  @Test
  void cancelStatementTouchesOnlyRunningStatementsOfItsConnection() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection owner = open("avatica-remote", "");
        Connection other = open("avatica-remote", "");
        Statement s = owner.createStatement()) {
      s.execute("SET statement_timeout = 20000");
      int id = s.unwrap(org.apache.calcite.avatica.AvaticaStatement.class).getId();
      Future<?> running = pool.submit(() -> s.executeQuery(LONG_QUERY).next());
      Thread.sleep(300);
      try (Statement o = other.createStatement()) {
        assertEquals(0, o.executeUpdate("CANCEL STATEMENT " + id));
      }
      // The same connection may stop it, from another statement (the stock driver's way); the
      // timeout only ends the query should the cancel fail.
      int stopped = 0;
      try (Statement o = owner.createStatement()) {
        while (stopped == 0 && !running.isDone()) {
          stopped = o.executeUpdate("CANCEL STATEMENT " + id);
          Thread.sleep(50);
        }
      }
      assertEquals(1, stopped);
      Exception e = assertThrows(Exception.class, () -> running.get(1, TimeUnit.MINUTES));
      SQLException cause = (SQLException) e.getCause();
      assertEquals("57014", cause.getSQLState(), cause.getMessage());
      assertTrue(cause.getMessage().contains("user request"), cause.getMessage());
      try (Statement o = owner.createStatement()) {
        assertEquals(0, o.executeUpdate("CANCEL STATEMENT " + id));
      }
      s.execute("RESET statement_timeout");
      assertUsable(owner);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The session's statement_timeout stops a long query wherever it runs: the only limit that
   * reaches the server from a stock Avatica client, whose protocol carries neither the query
   * timeout nor a cancel request.
   */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "quiver-remote", "avatica-remote"})
  void statementTimeoutSettingStopsALongQuery(String mode) throws SQLException {
    try (Connection c = open(mode, "")) {
      try (Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = 500");
        SQLException e = assertThrows(SQLException.class, () -> {
          try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
            rs.next();
          }
        });
        assertEquals("57014", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("statement timeout (500 ms)"), e.getMessage());
      }
      assertUsable(c);
      try (Statement s = c.createStatement()) {
        s.execute("RESET statement_timeout");
        try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
          assertTrue(rs.next());
          assertEquals("0", rs.getString(1));
        }
      }
    }
  }

  /**
   * The connection property statement_timeout sets the session's value from the start; remote
   * clients pass it in the Properties (Avatica does not forward properties of the URL).
   */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "quiver-remote", "avatica-remote"})
  void statementTimeoutConnectionPropertyStopsALongQuery(String mode) throws SQLException {
    java.util.Properties info = new java.util.Properties();
    info.setProperty("statement_timeout", "500");
    String url = switch (mode) {
      case "embedded" -> "jdbc:quiver:file:" + data;
      case "quiver-remote" -> server.url();
      default -> server.avaticaUrl();
    };
    try (Connection c = DriverManager.getConnection(url, info)) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
        assertTrue(rs.next());
        assertEquals("500", rs.getString(1));
      }
      try (Statement s = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> {
          try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
            rs.next();
          }
        });
        assertEquals("57014", e.getSQLState(), e.getMessage());
      }
      assertUsable(c);
    }
  }

  /**
   * The embedded driver's engine settings (sealRows, sealAgeMillis, retentionMs) refuse a value
   * that is not a whole number in range with 22023 naming the property and the value, and the
   * next connection with good properties works.
   */
  @ParameterizedTest
  @CsvSource({"sealRows,abc", "sealRows,0", "sealRows,3000000000", "sealAgeMillis,1.5",
      "retentionMs,-1", "retentionMs,''"})
  void engineConnectionPropertiesRefuseBadValues(String property, String value)
      throws SQLException {
    java.util.Properties info = new java.util.Properties();
    info.setProperty(property, value);
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:quiver:file:" + data, info).close());
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(property) && e.getMessage().contains("'" + value + "'"),
        e.getMessage());
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data)) {
      assertUsable(c);
    }
  }

  /** After a stopped query, the connection runs the next one. */
  private static void assertUsable(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(k) FROM a")) {
      assertTrue(rs.next());
      assertEquals(SMALL, rs.getLong(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "quiver-remote", "avatica-remote"})
  void maxRowsCapsTheResult(String mode) throws SQLException {
    try (Connection c = open(mode, ""); Statement s = c.createStatement()) {
      s.setMaxRows(123);
      try (ResultSet rs = s.executeQuery("SELECT id FROM big ORDER BY id")) {
        int n = 0;
        while (rs.next()) {
          assertEquals(n, rs.getLong(1));
          n++;
        }
        assertEquals(123, n);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"quiver-remote", "avatica-remote"})
  void largeRemoteResultsArriveInFrames(String mode) throws SQLException {
    String counting = ";httpclient_factory=" + CountingHttpClients.class.getName();
    try (Connection c = open(mode, counting); Statement s = c.createStatement()) {
      s.setFetchSize(1000);
      long before = CountingHttpClients.requests();
      long rows = 0;
      long sum = 0;
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM big")) {
        while (rs.next()) {
          rows++;
          sum += rs.getLong(1);
        }
      }
      long requests = CountingHttpClients.requests() - before;
      assertEquals(BIG, rows);
      assertEquals((long) BIG * (BIG - 1) / 2, sum);
      // One request executes, then one fetch per further frame of 1000 rows (at least).
      assertTrue(requests >= BIG / 1000, "requests: " + requests);
    }
  }

  private static Connection open(String mode, String extra) throws SQLException {
    return switch (mode) {
      case "embedded" -> embedded();
      case "quiver-remote" -> DriverManager.getConnection(server.url() + extra);
      case "avatica-remote" -> DriverManager.getConnection(server.avaticaUrl() + extra);
      default -> throw new IllegalArgumentException(mode);
    };
  }
}
