package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quiver.engine.Quiver;
import org.quiver.engine.proxy.Proxy;
import org.quiver.sql.jdbc.EngineRegistry;

/**
 * What each consistency level sees, made deterministic by pausing the time ticker: with the
 * query node's tSafe standing still, EVENTUALLY and BOUNDED reads do not see a new write, SESSION
 * sees the session's own writes only, and STRONG sees every acknowledged write.
 */
class ConsistencyLevelTest {
  private static final String URL = "jdbc:quiver:mem:consistency-level-test";

  @Test
  void levelsDifferOnlyInWhatTheyWaitFor() throws Exception {
    try (EngineRegistry.Handle engine = EngineRegistry.acquire("mem:consistency-level-test");
        Connection writer = DriverManager.getConnection(URL);
        Connection reader = DriverManager.getConnection(URL);
        Statement w = writer.createStatement();
        Statement r = reader.createStatement()) {
      // Pausing the time ticker is a hook of the engine in this process, not of its API.
      Proxy proxy = ((Quiver) engine.engine()).proxy();
      w.execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, v VECTOR(2))");
      w.execute("INSERT INTO docs VALUES (1, [1, 1])");
      awaitTSafeAfter(proxy, "docs", proxy.now());
      proxy.pauseTimeTicks(true);
      try {
        w.execute("INSERT INTO docs VALUES (2, [2, 2])");

        r.execute("SET consistency_level = 'eventually'");
        assertEquals(List.of(1L), ids(r, "SELECT id FROM docs ORDER BY id"));
        assertEquals(List.of(1L), ids(r, "SELECT id FROM docs ORDER BY v <-> [2, 2] LIMIT 5"));

        // tSafe is at most a few hundred ms old: an hour's bound does not wait for it to move.
        r.execute("SET consistency_level = 'bounded'");
        r.execute("SET bounded_staleness_ms = 3600000");
        assertEquals(List.of(1L), ids(r, "SELECT id FROM docs ORDER BY id"));

        // The reader wrote nothing: SESSION has nothing to wait for.
        r.execute("SET consistency_level = 'session'");
        assertEquals(List.of(1L), ids(r, "SELECT id FROM docs ORDER BY id"));

        // The writer reads its own write.
        w.execute("SET consistency_level = 'session'");
        assertEquals(List.of(1L, 2L), ids(w, "SELECT id FROM docs ORDER BY id"));

        w.execute("INSERT INTO docs VALUES (3, [3, 3])");
        r.execute("SET consistency_level = 'strong'");
        assertEquals(List.of(1L, 2L, 3L), ids(r, "SELECT id FROM docs ORDER BY id"));
        assertEquals(List.of(3L), ids(r, "SELECT id FROM docs ORDER BY v <-> [3, 3] LIMIT 1"));

        // A table's own default applies until the session SETs a level.
        w.execute("CREATE TABLE lazy (id BIGINT PRIMARY KEY) WITH (consistency_level = 'eventually')");
        w.execute("INSERT INTO lazy VALUES (1)");
        r.execute("RESET consistency_level");
        assertEquals(List.of(), ids(r, "SELECT id FROM lazy"));
        r.execute("SET consistency_level = 'strong'");
        assertEquals(List.of(1L), ids(r, "SELECT id FROM lazy"));
      } finally {
        proxy.pauseTimeTicks(false);
      }
      // Ticking again, tSafe catches up by itself: an EVENTUALLY read sees the write soon.
      w.execute("INSERT INTO docs VALUES (4, [4, 4])");
      r.execute("SET consistency_level = 'eventually'");
      long deadline = System.nanoTime() + 10_000_000_000L;
      List<Long> seen;
      while ((seen = ids(r, "SELECT id FROM docs ORDER BY id")).size() < 4
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(List.of(1L, 2L, 3L, 4L), seen);
    }
  }

  /** Waits until the ticker has moved the table's tSafe to {@code ts} or beyond. */
  private static void awaitTSafeAfter(Proxy proxy, String table, long ts) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (proxy.tSafe(table) < ts) {
      assertTrue(System.nanoTime() < deadline, "tSafe did not reach " + ts);
      Thread.sleep(5);
    }
  }

  private static List<Long> ids(Statement s, String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
