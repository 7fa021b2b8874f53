package org.quiver.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * A vector index from CREATE INDEX to search: built in the background for every sealed segment
 * and for segments flushed later, used by searches of its metric with high recall, exactly k rows
 * under filters of any selectivity, kept across a reopen, and gone after DROP INDEX.
 */
class IndexLifecycleTest {
  private static final int DIM = 16;
  private static final int ROWS = 4000;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "cat", DataType.INT32, 0, false, false),
      new FieldSchema(3, "v", DataType.FLOAT_VECTOR, DIM, false, false)));

  @TempDir
  Path dir;
  private Quiver engine;
  private final long seed = Long.getLong("tests.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private float[][] centres;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private Proxy open() {
    engine = Quiver.open(new QuiverConfig(dir, 1_000_000));
    return engine.proxy();
  }

  private float[] point() {
    if (centres == null) {
      centres = new float[16][DIM];
      for (float[] c : centres) {
        for (int d = 0; d < DIM; d++) {
          c[d] = (float) random.nextGaussian() * 3;
        }
      }
    }
    float[] c = centres[random.nextInt(centres.length)];
    float[] p = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      p[d] = c[d] + (float) random.nextGaussian();
    }
    return p;
  }

  private void insert(Proxy proxy, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    Object[] cats = new Object[n];
    float[] v = new float[n * DIM];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      cats[i] = (from + i) % 100;
      System.arraycopy(point(), 0, v, i * DIM, DIM);
    }
    proxy.insert("t", Batches.of(SCHEMA, n, List.of(ids, cats, v)));
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

  private List<Long> search(Proxy proxy, float[] q, int k, Expr filter, boolean exact) {
    ResultRows r = proxy.search(new SearchRequest("t", "v", q, IndexMetric.L2, k, 0, filter,
        List.of("id"), new SearchOptions(0, exact)));
    List<Long> ids = new ArrayList<>();
    r.rows().forEach(row -> ids.add((Long) row[0]));
    return ids;
  }

  private double recall(Proxy proxy, Expr filter, int queries) {
    int found = 0;
    int expected = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = point();
      Set<Long> truth = new HashSet<>(search(proxy, query, 10, filter, true));
      List<Long> got = search(proxy, query, 10, filter, false);
      assertEquals(truth.size(), got.size(), "seed=" + seed + ": rows returned");
      expected += truth.size();
      found += (int) got.stream().filter(truth::contains).count();
    }
    return expected == 0 ? 1.0 : found / (double) expected;
  }

  @Test
  void createIndexBuildSearchReopenAndDrop() throws Exception {
    Proxy proxy = open();
    proxy.createCollection("t", SCHEMA, false);
    insert(proxy, 0, ROWS);
    proxy.flush("t");
    assertTrue(proxy.createIndex("t", "t_v", "v", IndexMethod.HNSW, IndexMetric.L2, 16, 100, false));
    assertFalse(proxy.createIndex("t", "t_v", "v", IndexMethod.HNSW, IndexMetric.L2, 16, 100, true));
    IndexInfo index = proxy.indexes("t").get(0);
    awaitBuilt(proxy, index);

    assertTrue(recall(proxy, null, 40) >= 0.9, "seed=" + seed + " unfiltered recall");
    Expr tenPercent = new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("cat"), new Expr.Literal(10));
    Expr onePercent = new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("cat"), new Expr.Literal(7));
    Expr halfway = new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("cat"), new Expr.Literal(50));
    for (Expr filter : List.of(onePercent, tenPercent, halfway)) {
      assertTrue(recall(proxy, filter, 20) >= 0.9, "seed=" + seed + " recall with " + filter);
    }

    // Deleted rows never come back, also through the graph.
    float[] q = point();
    List<Long> before = search(proxy, q, 10, null, false);
    List<Object> deleted = new ArrayList<>(before.subList(0, 5));
    assertEquals(5, proxy.delete("t", deleted));
    List<Long> after = search(proxy, q, 10, null, false);
    assertEquals(10, after.size());
    assertTrue(after.stream().noneMatch(deleted::contains), "seed=" + seed);

    // A new segment is indexed automatically.
    insert(proxy, ROWS, ROWS + 1000);
    proxy.flush("t");
    awaitBuilt(proxy, index);
    assertEquals(2, proxy.indexProgress(index).builtSegments());
    List<Long> beforeReopen = search(proxy, q, 10, null, false);

    // After a reopen the index is read back, not rebuilt, and answers the same.
    engine.close();
    proxy = open();
    IndexInfo reopened = proxy.indexes("t").get(0);
    assertEquals(2, proxy.indexProgress(reopened).builtSegments());
    assertEquals(beforeReopen, search(proxy, q, 10, null, false), "seed=" + seed);
    assertTrue(recall(proxy, tenPercent, 20) >= 0.9, "seed=" + seed + " recall after reopen");

    assertTrue(proxy.dropIndex("t_v", false));
    assertFalse(proxy.dropIndex("t_v", true));
    assertEquals(List.of(), proxy.indexes("t"));
    assertEquals(search(proxy, q, 10, null, true), search(proxy, q, 10, null, false));
  }
}
