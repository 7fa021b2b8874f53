package org.quiver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorKernels;

/**
 * A FLOAT16_VECTOR column through the engine: its values come back rounded to float16, and a
 * search finds the rows and distances that exact search over the rounded vectors finds, while the
 * rows grow, once they are sealed (read as float16 from the mapped segment) and through an HNSW
 * index over them. Rerun a failure with -Dtests.seed=N.
 */
class Float16VectorTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private static final int DIM = 16;
  /** More rows than ef * 2m (64 * 32) with the defaults: HNSW walks its graph, not a scan. */
  private static final int ROWS = 4000;
  private static final int NULL_ROW = 17;
  private static final int K = 10;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT16_VECTOR, DIM, true, false),
      new FieldSchema(3, "cat", DataType.INT32, 0, false, false)));

  @TempDir Path dir;
  private Quiver engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static String where() {
    return "seed " + SEED;
  }

  @Test
  void valuesComeBackRoundedAndSearchesGrowingSealedAndIndexedAreOverTheRoundedVectors()
      throws Exception {
    Random random = new Random(SEED);
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000).withAutoCompaction(false));
    Proxy proxy = engine.proxy();
    assertTrue(proxy.createCollection("t", SCHEMA, false));
    float[] given = new float[ROWS * DIM];
    for (int i = 0; i < given.length; i++) {
      given[i] = (float) random.nextGaussian() * 3;
    }
    NullVectors.set(given, NULL_ROW, DIM);
    float[] rounded = new float[given.length];
    for (int i = 0; i < given.length; i++) {
      rounded[i] = Float.float16ToFloat(Float.floatToFloat16(given[i]));
    }
    Object[] ids = new Object[ROWS];
    Object[] cats = new Object[ROWS];
    for (int r = 0; r < ROWS; r++) {
      ids[r] = (long) r;
      cats[r] = r % 10;
    }
    assertEquals(ROWS, proxy.insert("t", Batches.of(SCHEMA, ROWS, List.of(ids, given, cats))));
    List<float[]> queries = new ArrayList<>();
    for (int q = 0; q < 8; q++) {
      float[] query = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        query[d] = (float) random.nextGaussian() * 3;
      }
      queries.add(query);
    }
    Expr cat3 = new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("cat"), new Expr.Literal(3));

    // Growing: the rows read from the log, where the column is float16.
    assertValues(proxy, rounded, "growing");
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      for (float[] q : queries) {
        assertExact(proxy, q, metric, null, false, rounded, "growing " + metric);
        assertExact(proxy, q, metric, cat3, false, rounded, "growing filtered " + metric);
      }
    }

    // Sealed: the vectors are read in place from the segment file, two bytes an element.
    proxy.flush("t");
    assertEquals((long) ROWS * DIM * Short.BYTES,
        proxy.loadState(proxy.collection("t").orElseThrow()).mappedBytes(),
        "the sealed vectors are mapped as float16");
    assertValues(proxy, rounded, "sealed");
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      for (float[] q : queries) {
        assertExact(proxy, q, metric, null, true, rounded, "sealed " + metric);
        assertExact(proxy, q, metric, cat3, true, rounded, "sealed filtered " + metric);
      }
    }

    // Through an HNSW graph built over the segment and scored against its float16 vectors.
    assertTrue(proxy.createIndex("t", "t_v", "v", IndexMethod.HNSW, IndexMetric.L2, 16, 100,
        false));
    IndexInfo index = proxy.indexes("t").getFirst();
    awaitBuilt(proxy, index);
    int found = 0;
    for (float[] q : queries) {
      ResultRows got = search(proxy, q, IndexMetric.L2, null, false);
      assertEquals(K, got.rowCount(), where());
      Set<Long> truth = new HashSet<>(oracle(q, IndexMetric.L2, null, rounded).keySet());
      Map<Long, Double> distances = distances(q, IndexMetric.L2, rounded);
      for (int i = 0; i < got.rowCount(); i++) {
        long id = (Long) got.value(0, i);
        assertTrue(id != NULL_ROW, "a NULL vector has no place in the graph, " + where());
        assertDistance(distances.get(id), got.distances()[i],
            "row " + id + " re-scored from the segment's float16 vectors");
        found += truth.contains(id) ? 1 : 0;
      }
      assertExact(proxy, q, IndexMetric.L2, cat3, false, rounded, "indexed filtered");
    }
    assertTrue(found >= 0.9 * K * queries.size(),
        "HNSW recall@10 " + found / (double) (K * queries.size()) + ", " + where());
    assertValues(proxy, rounded, "indexed");
  }

  /** Every row's vector is the float16 rounding of what was inserted; the NULL one is NULL. */
  private static void assertValues(Proxy proxy, float[] rounded, String stage) {
    ResultRows rows = proxy.query(new QueryRequest("t", null, List.of("id", "v"), -1));
    assertEquals(ROWS, rows.rowCount(), stage);
    for (int i = 0; i < rows.rowCount(); i++) {
      int r = (int) (long) (Long) rows.value(0, i);
      float[] v = (float[]) rows.value(1, i);
      if (r == NULL_ROW) {
        assertNull(v, stage + ": the NULL vector");
      } else {
        assertArrayEquals(java.util.Arrays.copyOfRange(rounded, r * DIM, (r + 1) * DIM), v,
            stage + " row " + r + ", " + where());
      }
    }
  }

  /**
   * A search (exact, or as the engine chooses) returns the rows exact search over the rounded
   * vectors ranks first, with their distances: every row, sealed or growing, is scored against
   * the same floats as the oracle's.
   */
  private static void assertExact(Proxy proxy, float[] q, IndexMetric metric, Expr filter,
      boolean exactOnly, float[] rounded, String stage) {
    ResultRows got = search(proxy, q, metric, filter, exactOnly);
    Map<Long, Double> expected = oracle(q, metric, filter, rounded);
    assertEquals(List.copyOf(expected.keySet()),
        IntStream.range(0, got.rowCount()).mapToObj(i -> (Long) got.value(0, i)).toList(),
        stage + ", " + where());
    List<Double> distances = List.copyOf(expected.values());
    for (int i = 0; i < got.rowCount(); i++) {
      assertDistance(distances.get(i), got.distances()[i], stage + " rank " + i);
    }
  }

  /**
   * Equal up to the float rounding of the kernels' sums: the Vector API leaves the order of a
   * lane reduction open, and interpreted and compiled code take different ones.
   */
  private static void assertDistance(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what + ", " + where());
  }

  private static ResultRows search(Proxy proxy, float[] q, IndexMetric metric, Expr filter,
      boolean exactOnly) {
    return proxy.search(new SearchRequest("t", "v", q, metric, K, 0, filter, List.of("id"),
        new SearchOptions(0, 0, exactOnly)));
  }

  /** The K nearest rows with a vector that {@code filter} (null, or cat = 3) lets through. */
  private static Map<Long, Double> oracle(float[] q, IndexMetric metric, Expr filter,
      float[] rounded) {
    Map<Long, Double> all = distances(q, metric, rounded);
    Map<Long, Double> top = new java.util.LinkedHashMap<>();
    all.entrySet().stream()
        .filter(e -> filter == null || e.getKey() % 10 == 3)
        .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
        .limit(K)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  /** The distance the engine reports for each row with a vector: L2's is the root. */
  private static Map<Long, Double> distances(float[] q, IndexMetric metric, float[] rounded) {
    float qNorm = (float) Math.sqrt(VectorKernels.normSquared(q, 0, DIM));
    Map<Long, Double> out = new HashMap<>();
    for (int r = 0; r < ROWS; r++) {
      if (r != NULL_ROW) {
        double d = metric.distance(q, qNorm, rounded, r * DIM, DIM);
        out.put((long) r, metric == IndexMetric.L2 ? Math.sqrt(d) : d);
      }
    }
    return out;
  }

  private static void awaitBuilt(Proxy proxy, IndexInfo index) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      IndexProgress p = proxy.indexProgress(index);
      assertEquals(null, p.error(), "build failed");
      if (p.totalSegments() > 0 && p.builtSegments() == p.totalSegments()) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "index not built within 60 s: " + p);
      Thread.sleep(20);
    }
  }
}
