package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * The catalog is versioned too: a dropped table reads as of a time it existed (across a
   * restart), a table created again under its name does not hide it, and a name that meant no
   * table at the time fails with 42P01.
   */
  @Test
  void truncateDeletesEveryRowAtOneTimeAndThePastKeepsThem() throws Exception {
    Properties props = new Properties();
    props.setProperty("retentionMs", "60000");
    try (Connection c = DriverManager.getConnection("jdbc:quiver:mem:", props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO t VALUES (1, [1, 1]), (2, [2, 2])");
      s.execute("FLUSH TABLE t");
      s.execute("INSERT INTO t VALUES (3, [3, 3])");
      long beforeTruncate = tick();
      s.execute("TRUNCATE TABLE t");
      long afterTruncate = tick();
      s.execute("INSERT INTO t VALUES (4, [4, 4])");

      assertEquals(List.of(1L, 2L, 3L), ids(s,
          "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(beforeTruncate) + " ORDER BY id"));
      assertEquals(List.of(), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(afterTruncate)));
      assertEquals(List.of(4L), ids(s, "SELECT id FROM t"));
    }
  }

  @Test
  void readsDroppedAndRecreatedTablesAsOfTheirTime(@TempDir Path data) throws Exception {
    Properties props = new Properties();
    props.setProperty("retentionMs", "600000");
    String url = "jdbc:quiver:file:" + data;
    long beforeCreate = tick();
    long t1;
    long t2;
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO t VALUES (1, [1, 1]), (2, [2, 2])");
      s.execute("FLUSH TABLE t");
      s.execute("INSERT INTO t VALUES (3, [3, 3])"); // in the log tail only
      t1 = tick();
      s.execute("DROP TABLE t");
      assertEquals(List.of(1L, 2L, 3L),
          ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t1) + " ORDER BY id"));
      assertEquals(List.of(3L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t1)
          + " ORDER BY v <-> [3, 3] LIMIT 1"));
      SQLException gone = assertThrows(SQLException.class, () -> ids(s, "SELECT id FROM t"));
      assertEquals("42P01", gone.getSQLState());

      // Created again with other columns and rows: each time reads its own table.
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR)");
      s.execute("INSERT INTO t VALUES (10, 'ten')");
      t2 = tick();
      assertEquals(List.of(1L, 2L, 3L),
          ids(s, "SELECT t.id FROM t FOR SYSTEM_TIME AS OF " + at(t1) + " ORDER BY t.id"));
      assertEquals(List.of(10L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t2)));
      assertEquals(List.of(10L), ids(s, "SELECT id FROM t"));
      assertEquals(List.of(10L), ids(s, "SELECT a.id FROM t a JOIN t FOR SYSTEM_TIME AS OF "
          + at(t2) + " b ON a.id = b.id"));
      assertNotExisted(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(beforeCreate), "t");
      assertNotExisted(s, "SELECT id FROM nosuch FOR SYSTEM_TIME AS OF " + at(t1), "nosuch");
    }
    // After a restart, the dropped table is still there for time travel.
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement()) {
      assertEquals(List.of(1L, 2L, 3L),
          ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t1) + " ORDER BY id"));
      assertEquals(List.of(10L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t2)));
    }
  }

  /** Once the retention window has passed its drop, a dropped table's files are purged. */
  @Test
  void purgesDroppedTablesOnceTheWindowHasPassed(@TempDir Path data) throws Exception {
    Properties props = new Properties();
    props.setProperty("retentionMs", "1500");
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data, props);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO t VALUES (1, [1, 1])");
      s.execute("FLUSH TABLE t");
      long t1 = tick();
      s.execute("DROP TABLE t");
      assertEquals(List.of(1L), ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t1)));
      assertEquals(1, folders(data.resolve("segments")), "kept within the window");
      Thread.sleep(1_700);
      SQLException old = assertThrows(SQLException.class,
          () -> ids(s, "SELECT id FROM t FOR SYSTEM_TIME AS OF " + at(t1)));
      assertEquals("22008", old.getSQLState());
      s.execute("CREATE TABLE u (id BIGINT PRIMARY KEY)"); // the next DDL purges
      assertEquals(0, folders(data.resolve("segments")), "the dropped table's files remain");
    }
  }

  private static void assertNotExisted(Statement s, String sql, String table) {
    SQLException e = assertThrows(SQLException.class, () -> ids(s, sql));
    assertEquals("42P01", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + table + "\" did not exist at"), e.getMessage());
  }

  private static long folders(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
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
