package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code quiver serve} with SIGKILL while a client inserts batches, restarts it, and checks
 * that every acknowledged row is there exactly once, that each batch is all or nothing, and that
 * the rows are searchable. The seed ({@code -Dtests.seed}) is printed with every failure.
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 3;
  private static final int BATCH = 50;
  private static final int DIM = 8;

  @TempDir
  Path temp;

  @Test
  void everyAcknowledgedRowSurvivesSigkill() throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    String context = "seed=" + seed;
    Path data = Files.createDirectory(temp.resolve("data"));
    List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger nextBatch = new AtomicInteger();

    for (int round = 0; round < ROUNDS; round++) {
      String where = context + " round=" + round;
      try (ServerProcess server = ServerProcess.start(data)) {
        if (round == 0) {
          try (Connection c = DriverManager.getConnection(server.avaticaUrl());
              Statement s = c.createStatement()) {
            s.execute("CREATE TABLE crash (id BIGINT PRIMARY KEY, batch INTEGER, v VECTOR(" + DIM + "))");
          }
        } else {
          verify(server, acknowledged, where);
        }
        int killAfter = acknowledged.size() + 2 + random.nextInt(8);
        Thread writer = Thread.ofPlatform().start(() -> insertUntilFailure(server, nextBatch, acknowledged));
        while (acknowledged.size() < killAfter && writer.isAlive()) {
          Thread.sleep(5);
        }
        Thread.sleep(random.nextInt(20));
        server.kill();
        writer.join();
      }
    }
    try (ServerProcess server = ServerProcess.start(data)) {
      verify(server, acknowledged, context + " final");
      assertEquals(0, server.stop(), context + ": SIGTERM should exit 0\n" + server.output());
    }
  }

  private static void insertUntilFailure(ServerProcess server, AtomicInteger nextBatch,
      List<Integer> acknowledged) {
    try (Connection c = DriverManager.getConnection(server.avaticaUrl());
        PreparedStatement p = c.prepareStatement("INSERT INTO crash VALUES (?, ?, ?)")) {
      while (true) {
        int batch = nextBatch.getAndIncrement();
        for (int i = 0; i < BATCH; i++) {
          int id = batch * BATCH + i;
          p.setLong(1, id);
          p.setInt(2, batch);
          p.setString(3, vector(id));
          p.addBatch();
        }
        p.executeBatch();
        acknowledged.add(batch);
      }
    } catch (SQLException | RuntimeException expectedWhenKilled) {
      // The server died under the batch in flight: it may or may not have been written.
    }
  }

  private static void verify(ServerProcess server, List<Integer> acknowledged, String where)
      throws SQLException {
    Map<Integer, Integer> rowsPerBatch = new HashMap<>();
    try (Connection c = DriverManager.getConnection(server.avaticaUrl());
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM crash")) {
        assertTrue(rs.next());
        assertEquals(rs.getLong(1), rs.getLong(2), where + ": duplicated rows after restart");
      }
      try (ResultSet rs = s.executeQuery("SELECT batch, COUNT(*) FROM crash GROUP BY batch")) {
        while (rs.next()) {
          rowsPerBatch.put(rs.getInt(1), rs.getInt(2));
        }
      }
      for (int batch : List.copyOf(acknowledged)) {
        assertEquals(BATCH, rowsPerBatch.getOrDefault(batch, 0),
            where + ": acknowledged batch " + batch + " is not complete");
      }
      rowsPerBatch.forEach((batch, rows) ->
          assertEquals(BATCH, rows, where + ": batch " + batch + " is torn"));
      int probe = acknowledged.get(acknowledged.size() / 2) * BATCH + 7;
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, v <-> ? AS d FROM crash ORDER BY d LIMIT 1")) {
        p.setString(1, vector(probe));
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next(), where);
          assertEquals(probe, rs.getLong(1), where + ": nearest row to row " + probe);
          assertEquals(0.0, rs.getDouble(2), 1e-6, where);
        }
      }
    }
  }

  private static String vector(int id) {
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < DIM; d++) {
      sb.append(d == 0 ? "" : ",").append((id * 31 + d * 7) % 1000 / 10.0);
    }
    return sb.append(']').toString();
  }
}
