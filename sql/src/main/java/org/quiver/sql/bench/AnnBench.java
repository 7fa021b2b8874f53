package org.quiver.sql.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.quiver.engine.Quiver;
import org.quiver.engine.QuiverConfig;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.querynode.Metric;
import org.quiver.engine.querynode.ResultRows;
import org.quiver.engine.querynode.SearchOptions;
import org.quiver.engine.querynode.SearchRequest;
import org.quiver.engine.rootcoord.IndexInfo;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * {@code quiver bench ann}: an HNSW sweep over ef through several doors in one JVM, so that the
 * engine's overhead is a measured ratio: {@code engine} (the engine's API, Quiver's index on every
 * sealed segment), {@code embedded} and {@code remote} (SQL through JDBC, {@code SET ef_search})
 * and {@code jvector} (the raw library, same graph parameters, no database). With
 * {@code --selectivity 0.01,0.1,0.5} each point is also run with a filter that this share of the
 * rows passes ({@code cat = id % 100}), against the filtered exact answer. {@code --plot f.png}
 * draws recall against QPS, a line per door and filter.
 * One CSV row per door and ef: QPS, recall@10, p50/p99 latency, rows returned, build time.
 * {@code --overhead} measures instead the per-query cost of the SQL path (see {@link #overhead}).
 */
public final class AnnBench {
  private static final VectorTypeSupport VECTORS =
      VectorizationProvider.getInstance().getVectorTypeSupport();

  private final Bench.Dataset data;
  private final int m;
  private final int efConstruction;
  private final int[] efs;
  private final double seconds;
  /** Filters to sweep: rows with {@code cat < catBelow} pass, where {@code cat = id % 100}. */
  private final int[] catBelow;
  private final int[][][] truths;
  private final RecallPlot plot;

  private AnnBench(Bench.Dataset data, int m, int efConstruction, int[] efs, double seconds,
      int[] catBelow) {
    this.data = data;
    this.m = m;
    this.efConstruction = efConstruction;
    this.efs = efs;
    this.seconds = seconds;
    this.catBelow = catBelow;
    this.plot = new RecallPlot(data.name() + ": HNSW m=" + m + ", ef_construction="
        + efConstruction + ", one client");
    this.truths = new int[catBelow.length][][];
    for (int i = 0; i < catBelow.length; i++) {
      truths[i] = catBelow[i] >= 100 ? topTen(data.truth()) : filteredTruth(catBelow[i]);
    }
  }

  /** The first ten of each ground-truth row (the files hold 100 neighbours per query). */
  private static int[][] topTen(int[][] truth) {
    int[][] ten = new int[truth.length][];
    for (int q = 0; q < truth.length; q++) {
      ten[q] = Arrays.copyOf(truth[q], 10);
    }
    return ten;
  }

  /** Exact top-10 among the rows the filter lets through, by brute force. */
  private int[][] filteredTruth(int below) {
    int dim = data.base()[0].length;
    int[][] truth = new int[data.queries().length][];
    for (int q = 0; q < truth.length; q++) {
      float[] query = data.queries()[q];
      truth[q] = java.util.stream.IntStream.range(0, data.base().length)
          .filter(id -> id % 100 < below)
          .boxed()
          .sorted(java.util.Comparator.comparingDouble(
              id -> org.quiver.storage.vector.VectorKernels.l2Squared(query, data.base()[id], 0, dim)))
          .limit(10).mapToInt(Integer::intValue).toArray();
    }
    return truth;
  }

  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    AnnBench bench = new AnnBench(Bench.Dataset.load(option(a, "--dataset", "siftsmall")),
        Integer.parseInt(option(a, "--m", "16")),
        Integer.parseInt(option(a, "--ef-construction", "100")),
        Arrays.stream(option(a, "--ef", "10,20,40,80,160").split(","))
            .mapToInt(Integer::parseInt).toArray(),
        Double.parseDouble(option(a, "--seconds", "2")),
        Arrays.stream(option(a, "--selectivity", "1").split(","))
            .mapToInt(x -> (int) Math.round(Double.parseDouble(x) * 100)).toArray());
    String plotFile = option(a, "--plot", null);
    boolean overhead = a.contains("--overhead");
    if (!overhead) {
      System.out.println(Bench.HEADER);
    }
    String doors = overhead ? "" : option(a, "--doors", "jvector,engine");
    for (String door : doors.isEmpty() ? new String[0] : doors.split(",")) {
      switch (door) {
        case "engine" -> bench.engine();
        case "jvector" -> bench.jvector();
        case "embedded", "remote" -> bench.jdbc(door);
        default -> throw new IllegalArgumentException(
            "unknown door " + door + "; use engine, embedded, remote, jvector");
      }
    }
    if (overhead) {
      bench.overhead();
    }
    if (plotFile != null) {
      bench.plot.write(Path.of(plotFile));
      System.err.println("  plot written to " + plotFile);
    }
  }

  /**
   * The per-query cost of the SQL path: one prepared k-NN statement through embedded JDBC,
   * re-executed with each new query vector, against the same search through the engine's API on
   * the same engine, query by query in turn (so that the load of a shared machine falls on both
   * alike). Prints the QPS of each and their ratio per ef.
   */
  private void overhead() throws Exception {
    Path dir = Files.createTempDirectory("quiver-overhead-");
    String location = "file:" + dir;
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:quiver:" + location);
        org.quiver.sql.jdbc.EngineRegistry.Handle engine =
            org.quiver.sql.jdbc.EngineRegistry.acquire(location);
        java.sql.Statement s = c.createStatement()) {
      loadThroughSql(c);
      java.sql.PreparedStatement search = c.prepareStatement(
          "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10");
      Proxy proxy = engine.engine().proxy();
      for (int ef : efs) {
        s.execute("SET ef_search = " + ef);
        SearchOptions options = new SearchOptions(ef, false);
        long[] nanos = new long[2];
        long[] found = new long[2];
        for (int pass = 0; pass < 2; pass++) {
          boolean measured = pass == 1;
          long until = System.nanoTime() + (long) (seconds * 1e9);
          int runs = 0;
          while (System.nanoTime() < until || runs == 0) {
            for (int q = 0; q < data.queries().length; q++) {
              float[] query = data.queries()[q];
              // Each door goes first on every other query: the second search of a vector finds
              // the graph nodes it visits in the CPU caches.
              boolean engineFirst = q % 2 == 0;
              long t0 = System.nanoTime();
              int[] jdbcIds = engineFirst ? null : jdbcSearch(search, query);
              long t1 = System.nanoTime();
              ResultRows r = proxy.search(new SearchRequest("bench", "v", query, Metric.L2, 10, 0,
                  null, List.of("id"), options));
              long t2 = System.nanoTime();
              if (engineFirst) {
                jdbcIds = jdbcSearch(search, query);
              }
              long t3 = System.nanoTime();
              if (measured) {
                nanos[0] += t2 - t1;
                nanos[1] += (t1 - t0) + (t3 - t2);
                found[0] += hits(r.rows().stream().mapToInt(row -> (int) (long) (Long) row[0])
                    .toArray(), truths[0][q]);
                found[1] += hits(jdbcIds, truths[0][q]);
              }
            }
            runs++;
          }
          if (measured) {
            long queries = (long) runs * data.queries().length;
            double engineQps = queries / (nanos[0] / 1e9);
            double jdbcQps = queries / (nanos[1] / 1e9);
            System.out.println(String.format(Locale.ROOT, "prepared-search overhead,%s,hnsw m=%d "
                    + "ef=%d,engine API %.0f QPS (recall %.4f),embedded JDBC %.0f QPS (recall %.4f),"
                    + "ratio %.2f", data.name(), m, ef, engineQps, found[0] / (10.0 * queries),
                jdbcQps, found[1] / (10.0 * queries), jdbcQps / engineQps));
          }
        }
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One execution of the prepared search with a new vector; the ids it returns. */
  private static int[] jdbcSearch(java.sql.PreparedStatement search, float[] query)
      throws java.sql.SQLException {
    search.setObject(1, query);
    int[] ids = new int[10];
    int n = 0;
    try (java.sql.ResultSet rs = search.executeQuery()) {
      while (rs.next()) {
        ids[n++] = (int) rs.getLong(1);
      }
    }
    return Arrays.copyOf(ids, n);
  }

  private static int hits(int[] ids, int[] truth) {
    int found = 0;
    for (int id : ids) {
      for (int t : truth) {
        if (t == id) {
          found++;
          break;
        }
      }
    }
    return found;
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }

  /** Runs the queries until the time is up, after as long a warm-up; returns the figures. */
  private interface Searcher {
    /** The k nearest rows with {@code cat < catBelow} (100: no filter). */
    int[] search(float[] query, int k, int ef, int catBelow);
  }

  private void sweep(String door, double buildSeconds, Searcher searcher) {
    for (int f = 0; f < catBelow.length; f++) {
      for (int ef : efs) {
        point(door, buildSeconds, searcher, ef, catBelow[f], truths[f]);
      }
    }
  }

  private void point(String door, double buildSeconds, Searcher searcher, int ef, int below,
      int[][] truth) {
    long warmUntil = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warmUntil) {
      for (float[] q : data.queries()) {
        searcher.search(q, 10, ef, below);
      }
    }
    List<Long> latencies = new ArrayList<>();
    long found = 0;
    long rows = 0;
    long start = System.nanoTime();
    long until = start + (long) (seconds * 1e9);
    int runs = 0;
    while (System.nanoTime() < until || runs == 0) {
      for (int q = 0; q < data.queries().length; q++) {
        long t0 = System.nanoTime();
        int[] ids = searcher.search(data.queries()[q], 10, ef, below);
        latencies.add(System.nanoTime() - t0);
        rows += ids.length;
        for (int id : ids) {
          for (int t : truth[q]) {
            if (t == id) {
              found++;
              break;
            }
          }
        }
      }
      runs++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    latencies.sort(null);
    int n = latencies.size();
    String filter = below >= 100 ? "" : " filter=cat<" + below + " (" + below + "%)";
    System.out.println(String.join(",", "ann", data.name(), door, "hnsw",
        "m=" + m + " ef_construction=" + efConstruction + " ef=" + ef + filter,
        String.format(Locale.ROOT, "%.2f", buildSeconds),
        String.format(Locale.ROOT, "%.0f", n / elapsed),
        String.format(Locale.ROOT, "%.4f", found / (10.0 * n)),
        String.format(Locale.ROOT, "%.3f", latencies.get(n / 2) / 1e6),
        String.format(Locale.ROOT, "%.3f", latencies.get(Math.min(n - 1, (int) (n * 0.99))) / 1e6),
        String.format(Locale.ROOT, "%.1f", rows / (double) n), "1", ""));
    plot.add(door + filter, found / (10.0 * n), n / elapsed);

    System.err.println("  " + door + " ef=" + ef + filter + " done");
  }

  private void jvector() throws Exception {
    int dim = data.base()[0].length;
    List<VectorFloat<?>> rows = new ArrayList<>();
    for (float[] v : data.base()) {
      rows.add(VECTORS.createFloatVector(v.clone()));
    }
    RandomAccessVectorValues values = new ListRandomAccessVectorValues(rows, dim);
    long start = System.nanoTime();
    ImmutableGraphIndex graph;
    try (GraphIndexBuilder builder = new GraphIndexBuilder(values,
        VectorSimilarityFunction.EUCLIDEAN, m, efConstruction, 1.2f, 1.2f, true)) {
      graph = builder.build(values);
    }
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    try (GraphSearcher searcher = new GraphSearcher(graph)) {
      sweep("jvector", buildSeconds, (q, k, ef, below) -> {
        Bits accept = below >= 100 ? Bits.ALL : node -> node % 100 < below;
        SearchResult r = searcher.search(DefaultSearchScoreProvider.exact(
            VECTORS.createFloatVector(q), VectorSimilarityFunction.EUCLIDEAN, values),
            k, ef, 0.0f, 0.0f, accept);
        return Arrays.stream(r.getNodes()).mapToInt(ns -> ns.node).toArray();
      });
    }
  }

  /**
   * SQL through JDBC: embedded ({@code jdbc:quiver:file:}) or remote (a server on loopback and
   * Quiver's driver); CREATE INDEX and SET ef_search in SQL, prepared k-NN queries.
   */
  private void jdbc(String door) throws Exception {
    Path dir = Files.createTempDirectory("quiver-ann-");
    org.quiver.sql.server.QuiverServer server = door.equals("remote")
        ? org.quiver.sql.server.QuiverServer.start(dir, "127.0.0.1", 0) : null;
    String url = server != null ? server.url() : "jdbc:quiver:file:" + dir;
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      double buildSeconds = loadThroughSql(c);
      try (java.sql.PreparedStatement all = c.prepareStatement(
              "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10");
          java.sql.PreparedStatement filtered = c.prepareStatement(
              "SELECT id FROM bench WHERE cat < ? ORDER BY v <-> ? LIMIT 10")) {
        int[] currentEf = {-1};
        sweep(door, buildSeconds, (q, k, ef, below) -> {
          try {
            if (ef != currentEf[0]) {
              s.execute("SET ef_search = " + ef);
              currentEf[0] = ef;
            }
            java.sql.PreparedStatement p = below >= 100 ? all : filtered;
            if (below >= 100) {
              p.setObject(1, q);
            } else {
              p.setInt(1, below);
              p.setObject(2, q);
            }
            int[] ids = new int[k];
            int n = 0;
            try (java.sql.ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                ids[n++] = (int) rs.getLong(1);
              }
            }
            return Arrays.copyOf(ids, n);
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
    } finally {
      if (server != null) {
        server.close();
      }
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Creates, fills and indexes the table through SQL; returns the index build time. */
  private double loadThroughSql(java.sql.Connection c) throws Exception {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, cat INTEGER, v VECTOR("
          + data.base()[0].length + "))");
      try (java.sql.PreparedStatement p = c.prepareStatement("INSERT INTO bench VALUES (?, ?, ?)")) {
        for (int i = 0; i < data.base().length; i++) {
          p.setLong(1, i);
          p.setInt(2, i % 100);
          p.setObject(3, data.base()[i]);
          p.addBatch();
          if ((i + 1) % 1000 == 0 || i == data.base().length - 1) {
            p.executeBatch();
          }
        }
      }
      s.execute("FLUSH TABLE bench");
      long start = System.nanoTime();
      s.execute("CREATE INDEX bench_v ON bench USING HNSW (v) WITH (metric = 'l2', m = " + m
          + ", ef_construction = " + efConstruction + ")");
      while (true) {
        try (java.sql.ResultSet rs = s.executeQuery("SELECT indexed_rows, total_rows FROM sys.indexes")) {
          rs.next();
          if (rs.getLong(1) == rs.getLong(2)) {
            break;
          }
        }
        Thread.sleep(5);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private void engine() throws Exception {
    int dim = data.base()[0].length;
    Path dir = Files.createTempDirectory("quiver-ann-");
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", DataType.FLOAT_VECTOR, dim, false, false)));
    try (Quiver quiver = Quiver.open(new QuiverConfig(dir, 1_000_000))) {
      Proxy proxy = quiver.proxy();
      proxy.createCollection("bench", schema, false);
      for (int from = 0; from < data.base().length; from += 1000) {
        int n = Math.min(1000, data.base().length - from);
        Object[] ids = new Object[n];
        Object[] cats = new Object[n];
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
          ids[i] = (long) (from + i);
          cats[i] = (from + i) % 100;
          System.arraycopy(data.base()[from + i], 0, v, i * dim, dim);
        }
        proxy.insert("bench", new ColumnBatch(schema, n, List.of(ids, cats, v)));
      }
      proxy.flush("bench");
      long start = System.nanoTime();
      proxy.createIndex("bench", "bench_v", "v", IndexMethod.HNSW, IndexMetric.L2, m,
          efConstruction, false);
      IndexInfo index = proxy.indexes("bench").get(0);
      while (proxy.indexProgress(index).builtSegments() < proxy.indexProgress(index).totalSegments()) {
        Thread.sleep(5);
      }
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      sweep("engine", buildSeconds, (q, k, ef, below) -> {
        org.quiver.engine.expr.Expr filter = below >= 100 ? null
            : new org.quiver.engine.expr.Expr.Compare(org.quiver.engine.expr.Expr.CompareOp.LT,
                new org.quiver.engine.expr.Expr.Column("cat"),
                new org.quiver.engine.expr.Expr.Literal(below));
        ResultRows r = proxy.search(new SearchRequest("bench", "v", q, Metric.L2, k, 0, filter,
            List.of("id"), new SearchOptions(ef, false)));
        int[] ids = new int[r.rows().size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = (int) (long) (Long) r.rows().get(i)[0];
        }
        return ids;
      });
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
