package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.QuiverServer;

/**
 * {@code /health} and {@code /metrics} on the server's port: health is open to anyone, metrics
 * need the SQL credentials when the server has users, and the counters follow the statements run.
 */
class MonitoringTest {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-z_]+(?:\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsCountStatementsInsertsSegmentsAndMemory(@TempDir Path data) throws Exception {
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0)) {
      Map<String, Double> before = samples(get(server, "/metrics", null).body());
      assertEquals(0.0, before.get("quiver_statements_total{kind=\"insert\"}"));
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO items VALUES (1, [1, 0]), (2, [0, 1])");
        try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
          for (int i = 3; i <= 5; i++) {
            p.setLong(1, i);
            p.setObject(2, new float[] {i, 1});
            p.addBatch();
          }
          p.executeBatch();
          p.setLong(1, 6);
          p.setObject(2, new float[] {6, 1});
          p.executeUpdate();
        }
        try (ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY v <-> [1, 0] LIMIT 2")) {
          assertTrue(rs.next());
        }
        try (PreparedStatement p =
            c.prepareStatement("SELECT id FROM items ORDER BY v <-> ? LIMIT 1")) {
          p.setObject(1, new float[] {0, 1});
          p.executeQuery().close();
        }
        assertThrows(SQLException.class, () -> s.executeQuery("SELECT nope FROM items"));
        s.execute("CREATE INDEX items_v ON items USING HNSW (v) WITH (metric = 'l2')");
        s.execute("FLUSH TABLE items");
      }
      HttpResponse<String> response = get(server, "/metrics", null);
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("")
          .startsWith("text/plain; version=0.0.4"), response.headers().toString());
      String text = response.body();
      Map<String, Double> m = samples(text);
      assertEquals(3.0, m.get("quiver_statements_total{kind=\"insert\"}"), text);
      assertEquals(6.0, m.get("quiver_inserted_rows_total"), text);
      assertEquals(3.0, m.get("quiver_statements_total{kind=\"query\"}"), text);
      assertEquals(1.0, m.get("quiver_statement_errors_total{kind=\"query\"}"), text);
      assertEquals(3.0, m.get("quiver_statements_total{kind=\"other\"}"), text);
      assertEquals(3.0, m.get(
          "quiver_statement_duration_seconds_bucket{kind=\"insert\",le=\"+Inf\"}"), text);
      assertEquals(3.0, m.get("quiver_statement_duration_seconds_count{kind=\"insert\"}"), text);
      assertTrue(m.get("quiver_statement_duration_seconds_sum{kind=\"insert\"}") > 0, text);
      double previous = 0;
      for (String le : new String[] {"5.0E-4", "0.001", "0.01", "0.1", "1.0", "10.0", "+Inf"}) {
        double count = m.get("quiver_statement_duration_seconds_bucket{kind=\"query\",le=\""
            + le + "\"}");
        assertTrue(count >= previous, "buckets are cumulative: " + text);
        previous = count;
      }
      assertEquals(1.0, m.get("quiver_tables"), text);
      assertEquals(1.0, m.get("quiver_segments{table=\"items\"}"), text);
      assertEquals(6.0, m.get("quiver_segment_rows{table=\"items\"}"), text);
      assertEquals(1.0, m.get("quiver_index_segments{index=\"items_v\",table=\"items\"}"), text);
      assertTrue(m.containsKey("quiver_index_segments_built{index=\"items_v\",table=\"items\"}"),
          text);
      assertTrue(m.get("jvm_memory_used_bytes{area=\"heap\"}") > 0, text);
      assertTrue(text.contains("# TYPE quiver_statement_duration_seconds histogram"), text);

      HttpResponse<String> health = get(server, "/health", null);
      assertEquals(200, health.statusCode());
      assertTrue(health.headers().firstValue("Content-Type").orElse("")
          .startsWith("application/json"));
      assertTrue(health.body().matches(
          "\\{\"status\":\"ok\",\"tables\":1,\"uptime_seconds\":\\d+\\}\\s*"), health.body());
    }
  }

  @Test
  void healthIsOpenButMetricsNeedTheSqlCredentials(@TempDir Path data) throws Exception {
    UserStore users = new UserStore(data);
    users.add("ops", Role.READ_ONLY, "ops-secret".toCharArray());
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0)) {
      HttpResponse<String> health = get(server, "/health", null);
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
      assertEquals(401, get(server, "/metrics", null).statusCode());
      assertEquals(401, get(server, "/metrics", "ops:wrong").statusCode());
      HttpResponse<String> metrics = get(server, "/metrics", "ops:ops-secret");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("quiver_statements_total{kind=\"query\"} 0"),
          metrics.body());
      Properties info = new Properties();
      info.setProperty("user", "ops");
      info.setProperty("password", "ops-secret");
      try (Connection c = DriverManager.getConnection(server.url(), info);
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next(), "SQL still works beside the monitoring paths");
      }
      assertTrue(get(server, "/metrics", "ops:ops-secret").body()
          .contains("quiver_statements_total{kind=\"query\"} 1"));
    }
  }

  private HttpResponse<String> get(QuiverServer server, String path, String credentials)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (credentials != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every sample line of the text format, by name with labels. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }
}
