package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
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
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.HnswIndex;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.Quantization;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.SegmentManifest;

/**
 * The contract every index keeps, run over each method and quantization of float vectors, the
 * L1 graph of float vectors, and the bit-string and sparse graphs, each a {@link DataKind}: its files are written, reopened
 * after close and searched with high recall against exact search on clustered rows, for every
 * metric; rows a filter rejects and NULL rows are never returned; a corrupt file is refused naming
 * it. Through the engine: the indexed search matches the engine's exact search at high recall with
 * and without filters, deleted, filtered and NULL rows never come back, growing rows are found
 * beside the indexed ones, a reopened engine answers the same, and a query whose metric is not
 * the index's is answered exactly. Seeded by {@code -Dtests.seed}.
 */
class VectorIndexContractTest {
  private static final int COUNT = 3000;
  private static final int K = 10;
  private static final int QUERIES = 40;

  @TempDir
  Path dir;
  private Quiver engine;
  private final long seed = Long.getLong("tests.seed", System.nanoTime());

  /** The mappings of the float16 variants' segment files, closed after each test. */
  private final Arena arena = Arena.ofShared();

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    arena.close();
  }

  /**
   * The share of {@code found} that are among the k nearest of the non-NULL rows {@code accept}
   * passes, ties included: a row as near as the k-th nearest counts, since either answers the
   * query (Hamming distances tie often).
   */
  private static double recall(DataKind.Rows rows, SearchVector q, int[] found,
      IntPredicate accept) {
    double[] exact = IntStream.range(0, rows.count())
        .filter(r -> !rows.isNull(r) && accept.test(r))
        .mapToDouble(r -> rows.distance(q, r)).sorted().toArray();
    int k = Math.min(K, exact.length);
    double kth = exact[k - 1];
    return Arrays.stream(found).filter(r -> rows.distance(q, r) <= kth).count() / (double) k;
  }

  /**
   * Asserts that {@code got} ranks as {@code expected} does: the same number of rows, at the same
   * distances rank by rank. Two rows whose distances differ only in the last bits of a float may
   * swap places, as kernels that sum in another order round differently: with seed 9 two rows
   * 6e-8 apart by inner product and by cosine came back in either order, from IVF_FLAT against
   * the oracle and from HNSW against its own earlier answer.
   */
  private static void sameRanking(DataKind.Rows rows, SearchVector q, int[] expected, int[] got,
      String message) {
    assertEquals(expected.length, got.length, message);
    for (int i = 0; i < expected.length; i++) {
      double want = rows.distance(q, expected[i]);
      assertEquals(want, rows.distance(q, got[i]), 1e-5 * Math.max(1, Math.abs(want)),
          message + ": rank " + i + " is row " + got[i] + ", not " + expected[i]);
    }
  }

  /** The k nearest of the non-NULL rows, nearest first, by exact search. */
  private static int[] exact(DataKind.Rows rows, SearchVector q, int k) {
    return IntStream.range(0, rows.count()).filter(r -> !rows.isNull(r)).boxed()
        .sorted(Comparator.comparingDouble(r -> rows.distance(q, r)))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF",
      "HNSW_L1", "HNSW_L1_HALF", "BIT_HNSW", "SPARSE_HNSW"})
  void writesReopensAfterCloseAndSearchesWithHighRecallForEveryMetric(String variant)
      throws IOException {
    DataKind kind = DataKind.of(variant);
    IndexMethod method = kind.method();
    SearchParams wide = kind.wide();
    IntPredicate odd = r -> r % 3 == 1;
    for (IndexMetric metric : kind.metrics()) {
      Path at = dir.resolve(method + "-" + metric);
      DataKind.Rows rows =
          kind.draw(seed, COUNT, r -> false, metric, dir.resolve("rows-" + metric), arena);
      List<SearchVector> queries = Stream.generate(rows::query).limit(QUERIES).toList();
      rows.write(at, kind.params(metric, seed));
      double found = 0;
      double foundFiltered = 0;
      List<int[]> answers = new ArrayList<>();
      try (DataKind.Opened index = rows.read(at)) {
        assertEquals(method, index.index().method());
        assertEquals(metric, index.index().metric());
        assertEquals(COUNT, index.index().size());
        for (SearchVector q : queries) {
          int[] got = index.search(q, K, wide, null);
          assertEquals(K, got.length, variant + " " + metric + " seed=" + seed);
          answers.add(got);
          found += recall(rows, q, got, r -> true);
          int[] filtered = index.search(q, K, wide, odd);
          assertTrue(IntStream.of(filtered).allMatch(odd::test),
              variant + " returned a row the filter rejects, seed=" + seed);
          foundFiltered += recall(rows, q, filtered, odd);
          if (method == IndexMethod.IVF_FLAT) {
            // Every list probed: exact distances over every row.
            sameRanking(rows, q, exact(rows, q, K),
                index.search(q, K, new SearchParams(K, DataKind.Floats.NLIST), null),
                "IVF_FLAT with nprobe = nlist is exact, seed=" + seed);
          }
        }
        checkHeapBytes(kind, index);
      }
      try (DataKind.Opened reopened = rows.read(at)) {
        for (int i = 0; i < QUERIES; i++) {
          sameRanking(rows, queries.get(i), answers.get(i),
              reopened.search(queries.get(i), K, wide, null),
              variant + " " + metric + ": same file, same answer after close, seed=" + seed);
        }
      }
      double recall = found / QUERIES;
      double recallFiltered = foundFiltered / QUERIES;
      System.out.printf(Locale.ROOT, "contract %s %s recall@10 %.3f filtered %.3f seed=%d%n",
          variant, metric, recall, recallFiltered, seed);
      assertTrue(recall >= 0.9, variant + " " + metric + " recall@10 " + recall + " seed=" + seed);
      assertTrue(recallFiltered >= 0.9,
          variant + " " + metric + " filtered recall@10 " + recallFiltered + " seed=" + seed);
    }
  }

  /** What each index holds on the heap per row, against the 128 bytes of a raw float vector. */
  private static void checkHeapBytes(DataKind kind, DataKind.Opened opened) {
    double perRow = opened.index().heapBytes() / (double) COUNT;
    int raw = kind.dimension() * Float.BYTES;
    String base = kind instanceof DataKind.Floats floats ? floats.base() : "GRAPH";
    switch (base) {
      // The graph is mapped and candidates are scored against the segment's own rows.
      case "HNSW", "HNSW_L1", "GRAPH" -> assertEquals(0, opened.index().heapBytes(),
          kind.variant() + " keeps no heap copy of the rows");
      // One bit per dimension, 4 bytes here in jvector's one long[] per row (24 bytes with the
      // array's header), and the mean.
      case "HNSW_BQ" -> {
        assertEquals(Quantization.BINARY, ((HnswIndex) opened.index()).quantization());
        assertTrue(perRow <= 0.2 * raw, "HNSW with binary codes holds " + perRow + " bytes a row");
      }
      // Codes of 8 bytes and the codebooks.
      case "HNSW_PQ" -> {
        assertEquals(Quantization.PQ, ((HnswIndex) opened.index()).quantization());
        assertTrue(perRow <= 0.25 * raw, "HNSW with PQ holds " + perRow + " bytes a row");
      }
      // A byte per dimension and one sub-vector's curve and mean per row, as jvector sizes NVQ's
      // codes, and no more than an array's and an object's headers beside them.
      case "HNSW_NVQ" -> {
        assertEquals(Quantization.NVQ, ((HnswIndex) opened.index()).quantization());
        int code = Quantization.NVQ.codeBytes(kind.dimension(), 0);
        assertTrue(perRow >= code && perRow <= code + 64,
            "HNSW with NVQ holds " + perRow + " bytes a row");
      }
      // A byte per dimension, the lists' row numbers and the decoded norms (L2).
      case "IVF_SQ8" -> assertTrue(perRow <= 0.35 * raw, "IVF_SQ8 holds " + perRow + " bytes a row");
      // Codes of 8 bytes and the lists' row numbers.
      case "IVF_PQ" -> assertTrue(perRow <= 0.25 * raw, "IVF_PQ holds " + perRow + " bytes a row");
      default -> { }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF",
      "HNSW_L1", "HNSW_L1_HALF", "BIT_HNSW", "SPARSE_HNSW"})
  void rowsWithNullVectorsAreLeftOutAndTheOthersKeepTheirRowNumbers(String variant)
      throws IOException {
    DataKind kind = DataKind.of(variant);
    IndexMetric metric = kind.metrics().get(0);
    int count = 600;
    IntPredicate nullRow = r -> r % 4 == 1 || r == count - 1;
    DataKind.Rows rows = kind.draw(seed, count, nullRow, metric, dir.resolve("rows"), arena);
    Path at = dir.resolve("index");
    rows.write(at, kind.params(metric, seed));
    // Every list probed: what is measured is which rows the index holds, not how well a partial
    // probe ranks (that is the other tests' and depends on the seed).
    SearchParams everyList = new SearchParams(kind.wide().ef(), DataKind.Floats.NLIST);
    try (DataKind.Opened index = rows.read(at)) {
      assertEquals(count - count / 4 - 1, index.index().size());
      double found = 0;
      for (int i = 0; i < QUERIES; i++) {
        SearchVector q = rows.query();
        int[] got = index.search(q, K, everyList, null);
        assertTrue(IntStream.of(got).noneMatch(nullRow::test),
            variant + " returned a row whose vector is NULL, seed=" + seed);
        assertEquals(K, got.length, variant + " found fewer than 10 of its 449 rows");
        found += recall(rows, q, got, r -> true);
      }
      assertTrue(found / QUERIES >= 0.9,
          variant + " recall@10 with NULL rows " + found / QUERIES + " seed=" + seed);
      // A query near nothing, as near to what a NULL row stores as to any row: every row it
      // returns must still have a value.
      int[] near = index.search(kind.zero(), K, everyList, null);
      assertEquals(K, near.length, variant + " seed=" + seed);
      assertTrue(IntStream.of(near).noneMatch(nullRow::test), Arrays.toString(near));
    }
    Path allNull = dir.resolve("all-null");
    DataKind.Rows none = kind.draw(seed, 10, r -> true, metric, dir.resolve("none"), arena);
    none.write(allNull, kind.params(metric, seed));
    try (DataKind.Opened index = none.read(allNull)) {
      assertEquals(0, index.index().size());
      assertEquals(0, index.search(kind.zero(), 5, kind.wide(), null).length);
    }
  }

  /**
   * The one exception to "an index answers as exact search does": by cosine, a row of zeros has no
   * direction and no index holds it (as pgvector's cosine opclasses leave it out), though the
   * exact kernels put it at distance 1. So the index is measured against exact search over the
   * rows that are neither NULL nor zero, and a query of zeros (at distance 1 from every row) finds
   * k rows of the index.
   */
  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF"})
  void byCosineRowsOfZerosAreLeftOutAndAQueryOfZerosFindsRows(String variant)
      throws IOException {
    DataKind kind = DataKind.of(variant);
    int count = 600;
    IntPredicate nullRow = r -> r % 9 == 4;
    IntPredicate zeroRow = r -> r % 5 == 2 || r == 0;
    DataKind.Rows rows = kind.draw(seed, count, nullRow, zeroRow, IndexMetric.COSINE,
        dir.resolve("rows"), arena);
    Path at = dir.resolve("index");
    rows.write(at, kind.params(IndexMetric.COSINE, seed));
    IntPredicate leftOut = nullRow.or(zeroRow);
    SearchParams everyList = new SearchParams(kind.wide().ef(), DataKind.Floats.NLIST);
    try (DataKind.Opened index = rows.read(at)) {
      long held = IntStream.range(0, count).filter(leftOut.negate()).count();
      assertEquals(held, index.index().size(), variant + " seed=" + seed);
      double found = 0;
      for (int i = 0; i < QUERIES; i++) {
        SearchVector q = rows.query();
        int[] got = index.search(q, K, everyList, null);
        assertEquals(K, got.length, variant + " seed=" + seed);
        assertTrue(IntStream.of(got).noneMatch(leftOut::test),
            variant + " returned a row of zeros or NULL, seed=" + seed + ": "
                + Arrays.toString(got));
        found += recall(rows, q, got, zeroRow.negate());
      }
      assertTrue(found / QUERIES >= 0.9,
          variant + " recall@10 with rows of zeros " + found / QUERIES + " seed=" + seed);
      int[] near = index.search(kind.zero(), K, everyList, null);
      assertEquals(K, near.length, variant + " seed=" + seed);
      assertTrue(IntStream.of(near).noneMatch(leftOut::test), Arrays.toString(near));
      for (int r : near) {
        assertEquals(1.0, rows.distance(kind.zero(), r), 0.0, variant + " row " + r);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF",
      "HNSW_L1", "HNSW_L1_HALF", "BIT_HNSW", "SPARSE_HNSW"})
  void aCorruptFileIsRefusedNamingIt(String variant) throws IOException {
    DataKind kind = DataKind.of(variant);
    IndexMetric metric = kind.metrics().get(0);
    DataKind.Rows rows = kind.draw(seed, 500, r -> false, metric, dir.resolve("rows"), arena);
    Path at = dir.resolve("index");
    rows.write(at, kind.params(metric, seed));
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
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> rows.read(at));
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  /** The rows of the engine test whose vector is NULL. */
  private static boolean nullVector(long id) {
    return id % 7 == 0;
  }

  /** A hit of an engine search. */
  private record Hit(long id, double distance) {}

  /**
   * A search of {@code table} through the engine: exactly, or through the index at the kind's
   * {@link DataKind#engineEf} and lists to probe.
   */
  private static List<Hit> search(Proxy proxy, String table, SearchVector q, IndexMetric metric,
      Expr filter, DataKind kind, boolean exact) {
    ResultRows r = proxy.search(new SearchRequest(table, "v", q, metric, K, 0, filter,
        List.of("id"), exact ? new SearchOptions(0, 0, true)
            : new SearchOptions(kind.engineEf(), kind.wide().nprobe(), false), null));
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < r.rowCount(); i++) {
      hits.add(new Hit((Long) r.rows().get(i)[0], r.distances()[i]));
    }
    return hits;
  }

  private static List<Long> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
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

  /** The filters of the engine test on {@code cat = id % 100}, and what each lets through. */
  private static final List<Expr> FILTERS = Arrays.asList(null,
      new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("cat"), new Expr.Literal(50)),
      new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("cat"), new Expr.Literal(7)));

  private static boolean passes(int filter, long id) {
    return switch (filter) {
      case 0 -> true;
      case 1 -> id % 100 < 50;
      default -> id % 100 == 7;
    };
  }

  /**
   * Searches {@code q} through the index and exactly: k rows come back, none NULL, deleted or
   * rejected by the filter, each at its exact distance; returns the share of them within the
   * exact k-th distance.
   */
  private double check(Proxy proxy, String table, DataKind kind, DataKind.Rows rows,
      IndexMetric metric, SearchVector q, int filter, List<Long> deleted) {
    List<Hit> exact = search(proxy, table, q, metric, FILTERS.get(filter), kind, true);
    List<Hit> got = search(proxy, table, q, metric, FILTERS.get(filter), kind, false);
    String where = kind.variant() + " " + metric + " filter " + filter + " seed=" + seed;
    assertEquals(K, exact.size(), where);
    assertEquals(K, got.size(), where);
    double kth = exact.get(K - 1).distance();
    int within = 0;
    for (Hit hit : got) {
      int row = (int) hit.id();
      assertTrue(!nullVector(hit.id()), where + ": NULL row " + row + " found");
      assertTrue(!deleted.contains(hit.id()), where + ": deleted row " + row + " found");
      assertTrue(passes(filter, hit.id()), where + ": filtered row " + row + " found");
      // The engine reports the Euclidean distance where indexes rank by its square.
      double d = rows.distance(q, row);
      double expected = metric == IndexMetric.L2 ? Math.sqrt(d) : d;
      assertEquals(expected, hit.distance(), 1e-4 * Math.max(1, Math.abs(expected)), where);
      within += hit.distance() <= kth + 1e-6 * Math.max(1, Math.abs(kth)) ? 1 : 0;
    }
    return within / (double) K;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "HNSW_BQ", "HNSW_NVQ", "IVF_FLAT", "IVF_PQ",
      "IVF_SQ8", "HNSW_HALF", "HNSW_PQ_HALF", "HNSW_NVQ_HALF", "IVF_FLAT_HALF", "IVF_SQ8_HALF",
      "HNSW_L1", "HNSW_L1_HALF", "BIT_HNSW", "SPARSE_HNSW"})
  void throughTheEngineDeletedFilteredAndNullRowsNeverComeBackAndOtherMetricsAreExact(
      String variant) throws Exception {
    DataKind kind = DataKind.of(variant);
    engine = Quiver.open(new QuiverConfig(dir.resolve("engine"), 1_000_000));
    Proxy proxy = engine.proxy();
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", kind.type(), kind.dimension(), true, false)));
    int growing = 200;
    List<String> tables = new ArrayList<>();
    List<DataKind.Rows> drawn = new ArrayList<>();
    List<List<Long>> deletedBy = new ArrayList<>();
    List<SearchVector> probes = new ArrayList<>();
    for (IndexMetric metric : kind.engineMetrics()) {
      String table = "t_" + metric.name().toLowerCase(Locale.ROOT);
      DataKind.Rows rows = kind.draw(seed, COUNT + growing, r -> nullVector(r), metric,
          dir.resolve("rows-" + metric), arena);
      List<Long> deleted = new ArrayList<>();
      tables.add(table);
      drawn.add(rows);
      deletedBy.add(deleted);
      proxy.createCollection(table, schema, false);
      insert(proxy, table, schema, rows, 0, COUNT);
      proxy.flush(table);
      proxy.load(table);
      proxy.createIndex(table, table + "_v", "v", kind.method(), kind.params(metric, 0), 0, 0,
          false);
      IndexInfo index = proxy.indexes(table).get(0);
      assertEquals(metric, index.metric());
      awaitBuilt(proxy, index);

      double recall = 0;
      int queries = 0;
      for (int filter = 0; filter < FILTERS.size(); filter++) {
        for (int i = 0; i < 10; i++, queries++) {
          recall += check(proxy, table, kind, rows, metric, rows.query(), filter, deleted);
        }
      }
      SearchVector q = rows.query();
      List<Long> before = ids(search(proxy, table, q, metric, null, kind, false));
      List<Long> gone = before.subList(0, 5);
      assertEquals(5, proxy.delete(table, new ArrayList<>(gone)));
      deleted.addAll(gone);
      // Growing rows (not flushed) beside the indexed segment are found too.
      insert(proxy, table, schema, rows, COUNT, COUNT + growing);
      if (metric != IndexMetric.IP && metric != IndexMetric.COSINE) {
        // By a metric under which no row is nearer to x than x itself, a growing row is found
        // first by its own value.
        List<Hit> own = search(proxy, table, rows.row(COUNT + 1), metric, null, kind, false);
        assertEquals(COUNT + 1, own.get(0).id(), variant + " " + metric + " seed=" + seed);
        assertEquals(0, own.get(0).distance(), 1e-6, variant + " " + metric + " seed=" + seed);
      }
      for (int i = 0; i < 10; i++, queries++) {
        recall += check(proxy, table, kind, rows, metric, i == 0 ? q : rows.query(), i % 2,
            deleted);
      }
      recall /= queries;
      System.out.printf(Locale.ROOT, "contract engine %s %s recall@10 %.3f seed=%d%n", variant,
          metric, recall, seed);
      assertTrue(recall >= 0.9, variant + " " + metric + " engine recall@10 " + recall
          + " seed=" + seed);

      // The index is for one metric: a query by any other is answered exactly.
      for (IndexMetric other : kind.metrics()) {
        if (other != metric) {
          assertEquals(ids(search(proxy, table, q, other, null, kind, true)),
              ids(search(proxy, table, q, other, null, kind, false)),
              variant + " " + other + " on an index by " + metric + " seed=" + seed);
        }
      }
      probes.add(q);
    }

    // After a reopen the indexes are read back, not rebuilt, and answer the same.
    List<List<Long>> beforeReopen = new ArrayList<>();
    for (int t = 0; t < tables.size(); t++) {
      beforeReopen.add(ids(search(proxy, tables.get(t), probes.get(t),
          kind.engineMetrics().get(t), null, kind, false)));
    }
    engine.close();
    engine = Quiver.open(new QuiverConfig(dir.resolve("engine"), 1_000_000));
    proxy = engine.proxy();
    for (int t = 0; t < tables.size(); t++) {
      IndexInfo index = proxy.indexes(tables.get(t)).get(0);
      assertEquals(1, proxy.indexProgress(index).builtSegments());
      assertEquals(beforeReopen.get(t), ids(search(proxy, tables.get(t), probes.get(t),
          kind.engineMetrics().get(t), null, kind, false)),
          variant + " after reopen, seed=" + seed);
      IndexMetric metric = kind.engineMetrics().get(t);
      check(proxy, tables.get(t), kind, drawn.get(t), metric, drawn.get(t).query(), 1,
          deletedBy.get(t));
    }
  }

  /**
   * Through the engine, the exception made explicit: a column with a cosine index leaves rows of
   * zeros out of every search that the index answers, on the indexed segment and on growing rows
   * alike (as it leaves NULL rows out), while an exact search ranks them at distance 1. Rows
   * {@code id % 100 == 3} are zeros: a filter to them finds nothing through the index and k rows
   * at distance 1 exactly; other queries match exact search over the other rows.
   */
  @ParameterizedTest
  @ValueSource(strings = {"HNSW", "HNSW_PQ", "IVF_FLAT", "HNSW_HALF"})
  void throughTheEngineACosineIndexLeavesRowsOfZerosOutWhereExactSearchRanksThem(String variant)
      throws Exception {
    DataKind kind = DataKind.of(variant);
    IndexMetric metric = IndexMetric.COSINE;
    engine = Quiver.open(new QuiverConfig(dir.resolve("engine"), 1_000_000));
    Proxy proxy = engine.proxy();
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
        new FieldSchema(3, "v", kind.type(), kind.dimension(), true, false)));
    int growing = 200;
    IntPredicate zeroRow = r -> r % 100 == 3;
    DataKind.Rows rows = kind.draw(seed, COUNT + growing, r -> nullVector(r), zeroRow, metric,
        dir.resolve("rows"), arena);
    String table = "t_zero";
    proxy.createCollection(table, schema, false);
    insert(proxy, table, schema, rows, 0, COUNT);
    proxy.flush(table);
    proxy.load(table);
    proxy.createIndex(table, table + "_v", "v", kind.method(), kind.params(metric, 0), 0, 0,
        false);
    awaitBuilt(proxy, proxy.indexes(table).get(0));
    insert(proxy, table, schema, rows, COUNT, COUNT + growing);
    String where = variant + " seed=" + seed;

    Expr zeros = new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("cat"), new Expr.Literal(3));
    List<Hit> exact = search(proxy, table, kind.zero(), metric, zeros, kind, true);
    assertEquals(K, exact.size(), where);
    assertTrue(exact.stream().allMatch(h -> h.distance() == 1.0), where + ": " + exact);
    assertEquals(List.of(), search(proxy, table, kind.zero(), metric, zeros, kind, false),
        where);
    assertEquals(List.of(), search(proxy, table, rows.query(), metric, zeros, kind, false),
        where);

    // A query of zeros finds k rows at distance 1, none of them zero.
    List<Hit> fromZero = search(proxy, table, kind.zero(), metric, null, kind, false);
    assertEquals(K, fromZero.size(), where);
    assertTrue(fromZero.stream().allMatch(h -> h.distance() == 1.0
        && !zeroRow.test((int) h.id()) && !nullVector(h.id())), where + ": " + fromZero);

    double recall = 0;
    for (int i = 0; i < QUERIES; i++) {
      SearchVector q = rows.query();
      List<Hit> got = search(proxy, table, q, metric, null, kind, false);
      assertEquals(K, got.size(), where);
      assertTrue(got.stream().noneMatch(h -> zeroRow.test((int) h.id())), where + ": " + got);
      recall += recall(rows, q, got.stream().mapToInt(h -> (int) h.id()).toArray(),
          zeroRow.negate());
    }
    assertTrue(recall / QUERIES >= 0.9, where + " recall@10 " + recall / QUERIES);
  }

  /** Rows from..to-1 of {@code rows} into {@code table}; the row number is the id. */
  private static void insert(Proxy proxy, String table, CollectionSchema schema,
      DataKind.Rows rows, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    Object[] cats = new Object[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      cats[i] = (from + i) % 100;
    }
    proxy.insert(table, Batches.of(schema, n, List.of(ids, cats, rows.column(from, to))));
  }
}
