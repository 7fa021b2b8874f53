package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code FOR SYSTEM_TIME AS OF}: scans, filtered scans and vector searches read the rows and
 * deletes of a past time, within the engine's retention window (short here), and times outside it
 * fail with 22008.
 */
class TimeTravelTest {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  @Test
  void readsRowsAndDeletesAsOfAPastTime() throws Exception {
    Properties props = new Properties();
    props.setProperty("retentionMs", "60000");
    try (Connection c = DriverManager.getConnection("jdbc:quiver:mem:", props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, n INTEGER, v VECTOR(2))");
      long beforeAll = tick();
      s.execute("INSERT INTO t VALUES (1, 10, [1, 1]), (2, 20, [2, 2])");
      long afterInsert = tick();
      s.execute("DELETE FROM t WHERE id = 1");
      s.execute("INSERT INTO t VALUES (3, 30, [3, 3])");
      long afterDelete = tick();
      s.execute("FLUSH TABLE t");
      s.execute("INSERT INTO t VALUES (1, 11, [1, 1])");

      assertEquals(List.of(), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(beforeAll)));
      assertEquals(List.of(1L, 2L),
          ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(afterInsert) + " ORDER BY id"));
      assertEquals(List.of(2L, 3L),
          ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(afterDelete) + " ORDER BY id"));
      assertEquals(List.of(1L, 2L, 3L), ids(s, "SELECT id FROM t ORDER BY id"));

      // Filters and vector searches over the past.
      assertEquals(List.of(1L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF "
          + at(afterInsert) + " WHERE n < 15"));
      assertEquals(List.of(1L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF "
          + at(afterInsert) + " ORDER BY v <-> [0, 0] LIMIT 1"));
      assertEquals(List.of(2L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF "
          + at(afterDelete) + " ORDER BY v <-> [0, 0] LIMIT 1"));
      assertEquals(List.of(1L), ids(s, "SELECT id FROM t ORDER BY v <-> [0, 0] LIMIT 1"));

      // A join of the present with the past.
      assertEquals(List.of(2L), ids(s, "SELECT a.id FROM t a JOIN t FOR SYSTEM_TIME AS OF "
          + at(afterInsert) + " b ON a.id = b.id AND a.n = b.n"));

      // The time as a parameter.
      try (PreparedStatement ps =
          c.prepareStatement("SELECT id FROM t FOR SYSTEM_TIME AS OF CAST(? AS TIMESTAMP) ORDER BY id")) {
        ps.setTimestamp(1, new java.sql.Timestamp(afterInsert));
        List<Long> got = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            got.add(rs.getLong(1));
          }
        }
        assertEquals(List.of(1L, 2L), got);
      }

      SQLException future = assertThrows(SQLException.class, () -> ids(s,
          "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(System.currentTimeMillis() + 3_600_000)));
      assertEquals("22008", future.getSQLState());
      assertTrue(future.getMessage().contains("lies in the future"), future.getMessage());

      SQLException old = assertThrows(SQLException.class, () -> ids(s,
          "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(System.currentTimeMillis() - 120_000)));
      assertEquals("22008", old.getSQLState());
      assertTrue(old.getMessage().contains("older than the retention window of 60000 ms"),
          old.getMessage());
    }
  }

  /** The current time in ms, in a millisecond of its own: no write shares it. */
  private static long tick() throws InterruptedException {
    Thread.sleep(3);
    long now = System.currentTimeMillis();
    Thread.sleep(3);
    return now;
  }

  private static String at(long millis) {
    return "TIMESTAMP '" + LITERAL.format(Instant.ofEpochMilli(millis)) + "'";
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
