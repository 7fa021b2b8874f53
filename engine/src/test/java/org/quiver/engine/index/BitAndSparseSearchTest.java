package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
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
 * other. Their indexed search is {@link VectorIndexContractTest}'s, as every index's is.
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
    engine = Quiver.open(new QuiverConfig(dir.resolve("engine"), 1_000_000));
    Proxy proxy = engine.proxy();
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", kind.type(), kind.dimension(), true, false)));
    proxy.createCollection("t", schema, false);
    DataKind.Rows rows = kind.draw(1, ROWS, r -> r == NULL_ROW, kind.metrics().get(0),
        dir.resolve("rows"), arena);
    Object[] ids = new Object[ROWS];
    Object[] cats = new Object[ROWS];
    for (int i = 0; i < ROWS; i++) {
      ids[i] = (long) i;
      cats[i] = i;
    }
    proxy.insert("t", Batches.of(schema, ROWS, List.of(ids, cats, rows.column(0, ROWS))));
    return proxy;
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

  @Test
  void l1IsNoMetricOfFloatVectors() {
    QuiverException e = assertThrows(QuiverException.class, () -> new SearchRequest("t", "v",
        new float[] {1, 0}, IndexMetric.L1, 5, 0, null, List.of("id")));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }
}
