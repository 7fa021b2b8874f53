package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.server.EventLog;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerLimits;
import org.quiver.sql.server.ServerOptions;

/**
 * The limits of {@code quiver serve}: open connections, open statements per connection, rows per
 * frame of a result (a 200,000-row result crosses in many frames even when the client asks for
 * all rows at once), idle connections closed after the timeout; and the key=value event log.
 */
class ServerLimitsTest {
  private static final int MAX_SESSIONS = 3;
  private static final int MAX_STATEMENTS = 5;
  private static final int ROWS_PER_FRAME = 1000;
  /** 200,000 rows without a table: six digits, the last one 0 or 1. */
  private static final String ROWS_200K = "SELECT a.x + 10 * b.x + 100 * c.x + 1000 * d.x"
      + " + 10000 * e.x + 100000 * f.x AS n FROM " + digits("a", 10) + ", " + digits("b", 10)
      + ", " + digits("c", 10) + ", " + digits("d", 10) + ", " + digits("e", 10) + ", "
      + digits("f", 2);

  @TempDir
  static Path data;
  private static QuiverServer server;
  private static EventCapture events;

  @BeforeAll
  static void start() throws Exception {
    events = new EventCapture();
    server = QuiverServer.start(ServerOptions.of(data, "127.0.0.1", 0),
        new ServerLimits(MAX_SESSIONS, MAX_STATEMENTS, ROWS_PER_FRAME),
        new EventLog(Duration.ofMillis(1)));
  }

  @AfterAll
  static void stop() {
    server.close();
    events.close();
  }

  private static String digits(String alias, int n) {
    StringBuilder sb = new StringBuilder("(VALUES ");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append('(').append(i).append(')');
    }
    return sb.append(") AS ").append(alias).append("(x)").toString();
  }

  @Test
  void statementsPerConnectionAreBounded() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.url())) {
      List<Statement> open = new ArrayList<>();
      for (int i = 0; i < MAX_STATEMENTS; i++) {
        open.add(c.createStatement());
      }
      SQLException e = assertThrows(SQLException.class, c::createStatement);
      assertEquals("54000", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("--max-statements-per-connection"), e.getMessage());
      assertEquals("54000", assertThrows(SQLException.class,
          () -> c.prepareStatement("VALUES 1")).getSQLState());
      open.remove(0).close();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next(), "a closed statement frees its place");
      }
      for (Statement s : open) {
        s.close();
      }
    }
  }

  @Test
  void connectionsAreBounded() throws SQLException {
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_SESSIONS; i++) {
        open.add(DriverManager.getConnection(server.url()));
        open.get(i).createStatement().close();
      }
      SQLException e = assertThrows(SQLException.class,
          () -> DriverManager.getConnection(server.url()).createStatement());
      assertEquals("53300", e.getSQLState(), e.getMessage());
      open.remove(0).close();
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next(), "a closed connection frees its place");
      }
    } finally {
      for (Connection c : open) {
        c.close();
      }
    }
  }

  @Test
  void aHugeResultCrossesInBoundedFrames() throws Exception {
    long framesBefore = frames();
    long rows = 0;
    long sum = 0;
    try (Connection c = DriverManager.getConnection(server.url());
        Statement s = c.createStatement()) {
      s.setFetchSize(1_000_000);
      try (ResultSet rs = s.executeQuery(ROWS_200K)) {
        while (rs.next()) {
          rows++;
          sum += rs.getLong(1);
        }
      }
    }
    assertEquals(200_000, rows);
    assertEquals(199_999L * 200_000 / 2, sum, "every row once");
    long frames = frames() - framesBefore;
    assertTrue(frames >= 200_000 / ROWS_PER_FRAME - 1,
        "frames of at most " + ROWS_PER_FRAME + " rows: " + frames);
  }

  @Test
  void eventsAreKeyValueLinesWithoutSecretsOrVectors() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.url());
        Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table"));
      s.execute("CREATE TABLE logged (id BIGINT PRIMARY KEY, v VECTOR(3))");
      s.execute("INSERT INTO logged VALUES (1, [0.25, 0.5, 0.75])");
      assertThrows(SQLException.class,
          () -> s.execute("CREATE USER x PASSWORD 'pw-not-in-log' ROLE nonsense"));
    }
    String log = events.text();
    assertTrue(log.lines().anyMatch(l -> l.contains("event=server_start")
        && l.contains("bind=\"127.0.0.1\"") && l.contains("auth=\"none\"")
        && l.contains("max_rows_per_frame=\"" + ROWS_PER_FRAME + "\"")), log);
    assertTrue(log.lines().anyMatch(l -> l.contains("event=statement_error")
        && l.contains("sqlstate=\"42P01\"") && l.contains("no_such_table")), log);
    assertTrue(log.lines().anyMatch(l -> l.contains("event=slow_statement")
        && l.contains("kind=\"insert\"") && l.contains("[vector]")), log);
    assertTrue(log.lines().anyMatch(l -> l.contains("event=connection_open")), log);
    assertTrue(log.lines().anyMatch(l -> l.contains("event=connection_close")), log);
    assertTrue(log.lines().anyMatch(l -> l.contains("sqlstate=\"22023\"")
        && l.contains("PASSWORD '********'")), log);
    assertFalse(log.contains("pw-not-in-log"), log);
    // The vector's text, not just "0.25": a timestamp such as 06:20:10.252 contains that too.
    assertFalse(log.contains("0.25, 0.5"), log);
  }

  @Test
  void idleConnectionsAreClosedAfterTheTimeout(@TempDir Path other) throws Exception {
    try (QuiverServer shortIdle = QuiverServer.start(
        ServerOptions.of(other, "127.0.0.1", 0).withLimits(16, Duration.ofSeconds(1)),
        new ServerLimits(1, 10, 100), EventLog.standard())) {
      Connection idle = DriverManager.getConnection(shortIdle.url());
      try (Statement s = idle.createStatement(); ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next());
      }
      // The one session is taken until the idle one expires.
      assertEquals("53300", assertThrows(SQLException.class,
          () -> DriverManager.getConnection(shortIdle.url()).createStatement()).getSQLState());
      Thread.sleep(2500);
      try (Connection fresh = DriverManager.getConnection(shortIdle.url());
          Statement s = fresh.createStatement(); ResultSet rs = s.executeQuery("VALUES 2")) {
        assertTrue(rs.next(), "the expired connection no longer counts");
      }
      assertThrows(SQLException.class, () -> idle.createStatement().executeQuery("VALUES 3"),
          "the idle connection was closed on the server");
    }
  }

  private static long frames() throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^quiver_result_frames_total (\\S+)$").matcher(metrics.body());
    assertTrue(m.find(), metrics.body());
    return (long) Double.parseDouble(m.group(1));
  }
}
