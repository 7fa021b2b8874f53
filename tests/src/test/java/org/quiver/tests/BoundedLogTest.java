package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log (RocksMQ, {@code mq/}) stays bounded: once the data node and the query node have
 * checkpointed a message into flushed segments and the retention window has passed it, retention
 * deletes it and the bytes leave the disk; a restart of a trimmed log loses and doubles nothing;
 * {@code quiver serve --retention} sets the window.
 */
class BoundedLogTest {
  private static final int DIMENSION = 128;
  private static final int ROWS_PER_ROUND = 2_000;
  private static final int ROUNDS = 22;
  /**
   * What RocksDB keeps in {@code mq/} besides messages: the manifest, the OPTIONS file, its info
   * log, and the small table files of the positions and channel figures. Measured at about 0.5 MiB
   * after this test's rounds, most of it the info log (which the queue caps at a few MiB over a
   * long life).
   */
  private static final long FIXED_BYTES = 1L << 20;

  @Test
  void theLogStaysBoundedWhileTwentyTimesItsBudgetGoesThrough(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    long ingested = 0;
    // The retained budget: the most the log must hold at once, the one round not yet flushed.
    long budget = 0;
    long largestMq = 0;
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data, zeroRetention());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(" + DIMENSION + "))");
      for (int round = 0; round < ROUNDS; round++) {
        insertRound(c, round);
        // The round's rows are in the log and nowhere else yet: the most it holds between flushes.
        long roundBytes = channel(s).retainedBytes;
        ingested += roundBytes;
        budget = Math.max(budget, roundBytes);
        largestMq = Math.max(largestMq, bytesUnder(data.resolve("mq")));
        s.execute("FLUSH TABLE t");
        Channel trimmed = awaitTrimmed(s);
        assertEquals(0, trimmed.messages, "after the flush every message is in segments");
        largestMq = Math.max(largestMq, awaitBytesLeft(data.resolve("mq")));
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        rs.next();
        assertEquals((long) ROUNDS * ROWS_PER_ROUND, rs.getLong(1));
      }
    }
    assertTrue(ingested >= 20 * budget,
        "ingested " + ingested + " bytes of log, not 20 times the budget " + budget);
    // On disk the log never takes more than the budget plus RocksDB's own files: a round's
    // messages leave the disk (compacted away, their write-ahead log file deleted) soon after its
    // flush, before the next round is written.
    long bound = budget + FIXED_BYTES;
    assertTrue(largestMq <= bound, "mq/ took " + largestMq + " bytes, bound " + bound);
    System.out.printf("bounded log: ingested=%d budget=%d largest_mq=%d bound=%d%n",
        ingested, budget, largestMq, bound);
  }

  @Test
  void aTrimmedLogRestartsWithoutLosingOrDoublingARow(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    String url = "jdbc:quiver:file:" + data;
    try (Connection c = DriverManager.getConnection(url, zeroRetention());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(" + DIMENSION + "))");
      insertRound(c, 0);
      s.execute("FLUSH TABLE t");
      Channel trimmed = awaitTrimmed(s);
      assertTrue(trimmed.trimmedThrough >= 0, "retention deleted the flushed round");
      // Rows after the trim point, not yet flushed: the restart reads them from the log.
      insertRound(c, 1);
      s.execute("DELETE FROM t WHERE id < 10");
    }
    try (Connection c = DriverManager.getConnection(url, zeroRetention());
        Statement s = c.createStatement()) {
      assertKeys(s, 2 * ROWS_PER_ROUND - 10);
      s.execute("FLUSH TABLE t");
      awaitTrimmed(s);
    }
    try (Connection c = DriverManager.getConnection(url, zeroRetention());
        Statement s = c.createStatement()) {
      assertKeys(s, 2 * ROWS_PER_ROUND - 10);
      assertEquals(0, channel(s).messages);
    }
  }

  @Test
  void serveTakesItsRetentionWindowFromTheCommandLine(@TempDir Path dir) throws Exception {
    try (ServerProcess server = ServerProcess.start(dir.resolve("data"), "--retention", "0s")) {
      try (Connection c = DriverManager.getConnection(server.quiverUrl());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(" + DIMENSION + "))");
        insertRows(c, 0, 10);
        s.execute("FLUSH TABLE t");
        assertEquals(0, awaitTrimmed(s).messages);
        // The same window bounds time travel: with 0 s, a second ago is already outside it.
        String past = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC).format(Instant.now().minusSeconds(1));
        SQLException tooOld = assertThrows(SQLException.class, () -> s.executeQuery(
            "SELECT id FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '" + past + "'"));
        assertEquals("22008", tooOld.getSQLState(), tooOld.getMessage());
        assertTrue(tooOld.getMessage().contains("retention window of 0 ms"), tooOld.getMessage());
      }
      assertEquals(0, server.stop());
    }
  }

  private static Properties zeroRetention() {
    Properties props = new Properties();
    props.setProperty("retentionMs", "0");
    return props;
  }

  private static void insertRound(Connection c, int round) throws SQLException {
    insertRows(c, round, ROWS_PER_ROUND);
  }

  private static void insertRows(Connection c, int round, int rows) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
      for (int i = 0; i < rows; i++) {
        long id = (long) round * ROWS_PER_ROUND + i;
        float[] v = new float[DIMENSION];
        v[(int) (id % DIMENSION)] = id;
        p.setLong(1, id);
        p.setObject(2, v);
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /** Every id in [10, count + 10) exactly once. */
  private static void assertKeys(Statement s, int count) throws SQLException {
    Set<Long> seen = new HashSet<>();
    int rows = 0;
    try (ResultSet rs = s.executeQuery("SELECT id FROM t")) {
      while (rs.next()) {
        seen.add(rs.getLong(1));
        rows++;
      }
    }
    assertEquals(count, rows, "rows");
    assertEquals(count, seen.size(), "distinct keys");
    for (long id = 10; id < count + 10; id++) {
      assertTrue(seen.contains(id), "key " + id);
    }
  }

  private record Channel(long messages, long retainedBytes, long lastId, long trimmedThrough) {}

  private static Channel channel(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW CHANNELS FROM t")) {
      assertTrue(rs.next());
      return new Channel(rs.getLong("messages"), rs.getLong("retained_bytes"),
          rs.getLong("last_id"), rs.getLong("trimmed_through"));
    }
  }

  /**
   * Waits until retention, which a flush sets off in the background, has deleted the channel up
   * to its last message (the flush's own): both consumers have checkpointed it.
   */
  private static Channel awaitTrimmed(Statement s) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    Channel ch = channel(s);
    while (ch.trimmedThrough < ch.lastId) {
      assertTrue(System.nanoTime() < deadline, "the log was not trimmed: " + ch);
      Thread.sleep(20);
      ch = channel(s);
    }
    return ch;
  }

  /**
   * Waits until the background retention round set off by a flush has compacted the deleted
   * messages away and let their write-ahead log file go, so that only RocksDB's own files are left;
   * returns the bytes then.
   */
  private static long awaitBytesLeft(Path mq) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    long bytes = bytesUnder(mq);
    while (bytes > FIXED_BYTES) {
      assertTrue(System.nanoTime() < deadline, "mq/ still holds " + bytes + " bytes");
      Thread.sleep(20);
      bytes = bytesUnder(mq);
    }
    return bytes;
  }

  private static long bytesUnder(Path dir) {
    while (true) {
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(BoundedLogTest::size).sum();
      } catch (IOException | UncheckedIOException e) {
        // RocksDB deleted a file while it was listed: list again.
      }
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
