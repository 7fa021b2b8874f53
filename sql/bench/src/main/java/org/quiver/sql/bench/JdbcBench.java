package org.quiver.sql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.quiver.jdbc.VectorText;
import org.quiver.sql.server.QuiverServer;
import org.quiver.storage.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench ingest|search|all}: through JDBC, embedded or remote, median of the
 * repeats. {@code ingest}: durable inserts in JDBC batches, in vectors per second; {@code search}:
 * single-client k-NN queries after a 3 s warm-up: QPS, recall@10 against the dataset's ground
 * truth, p50/p99 latency, rows returned.
 */
abstract class JdbcBench implements Callable<Integer> {
  @Mixin
  private DatasetOptions dataset;

  @Option(names = "--door", paramLabel = "embedded|remote", defaultValue = "embedded",
      description = "an embedded engine, or a server on loopback through Quiver's driver")
  private String door;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1000",
      description = "rows per JDBC batch")
  private int batch;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
      description = "runs, of which the median is reported")
  private int repeats;

  /** DML channels of the benchmark table ({@code WITH (shards = n)}). */
  @Option(names = "--shards", paramLabel = "N", defaultValue = "1",
      description = "DML channels of the table (WITH (shards = N))")
  private int shards;

  private Bench.Dataset data;

  /** The measurements of this command, after the header. */
  abstract void measure() throws Exception;

  @Override
  public Integer call() throws Exception {
    data = dataset.load();
    System.out.println(Bench.HEADER);
    measure();
    return 0;
  }

  /** Both measurements, as {@code all} makes them. */
  final void all() throws Exception {
    ingest();
    search();
  }

  /** {@code quiver bench ingest}. */
  @Command(name = "ingest", description = "Durable inserts through JDBC batches, in vectors per "
      + "second (median of the repeats).")
  static final class Ingest extends JdbcBench {
    @Override
    void measure() throws Exception {
      ingest();
    }
  }

  /** {@code quiver bench search}. */
  @Command(name = "search", description = "Single-client exact k-NN queries through JDBC: QPS, "
      + "recall@10, p50/p99 latency, rows returned.")
  static final class Search extends JdbcBench {
    @Override
    void measure() throws Exception {
      search();
    }
  }

  /** {@code quiver bench all}. */
  @Command(name = "all", description = "ingest, then search.")
  static final class All extends JdbcBench {
    @Override
    void measure() throws Exception {
      all();
    }
  }

  void ingest() throws Exception {
    double[] rates = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      try (Door d = open(); Connection c = d.connect()) {
        create(c);
        long start = System.nanoTime();
        insertAll(c);
        rates[r] = data.base().length / seconds(start);
        progress("ingest repeat " + (r + 1) + "/" + repeats + ": "
            + Math.round(rates[r]) + " vectors/s");
      }
    }
    row("ingest", "none", "batch=" + batch + " shards=" + shards, "", "", "", "", "", "", "1",
        String.format(Locale.ROOT, "%.0f", median(rates)));
  }

  void search() throws Exception {
    try (Door d = open(); Connection c = d.connect()) {
      create(c);
      insertAll(c);
      try (Statement s = c.createStatement()) {
        s.execute("FLUSH TABLE bench");
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10")) {
        // Warm up (JIT) before measuring; the figures are for a steady state.
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmUntil) {
          runQueries(p, new long[data.queries().length]);
        }
        double[] qps = new double[repeats];
        List<Long> latencies = new ArrayList<>();
        double recall = 0;
        long rows = 0;
        for (int r = 0; r < repeats; r++) {
          long[] nanos = new long[data.queries().length];
          long start = System.nanoTime();
          Result result = runQueries(p, nanos);
          qps[r] = data.queries().length / seconds(start);
          recall = result.recall;
          rows = result.rows;
          Arrays.stream(nanos).forEach(latencies::add);
          progress("search repeat " + (r + 1) + "/" + repeats + ": "
              + Math.round(qps[r]) + " QPS");
        }
        latencies.sort(null);
        row("search", "exact", "k=10", "0", String.format(Locale.ROOT, "%.0f", median(qps)),
            String.format(Locale.ROOT, "%.4f", recall), millis(latencies, 0.50),
            millis(latencies, 0.99), String.format(Locale.ROOT, "%.1f",
                rows / (double) data.queries().length), "1", "");
      }
    }
  }

  private record Result(double recall, long rows) {}

  private Result runQueries(PreparedStatement p, long[] nanos) throws SQLException {
    int found = 0;
    long rows = 0;
    for (int q = 0; q < data.queries().length; q++) {
      long t0 = System.nanoTime();
      p.setString(1, VectorText.format(data.queries()[q]));
      Set<Long> ids = new HashSet<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      nanos[q] = System.nanoTime() - t0;
      rows += ids.size();
      for (int i = 0; i < 10; i++) {
        found += ids.contains((long) data.truth()[q][i]) ? 1 : 0;
      }
    }
    return new Result(found / (10.0 * data.queries().length), rows);
  }

  private void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, v VECTOR(" + data.base()[0].length + "))"
          + " WITH (shards = " + shards + ")");
    }
  }

  private void insertAll(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO bench VALUES (?, ?)")) {
      for (int i = 0; i < data.base().length; i++) {
        p.setLong(1, i);
        p.setObject(2, data.base()[i]);
        p.addBatch();
        if ((i + 1) % batch == 0 || i == data.base().length - 1) {
          p.executeBatch();
        }
      }
    }
  }

  private void row(String bench, String index, String params, String build, String qps,
      String recall, String p50, String p99, String rows, String threads, String rate) {
    System.out.println(String.join(",", bench, data.name(), door, index, params, build, qps,
        recall, p50, p99, rows, threads, rate));
  }

  private static void progress(String message) {
    System.err.println("  " + message);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String millis(List<Long> sortedNanos, double quantile) {
    int i = (int) Math.min(sortedNanos.size() - 1, Math.floor(quantile * sortedNanos.size()));
    return String.format(Locale.ROOT, "%.3f", sortedNanos.get(i) / 1e6);
  }

  /** Where the benchmark connects: an embedded engine, or a server on loopback. */
  private Door open() throws IOException, SQLException {
    Path dir = Files.createTempDirectory("quiver-bench-");
    if (door.equals("embedded")) {
      return new Door(dir, null, "jdbc:quiver:file:" + dir);
    }
    if (door.equals("remote")) {
      QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
      return new Door(dir, server, server.url());
    }
    throw new IllegalArgumentException("unknown door " + door + "; use embedded or remote");
  }

  private record Door(Path dir, QuiverServer server, String url) implements AutoCloseable {
    Connection connect() throws SQLException {
      return DriverManager.getConnection(url);
    }

    @Override
    public void close() throws IOException {
      if (server != null) {
        server.close();
      }
      FileTrees.deleteRecursively(dir);
    }
  }
}
