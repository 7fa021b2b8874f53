package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.server.EventLog;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerLimits;
import org.quiver.sql.server.ServerOptions;

/**
 * Statements that used to reach clients as a stack overflow, a Java exception or a plan dump get
 * the SQLSTATE of their class through every JDBC door (embedded, Quiver's thin driver, the stock
 * Avatica driver), with no server frames in what the client receives, and each failure is a
 * {@code statement_error} event in the server's log.
 */
class ErrorMappingTest {
  @TempDir
  static Path data;
  private static QuiverServer server;
  private static EventCapture events;

  @BeforeAll
  static void start() throws SQLException {
    events = new EventCapture();
    server = QuiverServer.start(ServerOptions.of(data.resolve("server"), "127.0.0.1", 0),
        ServerLimits.DEFAULT, new EventLog(Duration.ofMinutes(1)));
    try (Connection c = DriverManager.getConnection(server.url());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE r (id BIGINT PRIMARY KEY, n INTEGER, v VECTOR(2))");
      s.execute("INSERT INTO r VALUES (1, 1, [1, 0]), (2, 2, [0, 1])");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    events.close();
  }

  private static final List<String[]> CASES = List.of(
      new String[] {"54001", "SELECT " + String.join(" + ", Collections.nCopies(1000, "1"))},
      new String[] {"54001", "SELECT " + "(".repeat(2000) + "1" + ")".repeat(2000)},
      new String[] {"54001", "SELECT " + "ABS(".repeat(1000) + "1" + ")".repeat(1000)},
      new String[] {"54000", "SELECT id FROM r WHERE id IN ("
          + String.join(", ", Collections.nCopies(10_000, "7")) + ")"},
      new String[] {"22000", "SELECT id FROM r ORDER BY v <-> " + vector(65_536) + " LIMIT 1"},
      new String[] {"42501", "DELETE FROM sys.users"},
      new String[] {"42601", ""},
      new String[] {"22P02", "SELECT id FROM r WHERE id = 'x'"},
      new String[] {"22P02", "SELECT CAST('abc' AS BIGINT)"},
      new String[] {"42804", "SELECT id FROM r LIMIT 1.5"},
      new String[] {"42804", "SELECT id FROM r LIMIT 1e10"},
      new String[] {"22003", "SELECT id FROM r LIMIT 9223372036854775807"},
      new String[] {"54000", "SELECT id FROM r WHERE n > 0 AND title LIKE '"
          + "%a".repeat(5_000_000) + "'"});

  private static String vector(int n) {
    return "[" + String.join(",", Collections.nCopies(n, "1")) + "]";
  }

  private static void check(Connection c, String door) throws SQLException {
    for (String[] test : CASES) {
      try (Statement s = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(test[1]), door);
        String what = door + ": " + test[1].substring(0, Math.min(80, test[1].length()));
        assertEquals(test[0], e.getSQLState(), what + " -> " + e.getMessage());
        assertFalse(e.getMessage().matches("(?s).*(Exception|org\\.apache|java\\.lang).*"),
            what + " -> " + e.getMessage());
        if (e instanceof AvaticaSqlException remote) {
          assertTrue(remote.getStackTraces().stream().noneMatch(t -> t.contains("org.quiver")),
              what + " sent server frames: " + remote.getStackTraces());
        }
      }
    }
  }

  @Test
  void embeddedDriver() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data.resolve("emb"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE r (id BIGINT PRIMARY KEY, n INTEGER, v VECTOR(2))");
      check(c, "embedded");
    }
  }

  @Test
  void thinDriverAndServerLog() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.url())) {
      check(c, "thin driver");
    }
    String log = events.text();
    for (String state : List.of("54001", "54000", "42501", "42601", "22P02", "42804")) {
      assertTrue(log.contains("event=statement_error sqlstate=\"" + state + "\""),
          state + " in " + log);
    }
  }

  @Test
  void stockAvaticaDriver() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      check(c, "stock Avatica");
    }
  }

  @Test
  void unboundAndMistypedParameters() throws SQLException {
    for (String url : List.of(server.url(), server.avaticaUrl())) {
      try (Connection c = DriverManager.getConnection(url);
          PreparedStatement p = c.prepareStatement("SELECT id FROM r WHERE n = ? LIMIT ?")) {
        p.setInt(1, 1);
        assertEquals("07001", assertThrows(SQLException.class, p::executeQuery).getSQLState(),
            url);
        // Text bound to a number is read as one, as PostgreSQL reads it: 'x' is no integer.
        p.setString(2, "x");
        SQLException e = assertThrows(SQLException.class, p::executeQuery);
        assertEquals("22P02", e.getSQLState(), url + " " + e.getMessage());
        p.setString(2, "1.5");
        e = assertThrows(SQLException.class, p::executeQuery);
        assertEquals("42804", e.getSQLState(), url + " " + e.getMessage());
      }
    }
  }
}
