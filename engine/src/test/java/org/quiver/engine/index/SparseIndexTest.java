package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.SparseVector;

/**
 * An HNSW index over a SPARSEVEC column from CREATE INDEX to search, against the engine's own
 * exact search: the same distances at high recall, k rows under a filter, deleted rows and NULL
 * rows never found, growing rows found beside the indexed ones, and what a sparse column refuses.
 */
class SparseIndexTest {
  private static final int DIM = 1000;
  private static final int ROWS = 3000;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
      new FieldSchema(3, "s", DataType.SPARSE_FLOAT_VECTOR, DIM, true, false)));

  @TempDir
  Path dir;
  private Quiver engine;
  private final long seed = Long.getLong("tests.seed", System.nanoTime());
  private final Random random = new Random(seed);
  /** Every row's vector by id (null: NULL), as the oracle reads them. */
  private final List<SparseVector> rows = new ArrayList<>();

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** About 20 non-zeros, half from one of 20 overlapping topics, as sparse embeddings share terms. */
  private SparseVector point() {
    int topic = random.nextInt(20) * 47;
    BitSet chosen = new BitSet(DIM);
    int nonZeros = 15 + random.nextInt(11);
    while (chosen.cardinality() < nonZeros) {
      chosen.set(random.nextBoolean() ? topic + random.nextInt(60) : random.nextInt(DIM));
    }
    int[] indices = chosen.stream().toArray();
    float[] values = new float[indices.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1 - random.nextFloat();
    }
    return new SparseVector(DIM, indices, values);
  }

  /** Rows from..to-1; every 97th is NULL. */
  private void insert(Proxy proxy, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    Object[] cats = new Object[n];
    Object[] vectors = new Object[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      cats[i] = (from + i) % 100;
      vectors[i] = (from + i) % 97 == 5 ? null : point();
      rows.add((SparseVector) vectors[i]);
    }
    proxy.insert("t", Batches.of(SCHEMA, n, List.of(ids, cats, vectors)));
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

  private static SearchVector.Sparse query(SparseVector q) {
    return new SearchVector.Sparse(q.dimension(), q.indices(), q.values());
  }

  /** A search of {@code q}, narrow (ef 40) unless exact, so that the graph answers. */
  private static SearchRequest request(IndexMetric metric, SparseVector q, int k, Expr filter,
      boolean exact) {
    return new SearchRequest("t", "s", query(q), metric, k, 0, filter, List.of("id"),
        new SearchOptions(exact ? 0 : 40, exact), null);
  }

  private static List<Object[]> search(Proxy proxy, SearchRequest request) {
    ResultRows r = proxy.search(request);
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < r.rows().size(); i++) {
      out.add(new Object[] {r.rows().get(i)[0], r.distances()[i]});
    }
    return out;
  }

  /** The distance a search reports: the root of the squared L2, the others as they are. */
  private double distance(IndexMetric metric, long id, SparseVector q) {
    SparseVectorColumn one = SparseVectorColumn.of(DIM, new SparseVector[] {rows.get((int) id)}, 1);
    double d = metric.distance(one, 0, q);
    return metric == IndexMetric.L2 ? Math.sqrt(d) : d;
  }

  private double check(Proxy proxy, IndexMetric metric, SparseVector q, Expr filter,
      List<Long> deleted) {
    List<Object[]> exact = search(proxy, request(metric, q, 10, filter, true));
    List<Object[]> got = search(proxy, request(metric, q, 10, filter, false));
    assertEquals(10, exact.size(), "seed=" + seed + ": rows returned exactly");
    assertEquals(10, got.size(), "seed=" + seed + ": rows returned");
    double kth = (double) exact.get(exact.size() - 1)[1];
    int within = 0;
    for (Object[] hit : got) {
      long id = (long) hit[0];
      assertTrue(rows.get((int) id) != null, "seed=" + seed + ": NULL row " + id + " found");
      assertTrue(!deleted.contains(id), "seed=" + seed + ": deleted row " + id + " found");
      assertEquals(distance(metric, id, q), (double) hit[1], 1e-5, "seed=" + seed);
      within += (double) hit[1] <= kth + 1e-6 ? 1 : 0;
    }
    return within / 10.0;
  }

  @ParameterizedTest
  @EnumSource(value = IndexMetric.class, names = {"L2", "IP", "COSINE", "L1"})
  void indexedSearchMatchesExactWithFiltersDeletesAndGrowingRows(IndexMetric metric)
      throws Exception {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    insert(proxy, 0, ROWS);
    proxy.flush("t");
    assertTrue(proxy.createIndex("t", "t_s", "s", IndexMethod.HNSW, metric, 16, 64, false));
    IndexInfo index = proxy.indexes("t").get(0);
    assertEquals(metric, index.metric());
    awaitBuilt(proxy, index);

    Expr onePercent = new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("cat"),
        new Expr.Literal(7));
    Expr half = new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("cat"), new Expr.Literal(50));
    List<Long> deleted = new ArrayList<>();
    double recall = 0;
    int queries = 0;
    for (Expr filter : Arrays.asList(null, half, onePercent)) {
      for (int i = 0; i < 10; i++, queries++) {
        recall += check(proxy, metric, point(), filter, deleted);
      }
    }
    SparseVector q = point();
    List<Object[]> before = search(proxy, request(metric, q, 10, null, false));
    for (Object[] hit : before.subList(0, 5)) {
      deleted.add((long) hit[0]);
    }
    assertEquals(5, proxy.delete("t", new ArrayList<>(deleted)));
    // Growing rows (not flushed) beside the indexed segment are found too.
    insert(proxy, ROWS, ROWS + 200);
    for (int i = 0; i < 10; i++, queries++) {
      recall += check(proxy, metric, i == 0 ? q : point(), i % 2 == 0 ? null : half, deleted);
    }
    // A growing copy of a row is at distance 0 from it (L2, L1) and found first.
    if (metric == IndexMetric.L2 || metric == IndexMetric.L1) {
      SparseVector copy = rows.get(ROWS + 1);
      List<Object[]> got = search(proxy, request(metric, copy, 1, null, false));
      assertEquals((long) (ROWS + 1), got.get(0)[0]);
    }
    recall /= queries;
    System.out.printf("engine sparse %s recall@10 %.3f seed=%d%n", metric, recall, seed);
    assertTrue(recall >= 0.9, metric + " recall " + recall + " seed=" + seed);
  }

  @ParameterizedTest
  @EnumSource(value = IndexMetric.class, names = {"HAMMING", "JACCARD"})
  void aBitMetricOnASparseColumnIsADatatypeMismatch(IndexMetric metric) {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    QuiverException e = assertThrows(QuiverException.class,
        () -> proxy.createIndex("t", "t_s", "s", IndexMethod.HNSW, metric, 16, 64, false));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }

  @Test
  void l1IsNoMetricOfFloatVectors() {
    QuiverException e = assertThrows(QuiverException.class, () -> new SearchRequest("t", "v",
        new float[] {1, 0}, IndexMetric.L1, 5, 0, null, List.of("id")));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }

  @Test
  void aQueryOfTheWrongKindOrDimensionIsRefusedAndNullsRankLastExactly() {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    insert(proxy, 0, 10);
    QuiverException bad = assertThrows(QuiverException.class,
        () -> new SearchVector.Sparse(DIM, new int[] {3, 2}, new float[] {1, 1}));
    assertEquals(ErrorCode.DATA_EXCEPTION, bad.code());
    assertTrue(bad.getMessage().contains("2"), bad.getMessage());
    QuiverException hamming = assertThrows(QuiverException.class, () -> new SearchRequest("t",
        "s", new SearchVector.Sparse(DIM, new int[0], new float[0]), IndexMetric.HAMMING, 5, 0,
        null, List.of("id"), SearchOptions.DEFAULT, null));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, hamming.code());
    QuiverException dimension = assertThrows(QuiverException.class, () -> proxy.search(
        new SearchRequest("t", "s", new SearchVector.Sparse(DIM + 1, new int[] {1},
            new float[] {1}), IndexMetric.L2, 5, 0, null, List.of("id"), SearchOptions.DEFAULT,
            null)));
    assertEquals(ErrorCode.DATA_EXCEPTION, dimension.code());
    QuiverException column = assertThrows(QuiverException.class, () -> proxy.search(
        new SearchRequest("t", "cat", new SearchVector.Sparse(DIM, new int[] {1},
            new float[] {1}), IndexMetric.L2, 5, 0, null, List.of("id"), SearchOptions.DEFAULT,
            null)));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, column.code());
    // Unindexed, the exact search ranks the NULL row (id 5) after every vector.
    ResultRows all = proxy.search(request(IndexMetric.L1, point(), 10, null, true));
    assertEquals(10, all.rowCount());
    assertEquals(5L, all.rows().get(9)[0]);
    assertTrue(Double.isNaN(all.distances()[9]));
  }

  @ParameterizedTest
  @EnumSource(value = IndexMethod.class, names = {"FLAT", "IVF_FLAT", "IVF_PQ", "IVF_SQ8"})
  void onlyHnswIndexesSparseVectors(IndexMethod method) {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    QuiverException e = assertThrows(QuiverException.class, () -> proxy.createIndex("t", "t_s",
        "s", method, IndexMetric.L2, 16, 64, false));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code());
    QuiverException quantized = assertThrows(QuiverException.class, () -> proxy.createIndex("t",
        "t_s", "s", IndexMethod.HNSW,
        new IndexParams(IndexMetric.IP, 16, 64, 0, 0, 0, Quantization.BINARY), 0, 0, false));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, quantized.code());
  }
}
