package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.HnswIndex;
import org.quiver.storage.index.IndexFormat;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.SegmentFiles;
import org.quiver.storage.segment.SegmentManifest;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.LowRankMixture;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;
import org.quiver.storage.vector.VectorKernels;

/**
 * The contract every index method keeps, run over each of them: its {@link IndexFormat} writes,
 * reopens and searches with high recall against exact search on a low-rank Gaussian mixture, for
 * every metric; rows a filter rejects are never returned; a corrupt file is refused naming it.
 * Through the engine: deleted and filtered rows never come back, and a query whose metric is not
 * the index's is answered exactly. Seeded by {@code -Dtests.seed}.
 */
class VectorIndexContractTest {
  private static final int DIM = 32;
  private static final int COUNT = 3000;
  private static final int NLIST = 32;

  @TempDir
  Path dir;
  private Quiver engine;
  private final long seed = Long.getLong("tests.seed", System.nanoTime());

  /** The mappings of the float16 variants' segment files, closed after each test. */
  private final List<Arena> arenas = new ArrayList<>();

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    arenas.forEach(Arena::close);
  }

  /** The suffix of a variant whose column is FLOAT16_VECTOR rather than FLOAT_VECTOR. */
  private static final String HALF = "_HALF";

  /**
   * Whether {@code variant} indexes a FLOAT16_VECTOR column: its vectors are rounded to float16,
   * and the index scores them where the query node reads them, float16 in a mapped segment file.
   */
  private static boolean half(String variant) {
    return variant.endsWith(HALF);
  }

  /** The variant over a FLOAT_VECTOR column that {@code variant} is, or is over float16. */
  private static String base(String variant) {
    return half(variant) ? variant.substring(0, variant.length() - HALF.length()) : variant;
  }

  /**
   * HNSW_PQ, HNSW_BQ and HNSW_NVQ are HNSW with product-quantization, binary or NVQ codes
   * (re-ranked against the full vectors).
   */
  private static IndexMethod methodOf(String variant) {
    return IndexMethod.valueOf(base(variant).startsWith("HNSW") ? "HNSW" : base(variant));
  }

  private static IndexParams params(String variant, IndexMetric metric, long seed) {
    return new IndexParams(metric, 16, 100, NLIST, 8, seed, switch (base(variant)) {
      case "HNSW_PQ" -> Quantization.PQ;
      case "HNSW_BQ" -> Quantization.BINARY;
      case "HNSW_NVQ" -> Quantization.NVQ;
      default -> Quantization.NONE;
    });
  }

  /** Search widths at which every method should reach recall@10 >= 0.9 here. */
  private static final SearchParams WIDE = new SearchParams(100, 8);

  /**
   * {@link #WIDE}, but binary codes of 32 dimensions are 32 bits: they steer coarsely, so their
   * search re-ranks deeper, as a user of them would set rerank.
   */
  private static SearchParams wide(String variant) {
    return base(variant).equals("HNSW_BQ") ? new SearchParams(400, 8) : WIDE;
  }

  private static int[] exact(IndexMetric metric, float[] q, float[] v, int k, IntPredicate accept) {
    float qNorm = (float) Math.sqrt(VectorKernels.normSquared(q, 0, DIM));
    return IntStream.range(0, v.length / DIM).filter(accept).boxed()
        .sorted(Comparator.comparingDouble(r -> metric.distance(q, qNorm, v, r * DIM, DIM)))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  /**
   * The vectors an index of {@code variant} is built from and scored against: for a float16
   * variant, {@code vectors} rounded to float16 in place (so exact search runs on what the index
   * holds), then stored in a segment file under {@code at} and mapped in {@code arena}, as the
   * query node reads a FLOAT16_VECTOR column; else the heap array itself.
   */
  private static SegmentVectors rows(String variant, float[] vectors, Path at, Arena arena)
      throws IOException {
    if (!half(variant)) {
      return SegmentVectors.of(vectors, DIM);
    }
    HalfFloats.round(vectors, 0, vectors.length);
    int n = vectors.length / DIM;
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT16_VECTOR, DIM, true, false)));
    Object[] ids = LongStream.range(0, n).boxed().toArray();
    long[] ts = new long[n];
    Path segment = at.resolveSibling(at.getFileName() + "-segment");
    Files.createDirectories(segment);
    FileInfo data = SegmentFiles.writeData(segment, schema, ts,
        Batches.of(schema, n, List.of(ids, vectors)));
    SegmentManifest manifest = new SegmentManifest(1, n, 0, 0, List.of(data));
    VectorColumn mapped = SegmentFiles.mapData(segment, manifest, schema, arena).rows().mapped(1);
    assertEquals(Short.BYTES, mapped.elementBytes());
    return SegmentVectors.of(mapped);
  }

  private static double overlap(int[] truth, int[] got) {
    Set<Integer> t = new HashSet<>();
    for (int r : truth) {
      t.add(r);
    }
    return IntStream.of(got).filter(t::contains).count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF"})
  void writesReopensAndSearchesWithHighRecallForEveryMetric(String variant)
      throws IOException {
    IndexMethod method = methodOf(variant);
    IndexFormat format = IndexFormat.of(method);
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      Arena arena = Arena.ofConfined();
      arenas.add(arena);
      LowRankMixture data = new LowRankMixture(seed, DIM, 6, 24);
      float[] vectors = data.next(COUNT);
      float[] queries = data.next(40);
      if (metric == IndexMetric.IP) {
        // Maximum inner product on raw vectors is not what graphs or centroids navigate well.
        LowRankMixture.normalise(vectors, DIM);
        LowRankMixture.normalise(queries, DIM);
      }
      Path at = dir.resolve(method + "-" + metric);
      SegmentVectors rows = rows(variant, vectors, at, arena);
      format.writer().write(at, 1, vectors, DIM, COUNT, params(variant, metric, seed));
      double found = 0;
      double foundFiltered = 0;
      IntPredicate odd = r -> r % 3 == 1;
      try (VectorIndex index = format.reader().read(at, metric, rows);
          VectorIndex reopened = format.reader().read(at, metric, rows)) {
        assertEquals(method, index.method());
        assertEquals(COUNT, index.size());
        for (int q = 0; q < 40; q++) {
          float[] query = java.util.Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
          int[] got = index.search(query, 10, wide(variant), null);
          assertArrayEquals(got, reopened.search(query, 10, wide(variant), null),
              "same file, same answer");
          found += overlap(exact(metric, query, vectors, 10, r -> true), got);
          int[] filtered = index.search(query, 10, wide(variant), odd);
          assertTrue(IntStream.of(filtered).allMatch(odd::test),
              method + " returned a row the filter rejects, seed=" + seed);
          foundFiltered += overlap(exact(metric, query, vectors, 10, odd), filtered);
          if (method == IndexMethod.IVF_FLAT) {
            // Every list probed: exact distances over every row.
            assertArrayEquals(exact(metric, query, vectors, 10, r -> true),
                index.search(query, 10, new SearchParams(10, NLIST), null),
                "IVF_FLAT with nprobe = nlist is exact, seed=" + seed);
          }
        }
        if (base(variant).equals("HNSW")) {
          // The graph is mapped and candidates are scored against the segment's own vectors.
          assertEquals(0, index.heapBytes(), "HNSW keeps no heap copy of the vectors");
        }
        if (base(variant).equals("HNSW_BQ")) {
          // One bit per dimension, 4 bytes here in jvector's one long[] per row (24 bytes with
          // the array's header), and the mean, against 128 bytes of raw vector.
          assertEquals(Quantization.BINARY, ((HnswIndex) index).quantization());
          assertTrue(index.heapBytes() / (double) COUNT <= 0.2 * DIM * Float.BYTES,
              "HNSW with binary codes holds " + index.heapBytes() / (double) COUNT
                  + " bytes per vector");
        }
        if (base(variant).equals("HNSW_PQ")) {
          // Codes of 8 bytes and the codebooks, against 128 bytes of raw vector.
          assertEquals(Quantization.PQ, ((HnswIndex) index).quantization());
          assertTrue(index.heapBytes() / (double) COUNT <= 0.25 * DIM * Float.BYTES,
              "HNSW with PQ holds " + index.heapBytes() / (double) COUNT + " bytes per vector");
        }
        if (base(variant).equals("HNSW_NVQ")) {
          // A byte per dimension and one sub-vector's curve and mean per row, as jvector sizes
          // NVQ's codes, and no more than an array's and an object's headers beside them.
          assertEquals(Quantization.NVQ, ((HnswIndex) index).quantization());
          double perVector = index.heapBytes() / (double) COUNT;
          assertTrue(perVector >= Quantization.NVQ.codeBytes(DIM, 0)
                  && perVector <= Quantization.NVQ.codeBytes(DIM, 0) + 64,
              "HNSW with NVQ holds " + perVector + " bytes per vector");
        }
        if (method == IndexMethod.IVF_SQ8) {
          // A byte per dimension, the lists' row numbers and the decoded norms (L2), against 128
          // bytes of raw vector.
          assertTrue(index.heapBytes() / (double) COUNT <= 0.35 * DIM * Float.BYTES,
              "IVF_SQ8 holds " + index.heapBytes() / (double) COUNT + " bytes per vector");
        }
        if (method == IndexMethod.IVF_PQ) {
          // Codes of 8 bytes and the lists' row numbers, against 128 bytes of raw vector.
          assertTrue(index.heapBytes() / (double) COUNT <= 0.25 * DIM * Float.BYTES,
              "IVF_PQ holds " + index.heapBytes() / (double) COUNT + " bytes per vector");
        }
      }
      double recall = found / 400;
      double recallFiltered = foundFiltered / 400;
      assertTrue(recall >= 0.9, method + " " + metric + " recall@10 " + recall + " seed=" + seed);
      assertTrue(recallFiltered >= 0.9,
          method + " " + metric + " filtered recall@10 " + recallFiltered + " seed=" + seed);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF"})
  void rowsWithNullVectorsAreLeftOutAndTheOthersKeepTheirRowNumbers(String variant)
      throws IOException {
    IndexMethod method = methodOf(variant);
    IndexFormat format = IndexFormat.of(method);
    int count = 600;
    float[] vectors = new LowRankMixture(seed, DIM, 6, 8).next(count);
    IntPredicate nullRow = r -> r % 4 == 1 || r == count - 1;
    for (int r = 0; r < count; r++) {
      if (nullRow.test(r)) {
        NullVectors.set(vectors, r, DIM);
      }
    }
    Arena arena = Arena.ofConfined();
    arenas.add(arena);
    Path at = dir.resolve("index");
    SegmentVectors rows = rows(variant, vectors, at, arena);
    float[] clean = vectors.clone();
    for (int r = 0; r < count; r++) {
      if (nullRow.test(r)) {
        java.util.Arrays.fill(clean, r * DIM, (r + 1) * DIM, 1e6f);
      }
    }
    format.writer().write(at, 1, vectors, DIM, count, params(variant, IndexMetric.L2, seed));
    try (VectorIndex index = format.reader().read(at, IndexMetric.L2, rows)) {
      assertEquals(count - count / 4 - 1, index.size());
      double found = 0;
      for (int r = 0; r < count; r += 7) {
        float[] query = java.util.Arrays.copyOfRange(clean, r * DIM, (r + 1) * DIM);
        if (nullRow.test(r)) {
          // A query near nothing: every row it returns must still have a vector.
          java.util.Arrays.fill(query, 0f);
        }
        // Every list probed: what is measured is which rows the index holds, not how well a
        // partial probe ranks (that is the other tests' and depends on the seed).
        int[] got = index.search(query, 10,
            new SearchParams(wide(variant).ef(), NLIST), null);
        assertTrue(IntStream.of(got).noneMatch(nullRow::test),
            method + " returned a row whose vector is NULL, seed=" + seed);
        assertEquals(10, got.length, method + " found fewer than 10 of its 449 rows");
        found += overlap(exact(IndexMetric.L2, query, clean, 10, nullRow.negate()), got);
      }
      assertTrue(found / (10.0 * ((count + 6) / 7)) >= 0.9,
          method + " recall@10 with NULL rows " + found + " seed=" + seed);
    }
    Path allNull = dir.resolve("all-null");
    float[] none = new float[10 * DIM];
    java.util.Arrays.fill(none, Float.NaN);
    SegmentVectors noRows = rows(variant, none, allNull, arena);
    format.writer().write(allNull, 2, none, DIM, 10, params(variant, IndexMetric.L2, seed));
    try (VectorIndex index = format.reader().read(allNull, IndexMetric.L2, noRows)) {
      assertEquals(0, index.search(new float[DIM], 5, WIDE, null).length);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF"})
  void aCorruptFileIsRefusedNamingIt(String variant) throws IOException {
    IndexMethod method = methodOf(variant);
    IndexFormat format = IndexFormat.of(method);
    float[] vectors = new LowRankMixture(seed, DIM, 6, 8).next(500);
    Arena arena = Arena.ofConfined();
    arenas.add(arena);
    Path at = dir.resolve("index");
    SegmentVectors rows = rows(variant, vectors, at, arena);
    format.writer().write(at, 1, vectors, DIM, 500, params(variant, IndexMetric.L2, seed));
    Path file;
    try (Stream<Path> files = Files.list(at)) {
      file = files.filter(f -> !f.getFileName().toString().equals(SegmentManifest.FILE_NAME))
          .findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x55);
    }
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> format.reader().read(at, IndexMetric.L2, rows));
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  /** The table of the engine test, its vector column of {@code type}. */
  private static CollectionSchema schema(DataType type) {
    return new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", type, DIM, true, false)));
  }

  /** The rows of the engine test whose vector is NULL. */
  private static boolean nullVector(long id) {
    return id % 7 == 0;
  }

  private List<Long> search(Proxy proxy, float[] q, IndexMetric metric, Expr filter,
      boolean exact) {
    ResultRows r = proxy.search(new SearchRequest("t", "v", q, metric, 10, 0, filter,
        List.of("id"), new SearchOptions(0, 0, exact)));
    List<Long> ids = new ArrayList<>();
    r.rows().forEach(row -> ids.add((Long) row[0]));
    return ids;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF"})
  void throughTheEngineDeletedFilteredAndNullVectorRowsNeverComeBackAndOtherMetricsAreExact(
      String variant) throws Exception {
    IndexMethod method = methodOf(variant);
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    Proxy proxy = engine.proxy();
    CollectionSchema schema =
        schema(half(variant) ? DataType.FLOAT16_VECTOR : DataType.FLOAT_VECTOR);
    proxy.createCollection("t", schema, false);
    LowRankMixture data = new LowRankMixture(seed, DIM, 6, 24);
    float[] v = data.next(COUNT);
    Object[] ids = new Object[COUNT];
    Object[] cats = new Object[COUNT];
    for (int i = 0; i < COUNT; i++) {
      ids[i] = (long) i;
      cats[i] = i % 10;
      if (nullVector(i)) {
        NullVectors.set(v, i, DIM);
      }
    }
    proxy.insert("t", Batches.of(schema, COUNT, List.of(ids, cats, v)));
    proxy.flush("t");
    proxy.load("t");
    proxy.createIndex("t", "t_v", "v", method, params(variant, IndexMetric.L2, 0), 0, 0, false);
    IndexInfo index = proxy.indexes("t").get(0);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (proxy.indexProgress(index).builtSegments() < 1) {
      assertEquals(null, proxy.indexProgress(index).error());
      assertTrue(System.nanoTime() < deadline, "index not built within 60 s");
      Thread.sleep(20);
    }
    float[] q = data.next(1);
    List<Long> before = search(proxy, q, IndexMetric.L2, null, false);
    assertEquals(10, before.size());
    assertTrue(before.stream().noneMatch(VectorIndexContractTest::nullVector), "seed=" + seed);
    List<Object> deleted = new ArrayList<>(before.subList(0, 5));
    proxy.delete("t", deleted);
    List<Long> after = search(proxy, q, IndexMetric.L2, null, false);
    assertEquals(10, after.size());
    assertTrue(after.stream().noneMatch(deleted::contains), "seed=" + seed);
    assertTrue(after.stream().noneMatch(VectorIndexContractTest::nullVector), "seed=" + seed);

    Expr cat3 = new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("cat"), new Expr.Literal(3));
    List<Long> filtered = search(proxy, q, IndexMetric.L2, cat3, false);
    assertEquals(10, filtered.size());
    assertTrue(filtered.stream().allMatch(id -> id % 10 == 3 && !nullVector(id)),
        "seed=" + seed);

    // The index is for l2: cosine and inner-product queries are answered exactly.
    for (IndexMetric other : List.of(IndexMetric.COSINE, IndexMetric.IP)) {
      assertEquals(search(proxy, q, other, null, true), search(proxy, q, other, null, false),
          other + " seed=" + seed);
    }
  }
}
