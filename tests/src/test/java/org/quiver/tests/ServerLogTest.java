package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quiver serve --log-format json}: every event is one JSON object on one line, the failed
 * statement's line carries its SQLSTATE, the engine's own messages are JSON too, and neither a
 * password nor a vector reaches the log.
 */
class ServerLogTest {
  @Test
  void jsonEventsOfAServerRun(@TempDir Path data) throws Exception {
    String output;
    try (ServerProcess server = ServerProcess.start(data, "--log-format", "json",
        "--slow-query-ms", "0")) {
      try (Connection c = DriverManager.getConnection(server.quiverUrl());
          Statement s = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class,
            () -> s.executeQuery("SELECT nope FROM missing_table"));
        assertEquals("42P01", e.getSQLState());
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO t VALUES (1, [0.125, 0.375])");
        // (A user created here would turn authentication on for this server.)
        assertEquals("42704", assertThrows(SQLException.class,
            () -> s.execute("ALTER USER nobody PASSWORD 'never-logged'")).getSQLState());
      }
      assertEquals(0, server.stop());
      output = server.output();
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith("{")) {
        events.add(json.readTree(line));
      }
    }
    assertTrue(events.stream().anyMatch(n -> n.path("event").asText().equals("server_start")
        && n.path("bind").asText().equals("127.0.0.1") && n.path("tls").asBoolean(true) == false
        && n.path("port").isInt()), output);
    assertTrue(events.stream().anyMatch(n -> n.path("event").asText().equals("statement_error")
        && n.path("sqlstate").asText().equals("42P01")
        && n.path("sql").asText().contains("missing_table")), output);
    assertTrue(events.stream().anyMatch(n -> n.path("event").asText().equals("slow_statement")
        && n.path("kind").asText().equals("insert")
        && n.path("sql").asText().contains("[vector]")), output);
    assertTrue(events.stream().anyMatch(n -> n.path("event").asText().equals("statement_error")
        && n.path("sqlstate").asText().equals("42704")
        && n.path("sql").asText().equals("ALTER USER nobody PASSWORD '********'")), output);
    assertTrue(events.stream().anyMatch(n -> n.path("event").asText().equals("connection_open")),
        output);
    assertTrue(events.stream().anyMatch(n -> n.path("event").asText().equals("server_stop")),
        output);
    // Every line of the process is JSON: events with their name, other messages with their
    // logger's.
    for (JsonNode n : events) {
      assertTrue(n.has("ts") && n.has("level")
          && (n.has("event") || n.has("message") && n.has("logger_name")), n.toString());
    }
    assertTrue(events.stream().anyMatch(n -> n.path("logger_name").asText()
        .equals("org.quiver.engine.Quiver")), output);
    // jvector's java.util.logging lines go through the same backend.
    assertFalse(output.contains("INFO: Preferred f32 species"), output);
    assertFalse(output.contains("never-logged"), output);
    assertFalse(output.contains("0.375"), output);
  }
}
