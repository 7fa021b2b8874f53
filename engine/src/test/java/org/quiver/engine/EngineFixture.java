package org.quiver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.segment.SegmentManifest;

/**
 * A table of rows {@code (id BIGINT PRIMARY KEY, v VECTOR(DIM), tag INT NULL, label VARCHAR NOT
 * NULL)}, with the brute-force oracle the engine tests compare searches against.
 */
final class EngineFixture {
  static final int DIM = 8;
  static final List<String> ALL_FIELDS = List.of("id", "v", "tag", "label");

  static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, DIM, false, false),
      new FieldSchema(3, "tag", DataType.INT32, 0, true, false),
      new FieldSchema(4, "label", DataType.VARCHAR, 0, false, false)));

  /** A filter the engine evaluates, with the same condition for the oracle. */
  record Filter(Expr expr, Predicate<Row> oracle, String description) {
    static final Filter NONE = new Filter(null, r -> true, "none");
    static final Filter TAG_BELOW_5 = new Filter(
        new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("tag"), new Expr.Literal(5)),
        r -> r.tag() != null && r.tag() < 5, "tag < 5");
    static final Filter TAG_NULL_OR_AT_LEAST_8 = new Filter(
        new Expr.Or(List.of(new Expr.IsNull(new Expr.Column("tag")),
            new Expr.Compare(Expr.CompareOp.GE, new Expr.Column("tag"), new Expr.Literal(8L)))),
        r -> r.tag() == null || r.tag() >= 8, "tag IS NULL OR tag >= 8");
    static final List<Filter> ALL = List.of(NONE, TAG_BELOW_5, TAG_NULL_OR_AT_LEAST_8);
  }

  record Row(long id, float[] v, Integer tag, String label) {
    @Override
    public String toString() {
      return "Row[" + id + ", " + Arrays.toString(v) + ", " + tag + ", " + label + "]";
    }
  }

  private EngineFixture() {}

  static Row randomRow(Random random, long id) {
    float[] v = randomVector(random);
    Integer tag = random.nextInt(5) == 0 ? null : random.nextInt(10);
    return new Row(id, v, tag, "row-" + id + "-" + random.nextInt(1000));
  }

  static float[] randomVector(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  static ColumnBatch batch(List<Row> rows) {
    return batch(rows.size(), rows.stream().map(r -> (Object) r.id()).toArray(),
        rows.stream().map(Row::v).toList(), rows.stream().map(r -> (Object) r.tag()).toArray(),
        rows.stream().map(r -> (Object) r.label()).toArray());
  }

  static ColumnBatch batch(Row... rows) {
    return batch(List.of(rows));
  }

  /** A batch from raw columns, so tests can put NULL where the {@link Row} type cannot. */
  static ColumnBatch batch(int n, Object[] ids, List<float[]> vectors, Object[] tags,
      Object[] labels) {
    float[] flat = new float[n * DIM];
    for (int i = 0; i < n; i++) {
      System.arraycopy(vectors.get(i), 0, flat, i * DIM, DIM);
    }
    return Batches.of(SCHEMA, n, List.of(ids, flat, tags, labels));
  }

  static void create(Proxy proxy, String table) {
    assertTrue(proxy.createCollection(table, SCHEMA, false));
  }

  /**
   * Waits until no write task is left in the proxy's manipulation queue.
   *
   * <p>Why: a write returns to its caller before its task leaves the queue, and a read that checks
   * the queue at that moment fails with NoSuchElementException from {@code TaskQueue.doneBefore}
   * (reported with these tests). Reads in these tests go through {@link #search(Proxy,
   * SearchRequest)} and {@link #query(Proxy, QueryRequest)}, which wait here first.
   */
  static ResultRows search(Proxy proxy, SearchRequest request) {
    return proxy.search(request);
  }

  static ResultRows query(Proxy proxy, QueryRequest request) {
    return proxy.query(request);
  }

  /** Every visible row, by id; fails if an id appears twice. */
  static Map<Long, Row> queryAll(Proxy proxy, String table, String where) {
    ResultRows result = query(proxy, new QueryRequest(table, null, ALL_FIELDS, -1));
    Map<Long, Row> rows = new TreeMap<>();
    for (Object[] r : result.rows()) {
      Row row = new Row((Long) r[0], (float[]) r[1], (Integer) r[2], (String) r[3]);
      if (rows.put(row.id(), row) != null) {
        fail(where + ": id " + row.id() + " returned twice");
      }
    }
    return rows;
  }

  /** Asserts that the engine's rows are exactly the model's, values included. */
  static void assertRowsEqual(Map<Long, Row> model, Map<Long, Row> actual, String where) {
    assertEquals(new TreeMap<>(model).keySet(), actual.keySet(), where + ": ids");
    for (Row expected : model.values()) {
      Row got = actual.get(expected.id());
      assertTrue(Arrays.equals(expected.v(), got.v()), where + ": vector of " + expected.id());
      assertEquals(expected.tag(), got.tag(), where + ": tag of " + expected.id());
      assertEquals(expected.label(), got.label(), where + ": label of " + expected.id());
    }
  }

  static SearchRequest searchRequest(String table, float[] q, IndexMetric metric, int k, int offset,
      Filter filter) {
    return new SearchRequest(table, "v", q, metric, k, offset, filter.expr(), List.of("id", "tag"));
  }

  /** The distance as the engine reports it, computed in double precision. */
  static double distance(IndexMetric metric, float[] q, float[] x) {
    double dot = 0;
    double l2 = 0;
    double l1 = 0;
    double qq = 0;
    double xx = 0;
    for (int i = 0; i < q.length; i++) {
      dot += (double) q[i] * x[i];
      double d = (double) q[i] - x[i];
      l2 += d * d;
      l1 += Math.abs(d);
      qq += (double) q[i] * q[i];
      xx += (double) x[i] * x[i];
    }
    return switch (metric) {
      case L2 -> Math.sqrt(l2);
      case COSINE -> 1 - dot / (Math.sqrt(qq) * Math.sqrt(xx));
      case IP -> -dot;
      case L1 -> l1;
      case HAMMING, JACCARD -> throw new IllegalArgumentException(metric + " is no float metric");
    };
  }

  private static double tolerance(double d) {
    return 1e-4 * Math.max(1, Math.abs(d));
  }

  /**
   * Asserts that {@code result} holds the exact k nearest rows of {@code rows} (after skipping
   * {@code offset}) among those passing the filter: the same ranks at the same distances, each
   * returned row at its true distance. Where the oracle's distances are clearly apart, the ids must
   * match exactly; near-ties (float rounding) may come in either order.
   */
  static void assertSearchMatchesOracle(ResultRows result, Collection<Row> rows, float[] q,
      IndexMetric metric, int k, int offset, Filter filter, String where) {
    List<Row> candidates = rows.stream().filter(filter.oracle())
        .sorted(Comparator.comparingDouble((Row r) -> distance(metric, q, r.v())))
        .toList();
    int expected = Math.max(0, Math.min(k, candidates.size() - offset));
    String ctx = where + " metric=" + metric + " k=" + k + " offset=" + offset + " filter="
        + filter.description();
    assertEquals(expected, result.rows().size(), ctx + ": result size");
    assertEquals(expected, result.distances().length, ctx + ": distances");
    Map<Long, Row> byId = new TreeMap<>();
    rows.forEach(r -> byId.put(r.id(), r));
    Set<Long> seen = new HashSet<>();
    boolean clearGaps = true;
    for (int i = 0; i < expected; i++) {
      long id = (Long) result.rows().get(i)[0];
      double reported = result.distances()[i];
      Row row = byId.get(id);
      assertTrue(row != null, ctx + ": rank " + i + " returned unknown or deleted id " + id);
      assertTrue(seen.add(id), ctx + ": id " + id + " returned twice");
      assertTrue(filter.oracle().test(row), ctx + ": id " + id + " does not pass the filter");
      assertEquals(row.tag(), result.rows().get(i)[1], ctx + ": tag of " + id);
      double truth = distance(metric, q, row.v());
      assertEquals(truth, reported, tolerance(truth), ctx + ": distance of id " + id);
      double oracle = distance(metric, q, candidates.get(offset + i).v());
      assertEquals(oracle, reported, tolerance(oracle), ctx + ": distance at rank " + i);
      if (i > 0) {
        assertTrue(reported >= result.distances()[i - 1], ctx + ": not sorted at rank " + i);
      }
    }
    int from = Math.max(0, offset - 1);
    int to = Math.min(candidates.size() - 1, offset + expected);
    for (int i = from; expected > 0 && i < to; i++) {
      double a = distance(metric, q, candidates.get(i).v());
      double b = distance(metric, q, candidates.get(i + 1).v());
      clearGaps &= b - a > 2 * tolerance(b);
    }
    if (clearGaps && expected > 0) {
      List<Long> expectedIds = candidates.subList(offset, offset + expected).stream()
          .map(Row::id).toList();
      List<Long> actualIds = result.rows().stream().map(r -> (Long) r[0]).toList();
      assertEquals(expectedIds, actualIds, ctx + ": ids");
    }
  }

  /** Ids and distances of a search, to compare two runs exactly. */
  static List<String> fingerprint(ResultRows result) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < result.rows().size(); i++) {
      out.add(result.rows().get(i)[0] + "@" + result.distances()[i]);
    }
    return out;
  }

  /** Segment folders whose manifest (written last) exists under the table's folder. */
  static long segmentCount(Path dataDirectory, long collectionId) {
    Path dir = dataDirectory.resolve("segments").resolve(Long.toString(collectionId))
        .resolve("_default");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    // Lists folder names only: the data node may be writing and renaming files inside them.
    try (Stream<Path> folders = Files.list(dir)) {
      return folders.filter(f -> Files.exists(f.resolve(SegmentManifest.FILE_NAME))).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
