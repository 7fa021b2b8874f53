package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
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

/**
 * What a BIT and a SPARSEVEC column refuse through the engine: a metric of another kind, an index
 * method other than HNSW, quantization, a query of the wrong kind, length or dimension, a search
 * of a column that holds no vectors; and how their exact search ranks a NULL row, after every
 * other; and a batch of their queries, answered as each query alone is. Their indexed search is
 * {@link VectorIndexContractTest}'s, as every index's is.
 */
class BitAndSparseSearchTest {
  private static final int ROWS = 10;
  /** The row of {@link #open}'s table whose value is NULL. */
  private static final long NULL_ROW = 5;

  @TempDir
  Path dir;
  private Quiver engine;
  private final Arena arena = Arena.ofShared();

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    arena.close();
  }

  /** An engine with table t of (id, cat, v) with {@code kind}'s column, its row 5 NULL. */
  private Proxy open(DataKind kind) throws IOException {
    Proxy proxy = create(kind);
    insert(proxy, kind, draw(kind, ROWS, r -> r == NULL_ROW), 0, ROWS);
    return proxy;
  }

  private static CollectionSchema schema(DataKind kind) {
    return new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", kind.type(), kind.dimension(), true, false)));
  }

  /** An engine with the empty table t of (id, cat, v) with {@code kind}'s column. */
  private Proxy create(DataKind kind) {
    engine = Quiver.open(new QuiverConfig(dir.resolve("engine"), 1_000_000));
    Proxy proxy = engine.proxy();
    proxy.createCollection("t", schema(kind), false);
    return proxy;
  }

  private DataKind.Rows draw(DataKind kind, int count, IntPredicate nullRow) throws IOException {
    return kind.draw(1, count, nullRow, kind.metrics().get(0), dir.resolve("rows"), arena);
  }

  /** Rows from..to-1 of {@code rows} into t; the row number is the id, cat is the id mod 4. */
  private static void insert(Proxy proxy, DataKind kind, DataKind.Rows rows, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    Object[] cats = new Object[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      cats[i] = (from + i) % 4;
    }
    proxy.insert("t", Batches.of(schema(kind), n, List.of(ids, cats, rows.column(from, to))));
  }

  static Stream<Arguments> metricsOfAnotherKind() {
    return Stream.of(
        Arguments.of("BIT_HNSW", IndexMetric.L2), Arguments.of("BIT_HNSW", IndexMetric.IP),
        Arguments.of("BIT_HNSW", IndexMetric.COSINE), Arguments.of("BIT_HNSW", IndexMetric.L1),
        Arguments.of("SPARSE_HNSW", IndexMetric.HAMMING),
        Arguments.of("SPARSE_HNSW", IndexMetric.JACCARD));
  }

  @ParameterizedTest
  @MethodSource("metricsOfAnotherKind")
  void anIndexByAMetricOfAnotherKindIsADatatypeMismatch(String variant, IndexMetric metric)
      throws IOException {
    Proxy proxy = open(DataKind.of(variant));
    QuiverException e = assertThrows(QuiverException.class,
        () -> proxy.createIndex("t", "t_v", "v", IndexMethod.HNSW, metric, 16, 64, false));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }

  static Stream<Arguments> methodsOtherThanHnsw() {
    return Stream.of("BIT_HNSW", "SPARSE_HNSW").flatMap(variant -> Stream.of(IndexMethod.FLAT,
        IndexMethod.IVF_FLAT, IndexMethod.IVF_PQ, IndexMethod.IVF_SQ8)
        .map(method -> Arguments.of(variant, method)));
  }

  @ParameterizedTest
  @MethodSource("methodsOtherThanHnsw")
  void onlyHnswIndexesThemAndWithoutQuantization(String variant, IndexMethod method)
      throws IOException {
    DataKind kind = DataKind.of(variant);
    IndexMetric metric = kind.metrics().get(0);
    Proxy proxy = open(kind);
    QuiverException e = assertThrows(QuiverException.class,
        () -> proxy.createIndex("t", "t_v", "v", method, metric, 16, 64, false));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code());
    QuiverException quantized = assertThrows(QuiverException.class, () -> proxy.createIndex("t",
        "t_v", "v", IndexMethod.HNSW,
        new IndexParams(metric, 16, 64, 0, 0, 0, Quantization.BINARY), 0, 0, false));
    assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, quantized.code());
  }

  private static SearchRequest request(String field, SearchVector q, IndexMetric metric,
      boolean exact) {
    return new SearchRequest("t", field, q, metric, ROWS, 0, null, List.of("id"),
        new SearchOptions(0, exact), null);
  }

  /** Unindexed, the exact search ranks the NULL row after every value, at distance NaN. */
  private static ResultRows nullRanksLast(Proxy proxy, SearchVector q, IndexMetric metric) {
    ResultRows all = proxy.search(request("v", q, metric, true));
    assertEquals(ROWS, all.rowCount());
    assertEquals(NULL_ROW, all.rows().get(ROWS - 1)[0]);
    assertTrue(Double.isNaN(all.distances()[ROWS - 1]));
    return all;
  }

  @Test
  void aBitQueryOfTheWrongKindOrLengthIsRefusedAndNullsRankLastExactly() throws IOException {
    DataKind kind = DataKind.of("BIT_HNSW");
    Proxy proxy = open(kind);
    QuiverException floats = assertThrows(QuiverException.class, () -> new SearchRequest("t",
        "v", new float[] {1, 0}, IndexMetric.HAMMING, 5, 0, null, List.of("id")));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, floats.code());
    QuiverException l2 = assertThrows(QuiverException.class, () -> request("v",
        new SearchVector.Bits(8, new byte[1]), IndexMetric.L2, false));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, l2.code());
    QuiverException length = assertThrows(QuiverException.class, () -> proxy.search(request("v",
        new SearchVector.Bits(8, new byte[1]), IndexMetric.HAMMING, false)));
    assertEquals(ErrorCode.DATA_EXCEPTION, length.code());
    QuiverException column = assertThrows(QuiverException.class, () -> proxy.search(request(
        "cat", kind.zero(), IndexMetric.HAMMING, false)));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, column.code());
    // The zero string shares no set bit with any row: Jaccard distance 1 to every one.
    ResultRows all = nullRanksLast(proxy, kind.zero(), IndexMetric.JACCARD);
    assertEquals(1.0, all.distances()[0], 0.0);
  }

  @Test
  void aSparseQueryOfTheWrongKindOrDimensionIsRefusedAndNullsRankLastExactly()
      throws IOException {
    DataKind kind = DataKind.of("SPARSE_HNSW");
    int dim = kind.dimension();
    Proxy proxy = open(kind);
    QuiverException order = assertThrows(QuiverException.class,
        () -> new SearchVector.Sparse(dim, new int[] {3, 2}, new float[] {1, 1}));
    assertEquals(ErrorCode.DATA_EXCEPTION, order.code());
    assertTrue(order.getMessage().contains("2"), order.getMessage());
    QuiverException hamming = assertThrows(QuiverException.class,
        () -> request("v", kind.zero(), IndexMetric.HAMMING, false));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, hamming.code());
    QuiverException dimension = assertThrows(QuiverException.class, () -> proxy.search(request(
        "v", new SearchVector.Sparse(dim + 1, new int[] {1}, new float[] {1}), IndexMetric.L2,
        false)));
    assertEquals(ErrorCode.DATA_EXCEPTION, dimension.code());
    QuiverException column = assertThrows(QuiverException.class, () -> proxy.search(request(
        "cat", new SearchVector.Sparse(dim, new int[] {1}, new float[] {1}), IndexMetric.L2,
        false)));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, column.code());
    nullRanksLast(proxy, new SearchVector.Sparse(dim, new int[] {1}, new float[] {1}),
        IndexMetric.L1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"BIT_HNSW", "SPARSE_HNSW"})
  void aBatchOfQueriesIsAnsweredAsEachQueryAloneExactlyByEveryMetric(String variant)
      throws Exception {
    DataKind kind = DataKind.of(variant);
    Proxy proxy = create(kind);
    DataKind.Rows rows = draw(kind, 400, r -> r % 13 == 5);
    insert(proxy, kind, rows, 0, 300);
    proxy.flush("t");
    proxy.load("t");
    // An index of the first metric: a batch is exact all the same.
    IndexMetric indexed = kind.metrics().get(0);
    proxy.createIndex("t", "t_v", "v", IndexMethod.HNSW, indexed, 16, 64, false);
    awaitBuilt(proxy, proxy.indexes("t").get(0));
    // Growing rows beside the sealed segment, and deletes in both.
    insert(proxy, kind, rows, 300, 400);
    List<Object> deleted = new ArrayList<>();
    for (long id = 0; id < 400; id += 9) {
      deleted.add(id);
    }
    proxy.delete("t", deleted);
    List<SearchVector> queries = Stream.generate(rows::query).limit(12).toList();
    Expr notCat1 = new Expr.Compare(Expr.CompareOp.NE, new Expr.Column("cat"),
        new Expr.Literal(1));
    for (IndexMetric metric : kind.metrics()) {
      for (Expr filter : Arrays.asList(null, notCat1)) {
        List<ResultRows> batch = proxy.searchBatch(new SearchRequest("t", "v", queries.get(0),
            metric, 10, 3, filter, List.of("id", "cat"), SearchOptions.DEFAULT, null), queries);
        assertEquals(queries.size(), batch.size());
        for (int i = 0; i < queries.size(); i++) {
          ResultRows one = proxy.search(new SearchRequest("t", "v", queries.get(i), metric, 10,
              3, filter, List.of("id", "cat"), new SearchOptions(0, true), null));
          String where = variant + " " + metric + " " + filter + " query " + i;
          assertEquals(10, one.rowCount(), where);
          assertEquals(ids(one), ids(batch.get(i)), where);
          assertArrayEquals(one.distances(), batch.get(i).distances(), 0.0, where);
        }
      }
    }
    // A float query in the batch is refused as it is alone: by the bit metrics (42804), or by
    // the column, which holds no float vectors (42703).
    SearchVector floats = new SearchVector.Floats(new float[3]);
    QuiverException alone = assertThrows(QuiverException.class, () -> proxy.search(
        new SearchRequest("t", "v", floats, indexed, 10, 0, null, List.of("id"),
            SearchOptions.DEFAULT, null)));
    SearchRequest template = new SearchRequest("t", "v", queries.get(0), indexed, 10, 0, null,
        List.of("id"), SearchOptions.DEFAULT, null);
    for (List<SearchVector> batch : List.of(List.of(queries.get(0), floats), List.of(floats))) {
      QuiverException inBatch = assertThrows(QuiverException.class,
          () -> proxy.searchBatch(template, batch));
      assertEquals(alone.code(), inBatch.code());
      assertEquals(variant.equals("BIT_HNSW") ? ErrorCode.DATATYPE_MISMATCH
          : ErrorCode.UNDEFINED_COLUMN, inBatch.code());
    }
  }

  private static List<Object> ids(ResultRows rows) {
    List<Object> ids = new ArrayList<>();
    rows.rows().forEach(r -> ids.add(r[0]));
    return ids;
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
   * L1 compares float vectors too (pgvector's vector_l1_ops and halfvec_l1_ops), but only an HNSW
   * graph without quantization indexes them by it: IVF's lists and jvector's codes have no L1.
   */
  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_HALF"})
  void l1OverFloatVectorsTakesAnHnswIndexWithoutQuantizationOnly(String variant)
      throws IOException {
    DataKind kind = DataKind.of(variant);
    Proxy proxy = open(kind);
    new SearchRequest("t", "v", new float[kind.dimension()], IndexMetric.L1, 5, 0, null,
        List.of("id"));
    for (IndexMethod method : List.of(IndexMethod.IVF_FLAT, IndexMethod.IVF_PQ,
        IndexMethod.IVF_SQ8)) {
      QuiverException e = assertThrows(QuiverException.class,
          () -> proxy.createIndex("t", "t_v", "v", method, IndexMetric.L1, 16, 64, false));
      assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code(), method.toString());
      assertTrue(e.getMessage().contains(method.toString()), e.getMessage());
    }
    for (Quantization q : List.of(Quantization.PQ, Quantization.BINARY, Quantization.NVQ)) {
      QuiverException e = assertThrows(QuiverException.class, () -> proxy.createIndex("t",
          "t_v", "v", IndexMethod.HNSW,
          new IndexParams(IndexMetric.L1, 16, 64, 0, 0, 0, q), 0, 0, false));
      assertEquals(ErrorCode.FEATURE_NOT_SUPPORTED, e.code(), q.toString());
      assertTrue(e.getMessage().contains(q.sqlName()), e.getMessage());
    }
    assertTrue(proxy.indexes("t").isEmpty());
    proxy.createIndex("t", "t_v", "v", IndexMethod.HNSW, IndexMetric.L1, 16, 64, false);
    assertEquals(IndexMetric.L1, proxy.indexes("t").get(0).metric());
  }
}
