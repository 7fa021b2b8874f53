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
import org.quiver.jdbc.VectorText;
import org.quiver.sql.copy.VectorFiles;
import org.quiver.sql.server.QuiverServer;
import org.quiver.storage.FileTrees;
import org.quiver.storage.vector.LowRankMixture;
import org.quiver.storage.vector.TopK;
import org.quiver.storage.vector.VectorKernels;

/**
 * {@code quiver bench}: figures, never assertions. Each run uses a fresh data directory and
 * prints one CSV row per measurement (median of the repeats; searches after a 3 s warm-up).
 *
 * <ul>
 *   <li>{@code ingest}: durable inserts through JDBC batches, in vectors per second;
 *   <li>{@code search}: single-client k-NN queries through JDBC: QPS, recall@10 against the
 *       dataset's ground truth, p50/p99 latency, rows returned;
 *   <li>{@code ann}: index sweeps through several doors ({@link AnnBench});
 *   <li>{@code scan}: exact-scan bandwidth against the machine's read bandwidth ({@link
 *       ScanBench});
 *   <li>{@code transfer} ({@link TransferBench}): ingest and export rates through Flight SQL,
 *       COPY and JDBC.
 *   <li>{@code storage} ({@link StorageBench}): the log's durable produce and consume, KV
 *       transactions on RocksDB and etcd;
 *   <li>{@code fuzz} ({@link FuzzBench}): hostile statements against the embedded and remote
 *       doors, with the problems they find.
 * </ul>
 */
public final class Bench {
  static final String HEADER =
      "bench,dataset,door,index,params,build_s,qps,recall@10,p50_ms,p99_ms,rows_returned,threads,vectors_per_s";

  private final String door;
  private final int repeats;
  private final Dataset data;
  /** DML channels of the benchmark table ({@code WITH (shards = n)}). */
  private final int shards;

  private Bench(String door, int repeats, Dataset data, int shards) {
    this.door = door;
    this.repeats = repeats;
    this.data = data;
    this.shards = shards;
  }

  /** A benchmark dataset with ground truth. */
  record Dataset(String name, float[][] base, float[][] queries, int[][] truth) {
    /**
     * The dataset the arguments name: {@code --dataset siftsmall} (the default), or {@code
     * --dataset synthetic} with {@code --rows N --dim D --queries Q --seed S}: a seeded low-rank
     * Gaussian mixture ({@link LowRankMixture}) with exact top-10 ground truth by brute force.
     */
    static Dataset load(List<String> args) throws IOException {
      String name = option(args, "--dataset", "siftsmall");
      if (!name.equals("synthetic")) {
        return load(name);
      }
      return synthetic(Integer.parseInt(option(args, "--rows", "100000")),
          Integer.parseInt(option(args, "--dim", "128")),
          Integer.parseInt(option(args, "--queries", "1000")),
          Long.parseLong(option(args, "--seed", "42")));
    }

    /** {@code rows} points and {@code queries} more from one mixture (rank dim / 8, 100 clusters). */
    static Dataset synthetic(int rows, int dim, int queries, long seed) {
      LowRankMixture mixture = new LowRankMixture(seed, dim, Math.max(2, dim / 8), 100);
      float[][] base = new float[rows][];
      ProgressBar bar = new ProgressBar("generating " + rows + " x " + dim, rows);
      for (int i = 0; i < rows; i++) {
        bar.update(i);
        base[i] = mixture.next(1);
      }
      bar.finish();
      float[][] q = new float[queries][];
      for (int i = 0; i < queries; i++) {
        q[i] = mixture.next(1);
      }
      return new Dataset("synthetic-" + rows + "x" + dim + "-seed" + seed, base, q,
          exactTopTen(base, q));
    }

    /**
     * Exact top-10 by squared L2 for every query, in one pass over the base: each base vector is
     * compared with all the queries while it is in the cache.
     */
    static int[][] exactTopTen(float[][] base, float[][] queries) {
      int dim = base[0].length;
      TopK[] tops = new TopK[queries.length];
      for (int q = 0; q < queries.length; q++) {
        tops[q] = new TopK(10);
      }
      ProgressBar bar = new ProgressBar("ground truth", base.length);
      for (int r = 0; r < base.length; r++) {
        if ((r & 1023) == 0) {
          bar.update(r);
        }
        for (int q = 0; q < queries.length; q++) {
          float d = VectorKernels.l2Squared(queries[q], base[r], 0, dim);
          if (d <= tops[q].threshold()) {
            tops[q].offer(d, r);
          }
        }
      }
      bar.finish();
      int[][] truth = new int[queries.length][10];
      for (int q = 0; q < queries.length; q++) {
        tops[q].drainSorted(new float[10], truth[q]);
      }
      return truth;
    }

    static Dataset load(String name) throws IOException {
      if (!name.equals("siftsmall")) {
        throw new IllegalArgumentException("unknown dataset " + name + "; available: siftsmall");
      }
      Path dir = VectorFiles.dataset(name).orElseThrow(() -> new IllegalStateException(
          "dataset " + name + " not found: expected shared/datasets/" + name
              + " beside the checkout, or set -Dquiver.datasets=DIR"));
      return new Dataset(name, VectorFiles.readFvecs(dir.resolve("siftsmall_base.fvecs")),
          VectorFiles.readFvecs(dir.resolve("siftsmall_query.fvecs")),
          VectorFiles.readIvecs(dir.resolve("siftsmall_groundtruth.ivecs")));
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    String what = a.isEmpty() ? "all" : a.get(0);
    if (what.equals("transfer")) {
      TransferBench.main(a.subList(1, a.size()).toArray(new String[0]));
      return;
    }
    if (what.equals("consistency")) {
      ConsistencyBench.main(a.subList(1, a.size()));
      return;
    }
    if (what.equals("deletes")) {
      DeletesBench.main(a.subList(1, a.size()));
      return;
    }
    if (what.equals("ann")) {
      AnnBench.main(a.subList(1, a.size()).toArray(new String[0]));
      return;
    }
    if (what.equals("fuzz")) {
      FuzzBench.main(a.subList(1, a.size()));
      return;
    }
    if (what.equals("remote")) {
      RemoteBench.main(a.subList(1, a.size()));
      return;
    }
    if (what.equals("scan")) {
      ScanBench.main(a.subList(1, a.size()));
      return;
    }
    if (what.equals("storage")) {
      StorageBench.main(a.subList(1, a.size()).toArray(new String[0]));
      return;
    }
    String door = option(a, "--door", "embedded");
    int repeats = Integer.parseInt(option(a, "--repeats", "5"));
    int batch = Integer.parseInt(option(a, "--batch", "1000"));
    int shards = Integer.parseInt(option(a, "--shards", "1"));
    Bench bench = new Bench(door, repeats, Dataset.load(option(a, "--dataset", "siftsmall")),
        shards);
    System.out.println(HEADER);
    switch (what) {
      case "ingest" -> bench.ingest(batch);
      case "search" -> bench.search(batch);
      case "all" -> {
        bench.ingest(batch);
        bench.search(batch);
      }
      default -> throw new IllegalArgumentException(
          "usage: quiver bench [ingest|search|all|consistency|deletes] [--door embedded|remote] "
              + "[--batch N] [--repeats N] [--shards N] [--dataset siftsmall]; "
              + "quiver bench ann|remote|scan|transfer|storage|fuzz ...");
    }
  }

  static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }

  private void ingest(int batch) throws Exception {
    double[] rates = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      try (Door d = open(); Connection c = d.connect()) {
        create(c);
        long start = System.nanoTime();
        insertAll(c, batch);
        rates[r] = data.base.length / seconds(start);
        progress("ingest repeat " + (r + 1) + "/" + repeats + ": "
            + Math.round(rates[r]) + " vectors/s");
      }
    }
    row("ingest", "none", "batch=" + batch + " shards=" + shards, "", "", "", "", "", "", "1",
        String.format(Locale.ROOT, "%.0f", median(rates)));
  }

  private void search(int batch) throws Exception {
    try (Door d = open(); Connection c = d.connect()) {
      create(c);
      insertAll(c, batch);
      try (Statement s = c.createStatement()) {
        s.execute("FLUSH TABLE bench");
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10")) {
        // Warm up (JIT) before measuring; the figures are for a steady state.
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmUntil) {
          runQueries(p, new long[data.queries.length]);
        }
        double[] qps = new double[repeats];
        List<Long> latencies = new ArrayList<>();
        double recall = 0;
        long rows = 0;
        for (int r = 0; r < repeats; r++) {
          long[] nanos = new long[data.queries.length];
          long start = System.nanoTime();
          Result result = runQueries(p, nanos);
          qps[r] = data.queries.length / seconds(start);
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
                rows / (double) data.queries.length), "1", "");
      }
    }
  }

  private record Result(double recall, long rows) {}

  private Result runQueries(PreparedStatement p, long[] nanos) throws SQLException {
    int found = 0;
    long rows = 0;
    for (int q = 0; q < data.queries.length; q++) {
      long t0 = System.nanoTime();
      p.setString(1, VectorText.format(data.queries[q]));
      Set<Long> ids = new HashSet<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      nanos[q] = System.nanoTime() - t0;
      rows += ids.size();
      for (int i = 0; i < 10; i++) {
        found += ids.contains((long) data.truth[q][i]) ? 1 : 0;
      }
    }
    return new Result(found / (10.0 * data.queries.length), rows);
  }

  private void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, v VECTOR(" + data.base[0].length + "))"
          + " WITH (shards = " + shards + ")");
    }
  }

  private void insertAll(Connection c, int batch) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO bench VALUES (?, ?)")) {
      for (int i = 0; i < data.base.length; i++) {
        p.setLong(1, i);
        p.setObject(2, data.base[i]);
        p.addBatch();
        if ((i + 1) % batch == 0 || i == data.base.length - 1) {
          p.executeBatch();
        }
      }
    }
  }

  private void row(String bench, String index, String params, String build, String qps,
      String recall, String p50, String p99, String rows, String threads, String rate) {
    System.out.println(String.join(",", bench, data.name, door, index, params, build, qps,
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
