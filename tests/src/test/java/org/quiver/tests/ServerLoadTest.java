package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load on {@code quiver serve} over loopback: 16 clients of Quiver's remote driver mix
 * single-row inserts, batch inserts and k-NN searches for a fixed number of operations. Nothing
 * may fail and no acknowledged row may be lost; then a second load is cut by SIGTERM (exit code
 * 0) and a third by SIGKILL, and after each restart every row acknowledged before the stop is
 * there, once. Latency percentiles are printed, not
 * asserted.
 */
class ServerLoadTest {
  private static final int CLIENTS = 16;
  private static final int OPERATIONS_PER_CLIENT = 150;
  private static final int DIM = 16;
  private static final int BATCH = 8;
  /** Rows the second phase acknowledges before the server gets SIGTERM. */
  private static final int ACKS_BEFORE_STOP = 200;

  /** What the clients of one phase did. */
  private record Outcome(Set<Long> acknowledged, Collection<Long> insertNanos,
      Collection<Long> searchNanos, List<Throwable> errors) {}

  @Test
  void concurrentClientsLoseNothingAndSigtermDuringLoadKeepsEveryAcknowledgedRow(
      @TempDir Path data) throws Exception {
    long seed = Long.getLong("quiver.seed", System.nanoTime());
    System.out.println("ServerLoadTest seed=" + seed + " (rerun with -Dquiver.seed=" + seed + ")");
    Set<Long> acknowledged = new HashSet<>();
    try (ServerProcess server = ServerProcess.start(data)) {
      try (Connection c = DriverManager.getConnection(server.quiverUrl());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE load (id BIGINT PRIMARY KEY, client INTEGER, v VECTOR(" + DIM
            + "))");
      }
      Outcome first = run(server.quiverUrl(), seed, 0, null);
      assertEquals(List.of(), first.errors(), "seed=" + seed);
      report("phase 1", first);
      acknowledged.addAll(first.acknowledged());
      assertEquals(acknowledged.size(), count(server.quiverUrl()), "seed=" + seed);
      assertEquals(acknowledged, ids(server.quiverUrl()), "seed=" + seed);

      AtomicInteger acks = new AtomicInteger();
      ExecutorService phase = Executors.newSingleThreadExecutor();
      try {
        Future<Outcome> second = phase.submit(() -> run(server.quiverUrl(), seed + 1, 1, acks));
        while (acks.get() < ACKS_BEFORE_STOP && !second.isDone()) {
          Thread.sleep(5);
        }
        assertTrue(acks.get() >= ACKS_BEFORE_STOP, "the second load ended before the stop");
        int exit = server.stop();
        assertEquals(0, exit, server.output());
        Outcome cut = second.get();
        report("phase 2 (SIGTERM after " + ACKS_BEFORE_STOP + " acknowledged rows)", cut);
        System.out.println("phase 2: " + cut.acknowledged().size() + " rows acknowledged, "
            + cut.errors().size() + " clients stopped by the shutdown");
        for (Throwable error : cut.errors()) {
          assertTrue(error instanceof SQLException, "only the shutdown may stop a client: "
              + error);
        }
        acknowledged.addAll(cut.acknowledged());
      } finally {
        phase.shutdownNow();
      }
    }
    try (ServerProcess restarted = ServerProcess.start(data)) {
      Set<Long> present = ids(restarted.quiverUrl());
      Set<Long> lost = new HashSet<>(acknowledged);
      lost.removeAll(present);
      assertEquals(Set.of(), lost, "acknowledged rows missing after the restart, seed=" + seed);

      // Phase 3: the same load cut by SIGKILL, which runs no shutdown hook at all.
      AtomicInteger acks = new AtomicInteger();
      ExecutorService phase = Executors.newSingleThreadExecutor();
      try {
        Future<Outcome> third = phase.submit(() -> run(restarted.quiverUrl(), seed + 2, 2, acks));
        while (acks.get() < ACKS_BEFORE_STOP && !third.isDone()) {
          Thread.sleep(5);
        }
        assertTrue(acks.get() >= ACKS_BEFORE_STOP, "the third load ended before the kill");
        restarted.kill();
        Outcome killed = third.get();
        report("phase 3 (SIGKILL after " + ACKS_BEFORE_STOP + " acknowledged rows)", killed);
        for (Throwable error : killed.errors()) {
          assertTrue(error instanceof SQLException, "only the kill may stop a client: " + error);
        }
        acknowledged.addAll(killed.acknowledged());
      } finally {
        phase.shutdownNow();
      }
    }
    try (ServerProcess again = ServerProcess.start(data)) {
      Set<Long> present = ids(again.quiverUrl());
      Set<Long> lost = new HashSet<>(acknowledged);
      lost.removeAll(present);
      assertEquals(Set.of(), lost, "acknowledged rows missing after SIGKILL, seed=" + seed);
      assertEquals(present.size(), count(again.quiverUrl()), "no row twice, seed=" + seed);
      assertEquals(0, again.stop(), again.output());
    }
  }

  /**
   * Runs the clients until each has done its operations; with {@code acks} (the phase that gets
   * SIGTERM), a client stops at its first failure and the failures are returned, not thrown.
   */
  private static Outcome run(String url, long seed, int phase, AtomicInteger acks)
      throws Exception {
    Outcome outcome = new Outcome(ConcurrentHashMap.newKeySet(), new ConcurrentLinkedQueue<>(),
        new ConcurrentLinkedQueue<>(), new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        int id = client;
        clients.add(pool.submit(() -> {
          client(url, new Random(seed * 31 + id), phase, id, outcome, acks);
          return null;
        }));
      }
      for (Future<?> f : clients) {
        try {
          f.get();
        } catch (ExecutionException e) {
          outcome.errors().add(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return outcome;
  }

  /** One client: its own connection and a fixed number of operations, recorded in {@code out}. */
  private static void client(String url, Random random, int phase, int client, Outcome out,
      AtomicInteger acks) throws SQLException {
    long nextId = ((long) phase * CLIENTS + client) * 1_000_000L;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement insert = c.prepareStatement("INSERT INTO load VALUES (?, ?, ?)");
        PreparedStatement search = c.prepareStatement(
            "SELECT id FROM load WHERE client <> ? ORDER BY v <-> ? LIMIT 10")) {
      for (int op = 0; op < OPERATIONS_PER_CLIENT; op++) {
        int kind = random.nextInt(10);
        long start = System.nanoTime();
        if (kind < 4) {
          search.setInt(1, random.nextInt(CLIENTS));
          search.setObject(2, vector(random));
          try (ResultSet rs = search.executeQuery()) {
            while (rs.next()) {
              rs.getLong(1);
            }
          }
          out.searchNanos().add(System.nanoTime() - start);
        } else {
          int rows = kind < 9 ? 1 : BATCH;
          long[] ids = new long[rows];
          for (int r = 0; r < rows; r++) {
            ids[r] = nextId++;
            insert.setLong(1, ids[r]);
            insert.setInt(2, client);
            insert.setObject(3, vector(random));
            if (rows == 1) {
              assertEquals(1, insert.executeUpdate());
            } else {
              insert.addBatch();
            }
          }
          if (rows > 1) {
            assertEquals(rows, Arrays.stream(insert.executeBatch()).sum());
          }
          out.insertNanos().add(System.nanoTime() - start);
          for (long id : ids) {
            out.acknowledged().add(id);
          }
          if (acks != null) {
            acks.addAndGet(rows);
          }
        }
      }
    }
  }

  private static float[] vector(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = random.nextFloat() * 2 - 1;
    }
    return v;
  }

  private static long count(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM load")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Set<Long> ids(String url) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM load")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static void report(String phase, Outcome o) {
    System.out.printf("ServerLoadTest %s: %d clients, %d inserts (%d rows acknowledged), "
        + "%d searches; insert p50=%.2f ms p99=%.2f ms; search p50=%.2f ms p99=%.2f ms%n",
        phase, CLIENTS, o.insertNanos().size(), o.acknowledged().size(), o.searchNanos().size(),
        percentile(o.insertNanos(), 50), percentile(o.insertNanos(), 99),
        percentile(o.searchNanos(), 50), percentile(o.searchNanos(), 99));
  }

  private static double percentile(Collection<Long> nanos, int p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
