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
 * sealed segment), {@code embedded} (SQL through embedded JDBC, {@code SET ef_search}) and
 * {@code jvector} (the raw library, same graph parameters, no database).
 * One CSV row per door and ef: QPS, recall@10, p50/p99 latency, rows returned, build time.
 */
public final class AnnBench {
  private static final VectorTypeSupport VECTORS =
      VectorizationProvider.getInstance().getVectorTypeSupport();

  private final Bench.Dataset data;
  private final int m;
  private final int efConstruction;
  private final int[] efs;
  private final double seconds;

  private AnnBench(Bench.Dataset data, int m, int efConstruction, int[] efs, double seconds) {
    this.data = data;
    this.m = m;
    this.efConstruction = efConstruction;
    this.efs = efs;
    this.seconds = seconds;
  }

  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    AnnBench bench = new AnnBench(Bench.Dataset.load(option(a, "--dataset", "siftsmall")),
        Integer.parseInt(option(a, "--m", "16")),
        Integer.parseInt(option(a, "--ef-construction", "100")),
        Arrays.stream(option(a, "--ef", "10,20,40,80,160").split(","))
            .mapToInt(Integer::parseInt).toArray(),
        Double.parseDouble(option(a, "--seconds", "2")));
    System.out.println(Bench.HEADER);
    for (String door : option(a, "--doors", "jvector,engine").split(",")) {
      switch (door) {
        case "engine" -> bench.engine();
        case "jvector" -> bench.jvector();
        case "embedded" -> bench.embedded();
        default -> throw new IllegalArgumentException(
            "unknown door " + door + "; use engine, embedded, jvector");
      }
    }
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }

  /** Runs the queries until the time is up, after as long a warm-up; returns the figures. */
  private interface Searcher {
    int[] search(float[] query, int k, int ef);
  }

  private void sweep(String door, double buildSeconds, Searcher searcher) {
    for (int ef : efs) {
      long warmUntil = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < warmUntil) {
        for (float[] q : data.queries()) {
          searcher.search(q, 10, ef);
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
          int[] ids = searcher.search(data.queries()[q], 10, ef);
          latencies.add(System.nanoTime() - t0);
          rows += ids.length;
          for (int id : ids) {
            for (int t = 0; t < 10; t++) {
              if (data.truth()[q][t] == id) {
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
      System.out.println(String.join(",", "ann", data.name(), door, "hnsw",
          "m=" + m + " ef_construction=" + efConstruction + " ef=" + ef,
          String.format(Locale.ROOT, "%.2f", buildSeconds),
          String.format(Locale.ROOT, "%.0f", n / elapsed),
          String.format(Locale.ROOT, "%.4f", found / (10.0 * n)),
          String.format(Locale.ROOT, "%.3f", latencies.get(n / 2) / 1e6),
          String.format(Locale.ROOT, "%.3f", latencies.get(Math.min(n - 1, (int) (n * 0.99))) / 1e6),
          String.format(Locale.ROOT, "%.1f", rows / (double) n), "1", ""));
      System.err.println("  " + door + " ef=" + ef + " done");
    }
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
      sweep("jvector", buildSeconds, (q, k, ef) -> {
        SearchResult r = searcher.search(DefaultSearchScoreProvider.exact(
            VECTORS.createFloatVector(q), VectorSimilarityFunction.EUCLIDEAN, values),
            k, ef, 0.0f, 0.0f, Bits.ALL);
        return Arrays.stream(r.getNodes()).mapToInt(ns -> ns.node).toArray();
      });
    }
  }

  /** Embedded JDBC: CREATE INDEX and SET ef_search in SQL, a prepared k-NN query per search. */
  private void embedded() throws Exception {
    Path dir = Files.createTempDirectory("quiver-ann-");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:quiver:file:" + dir);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, v VECTOR(" + data.base()[0].length + "))");
      try (java.sql.PreparedStatement p = c.prepareStatement("INSERT INTO bench VALUES (?, ?)")) {
        for (int i = 0; i < data.base().length; i++) {
          p.setLong(1, i);
          p.setObject(2, data.base()[i]);
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
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      try (java.sql.PreparedStatement p = c.prepareStatement(
          "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10")) {
        int[] currentEf = {-1};
        sweep("embedded", buildSeconds, (q, k, ef) -> {
          try {
            if (ef != currentEf[0]) {
              s.execute("SET ef_search = " + ef);
              currentEf[0] = ef;
            }
            p.setObject(1, q);
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
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void engine() throws Exception {
    int dim = data.base()[0].length;
    Path dir = Files.createTempDirectory("quiver-ann-");
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, dim, false, false)));
    try (Quiver quiver = Quiver.open(new QuiverConfig(dir, 1_000_000))) {
      Proxy proxy = quiver.proxy();
      proxy.createCollection("bench", schema, false);
      for (int from = 0; from < data.base().length; from += 1000) {
        int n = Math.min(1000, data.base().length - from);
        Object[] ids = new Object[n];
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
          ids[i] = (long) (from + i);
          System.arraycopy(data.base()[from + i], 0, v, i * dim, dim);
        }
        proxy.insert("bench", new ColumnBatch(schema, n, List.of(ids, v)));
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
      sweep("engine", buildSeconds, (q, k, ef) -> {
        ResultRows r = proxy.search(new SearchRequest("bench", "v", q, Metric.L2, k, 0, null,
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
