package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
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
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.BitKernels;

/**
 * An HNSW index over a BIT column from CREATE INDEX to search, against the engine's own exact
 * search: the same distances at high recall, k rows under a filter, deleted rows and NULL rows
 * never found, growing rows found beside the indexed ones, and the options a bit string refuses.
 */
class BitIndexTest {
  private static final int BITS = 96;
  private static final int BYTES = BITS / 8;
  private static final int ROWS = 3000;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
      new FieldSchema(3, "b", DataType.BINARY_VECTOR, BITS, true, false)));

  @TempDir
  Path dir;
  private Quiver engine;
  private final long seed = Long.getLong("tests.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private final byte[][] centres = new byte[20][BYTES];
  /** Every row's bits by id (null: NULL), as the oracle reads them. */
  private final List<byte[]> rows = new ArrayList<>();

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private byte[] point() {
    if (centres[0][0] == 0 && centres[1][0] == 0) {
      for (byte[] c : centres) {
        random.nextBytes(c);
      }
    }
    byte[] p = centres[random.nextInt(centres.length)].clone();
    for (int bit = 0; bit < BITS; bit++) {
      if (random.nextDouble() < 0.15) {
        p[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
      }
    }
    return p;
  }

  /** Rows from..to-1; every 97th is NULL. */
  private void insert(Proxy proxy, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    Object[] cats = new Object[n];
    Object[] bits = new Object[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      cats[i] = (from + i) % 100;
      bits[i] = (from + i) % 97 == 5 ? null : point();
      rows.add((byte[]) bits[i]);
    }
    proxy.insert("t", Batches.of(SCHEMA, n, List.of(ids, cats, bits)));
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

  /**
   * A search of {@code q}; not exact, it is narrow (ef 20) so that the graph, not a scan, answers
   * the segment of 3000 rows also under the filter half the rows pass.
   */
  private static SearchRequest request(IndexMetric metric, byte[] q, int k, Expr filter,
      boolean exact) {
    return new SearchRequest("t", "b", new SearchVector.Bits(BITS, q), metric, k, 0, filter,
        List.of("id"), new SearchOptions(exact ? 0 : 20, exact), null);
  }

  /** The ids and distances of a search, in rank order. */
  private static List<Object[]> search(Proxy proxy, SearchRequest request) {
    ResultRows r = proxy.search(request);
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < r.rows().size(); i++) {
      out.add(new Object[] {r.rows().get(i)[0], r.distances()[i]});
    }
    return out;
  }

  private double distance(IndexMetric metric, long id, byte[] q) {
    byte[] row = rows.get((int) id);
    return metric == IndexMetric.HAMMING ? BitKernels.hamming(row, 0, q, 0, BYTES)
        : BitKernels.jaccard(row, 0, q, 0, BYTES);
  }

  /**
   * Searches through the index and exactly: each row found has its exact distance, none is
   * deleted or NULL, k rows come back, and the share within the exact k-th distance is summed
   * into the returned recall.
   */
  private double check(Proxy proxy, IndexMetric metric, byte[] q, Expr filter,
      List<Long> deleted) {
    List<Object[]> exact = search(proxy, request(metric, q, 10, filter, true));
    List<Object[]> got = search(proxy, request(metric, q, 10, filter, false));
    assertEquals(exact.size(), got.size(), "seed=" + seed + ": rows returned");
    assertEquals(10, got.size(), "seed=" + seed + ": rows returned");
    double kth = (double) exact.get(exact.size() - 1)[1];
    int within = 0;
    for (Object[] hit : got) {
      long id = (long) hit[0];
      assertTrue(rows.get((int) id) != null, "seed=" + seed + ": NULL row " + id + " found");
      assertTrue(!deleted.contains(id), "seed=" + seed + ": deleted row " + id + " found");
      assertEquals(distance(metric, id, q), (double) hit[1], 1e-6, "seed=" + seed);
      within += (double) hit[1] <= kth + 1e-9 ? 1 : 0;
    }
    return within / 10.0;
  }

  @ParameterizedTest
  @EnumSource(value = IndexMetric.class, names = {"HAMMING", "JACCARD"})
  void indexedSearchMatchesExactWithFiltersDeletesAndGrowingRows(IndexMetric metric)
      throws Exception {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    insert(proxy, 0, ROWS);
    proxy.flush("t");
    assertTrue(proxy.createIndex("t", "t_b", "b", IndexMethod.HNSW, metric, 16, 64, false));
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
    byte[] q = point();
    List<Object[]> before = search(proxy, request(metric, q, 10, null, false));
    for (Object[] hit : before.subList(0, 5)) {
      deleted.add((long) hit[0]);
    }
    assertEquals(5, proxy.delete("t", new ArrayList<>(deleted)));
    // Growing rows (not flushed) beside the indexed segment: the copy of a row is found too.
    insert(proxy, ROWS, ROWS + 200);
    for (int i = 0; i < 10; i++, queries++) {
      recall += check(proxy, metric, i == 0 ? q : point(), i % 2 == 0 ? null : half, deleted);
    }
    recall /= queries;
    assertTrue(recall >= 0.9, metric + " recall " + recall + " seed=" + seed);
  }

  @ParameterizedTest
  @EnumSource(value = IndexMetric.class, names = {"L2", "IP", "COSINE"})
  void aFloatMetricOnABitColumnIsADatatypeMismatch(IndexMetric metric) {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    QuiverException e = assertThrows(QuiverException.class,
        () -> proxy.createIndex("t", "t_b", "b", IndexMethod.HNSW, metric, 16, 64, false));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }

  @org.junit.jupiter.api.Test
  void aQueryOfTheWrongKindOrLengthIsRefused() {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    insert(proxy, 0, 10);
    QuiverException floats = assertThrows(QuiverException.class, () -> new SearchRequest("t",
        "b", new float[] {1, 0}, IndexMetric.HAMMING, 5, 0, null, List.of("id")));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, floats.code());
    QuiverException bits = assertThrows(QuiverException.class, () -> new SearchRequest("t", "b",
        new SearchVector.Bits(8, new byte[1]), IndexMetric.L2, 5, 0, null, List.of("id"),
        SearchOptions.DEFAULT, null));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, bits.code());
    QuiverException length = assertThrows(QuiverException.class, () -> proxy.search(
        new SearchRequest("t", "b", new SearchVector.Bits(8, new byte[1]), IndexMetric.HAMMING,
            5, 0, null, List.of("id"), SearchOptions.DEFAULT, null)));
    assertEquals(ErrorCode.DATA_EXCEPTION, length.code());
    QuiverException column = assertThrows(QuiverException.class, () -> proxy.search(
        new SearchRequest("t", "cat", new SearchVector.Bits(BITS, new byte[BYTES]),
            IndexMetric.HAMMING, 5, 0, null, List.of("id"), SearchOptions.DEFAULT, null)));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, column.code());
    // Unindexed, the exact search ranks the NULL row (id 5) after every bit string.
    ResultRows all = proxy.search(request(IndexMetric.JACCARD, new byte[BYTES], 10, null, true));
    assertEquals(10, all.rowCount());
    assertEquals(5L, all.rows().get(9)[0]);
    assertTrue(Double.isNaN(all.distances()[9]));
    assertEquals(1.0, all.distances()[0], 0.0);
  }

  @ParameterizedTest
  @EnumSource(value = IndexMethod.class, names = {"FLAT", "IVF_FLAT", "IVF_PQ", "IVF_SQ8"})
  void onlyHnswIndexesBitStrings(IndexMethod method) {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", SCHEMA, false);
    QuiverException e = assertThrows(QuiverException.class, () -> proxy.createIndex("t", "t_b",
        "b", method, IndexMetric.HAMMING, 16, 64, false));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code());
    QuiverException quantized = assertThrows(QuiverException.class, () -> proxy.createIndex("t",
        "t_b", "b", IndexMethod.HNSW,
        new IndexParams(IndexMetric.JACCARD, 16, 64, 0, 0, 0, Quantization.BINARY), 0, 0, false));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, quantized.code());
  }
}
