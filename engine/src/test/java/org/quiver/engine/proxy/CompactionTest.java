package org.quiver.engine.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.CompactResult;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.fixtures.Batches;
import org.quiver.fixtures.ChildJvm;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Compaction: merged segments answer counts, scans and searches exactly as before, deleted rows
 * older than the retention window are purged, time travel inside the window is unchanged, and a
 * crash at any step of a compaction loses and doubles nothing.
 */
class CompactionTest {
  static final String TABLE = "t";
  static final int ROWS = 60;
  static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 4, false, false)));

  @TempDir Path dir;

  static QuiverConfig config(Path dir) {
    return new QuiverConfig(dir, 1_000).withAutoCompaction(false);
  }

  /** Rows 0..59 in twelve flushed segments, an HNSW index, then rows 0..19 deleted and flushed. */
  static void fill(Proxy proxy) {
    proxy.createCollection(TABLE, SCHEMA, false);
    proxy.createIndex(TABLE, "hnsw", "v", IndexMethod.HNSW, IndexMetric.L2, 8, 40, false);
    for (int first = 0; first < ROWS; first += 5) {
      Object[] ids = new Object[5];
      float[] v = new float[20];
      for (int i = 0; i < 5; i++) {
        ids[i] = (long) (first + i);
        for (int d = 0; d < 4; d++) {
          v[4 * i + d] = (float) Math.sin((first + i) * (d + 1));
        }
      }
      proxy.insert(TABLE, Batches.of(SCHEMA, 5, List.of(ids, v)));
      proxy.flush(TABLE);
    }
    List<Object> deleted = new ArrayList<>();
    for (long id = 0; id < 20; id++) {
      deleted.add(id);
    }
    proxy.delete(TABLE, deleted);
    proxy.flush(TABLE);
  }

  private static List<Long> ids(Proxy proxy) {
    ResultRows rows = proxy.query(new QueryRequest(TABLE, null, List.of("id"), -1));
    return rows.rows().stream().map(r -> (Long) r[0]).sorted().toList();
  }

  private static List<Object> nearest(Proxy proxy, float[] q) {
    return proxy.search(new SearchRequest(TABLE, "v", q, IndexMetric.L2, 7, 0, null, List.of("id")))
        .rows().stream().map(r -> r[0]).toList();
  }

  private static final float[][] QUERIES = {{0, 0, 0, 0}, {1, -1, 0.5f, 0}, {-0.5f, 0.2f, 1, 1}};

  @Test
  void mergesAndPurgesWithoutChangingAnswers() throws Exception {
    try (Quiver quiver = Quiver.open(config(dir).withRetentionMs(0))) {
      Proxy proxy = quiver.proxy();
      fill(proxy);
      List<Long> before = ids(proxy);
      assertEquals(40, before.size());
      List<List<Object>> searches = new ArrayList<>();
      for (float[] q : QUERIES) {
        searches.add(nearest(proxy, q));
      }
      assertEquals(13, proxy.segments(TABLE).size());
      Thread.sleep(2); // the deletes fall behind the horizon of a zero retention window

      try (CompactionTrigger policy = new CompactionTrigger(proxy, 1_000, 0, 0, 3_600_000)) {
        assertTrue(policy.due(proxy.collection(TABLE).orElseThrow()), "13 small segments");
      }
      try (CompactionTrigger policy = new CompactionTrigger(proxy, 1_000, 1_000, 0, 3_600_000)) {
        assertTrue(!policy.due(proxy.collection(TABLE).orElseThrow()), "60 rows: too small");
      }
      assertEquals(new CompactResult(13, 1, 20, 20), proxy.compact(TABLE));
      try (CompactionTrigger policy = new CompactionTrigger(proxy, 1_000, 0, 0, 3_600_000)) {
        assertTrue(!policy.due(proxy.collection(TABLE).orElseThrow()), "one segment, no deletes");
      }
      SegmentInfo merged = proxy.segments(TABLE).get(0);
      assertEquals(40, merged.rowCount());
      assertEquals(0, merged.deleteCount());
      assertEquals(1, segmentFolders(dir, proxy));
      // The merged segment's index was built before the swap.
      IndexProgress progress = proxy.indexProgress(proxy.indexes(TABLE).get(0));
      assertEquals(1, progress.builtSegments());
      assertEquals(1, progress.totalSegments());
      assertEquals(before, ids(proxy));
      for (int i = 0; i < QUERIES.length; i++) {
        assertEquals(searches.get(i), nearest(proxy, QUERIES[i]));
      }
      // Nothing left to do: one segment, nothing to purge.
      assertEquals(new CompactResult(1, 1, 0, 0), proxy.compact(TABLE));
    }
    try (Quiver quiver = Quiver.open(config(dir).withRetentionMs(0))) {
      assertEquals(40, ids(quiver.proxy()).size());
      assertEquals(1, quiver.proxy().segments(TABLE).size());
    }
  }

  @Test
  void keepsHistoryInsideTheRetentionWindow() throws Exception {
    try (Quiver quiver = Quiver.open(config(dir))) {
      Proxy proxy = quiver.proxy();
      proxy.createCollection(TABLE, SCHEMA, false);
      proxy.insert(TABLE, Batches.of(SCHEMA, 2,
          List.of(new Object[] {1L, 2L}, new float[] {1, 1, 1, 1, 2, 2, 2, 2})));
      proxy.flush(TABLE);
      Thread.sleep(3);
      long between = System.currentTimeMillis();
      Thread.sleep(3);
      proxy.delete(TABLE, List.of(1L));
      proxy.flush(TABLE);
      assertEquals(new CompactResult(2, 1, 0, 0), proxy.compact(TABLE));
      ResultRows past = proxy.query(new QueryRequest(TABLE, null, List.of("id"), -1),
          new ReadOptions(null, 0, 0, between));
      assertEquals(2, past.rows().size());
      assertEquals(List.of(2L), ids(proxy));
    }
  }

  @Test
  void crashAtEveryStepLosesAndDoublesNothing() throws Exception {
    for (String step : List.of("written", "indexed", "swapped")) {
      Path data = dir.resolve(step);
      try (ChildJvm child = ChildJvm.start(CompactionCrashChild.class, data.toString(), step)) {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = child.readLine()) != null) {
          lines.add(line);
        }
        assertTrue(lines.contains("compacting"), step + ": " + lines);
        assertTrue(!lines.contains("survived"), step + ": the crash hook did not fire");
      }
      try (Quiver quiver = Quiver.open(config(data).withRetentionMs(0))) {
        Proxy proxy = quiver.proxy();
        List<Long> expected = new ArrayList<>();
        for (long id = 20; id < ROWS; id++) {
          expected.add(id);
        }
        assertEquals(expected, ids(proxy), step);
        int segments = proxy.segments(TABLE).size();
        assertEquals(step.equals("swapped") ? 1 : 13, segments, step);
        assertEquals(segments, segmentFolders(data, proxy), step + ": leftover folders were not removed");
        proxy.compact(TABLE);
        assertEquals(expected, ids(proxy), step);
        assertEquals(1, proxy.segments(TABLE).size());
      }
    }
  }

  /** Segment folders of the table on disk. */
  /**
   * A scan reads its rows a chunk at a time, after its task has finished; a compaction between two
   * chunks lets go of the segments the scan is reading. Their files must stay mapped until the scan
   * ends: it returns every row and vector it would have returned without the compaction.
   */
  @Test
  void aScanStartedBeforeACompactionReadsItsSegmentsToTheEnd() throws Exception {
    int segments = 12;
    int perSegment = 300;
    try (Quiver quiver = Quiver.open(config(dir).withRetentionMs(0))) {
      Proxy proxy = quiver.proxy();
      proxy.createCollection(TABLE, SCHEMA, false);
      for (int s = 0; s < segments; s++) {
        Object[] ids = new Object[perSegment];
        float[] v = new float[4 * perSegment];
        for (int i = 0; i < perSegment; i++) {
          long id = (long) s * perSegment + i;
          ids[i] = id;
          for (int d = 0; d < 4; d++) {
            v[4 * i + d] = id + d / 10f;
          }
        }
        proxy.insert(TABLE, Batches.of(SCHEMA, perSegment, List.of(ids, v)));
        proxy.flush(TABLE);
      }
      List<Long> seen = new ArrayList<>();
      try (org.quiver.engine.api.RowStream scan = proxy.scan(
          new QueryRequest(TABLE, null, List.of("id", "v"), -1), ReadOptions.DEFAULT)) {
        // 3,600 rows: the first chunk of 1,024 is read before the compaction, the rest after.
        checkAll(scan.next(), seen);
        assertEquals(new CompactResult(segments, 1, 0, 0), proxy.compact(TABLE));
        scan.forEachRemaining(chunk -> checkAll(chunk, seen));
      }
      assertEquals(segments * perSegment, seen.size());
      assertEquals(segments * perSegment, seen.stream().distinct().count());
      assertEquals(segments * perSegment, ids(proxy).size());
    }
  }

  private static void checkAll(ResultRows chunk, List<Long> seen) {
    for (int r = 0; r < chunk.rowCount(); r++) {
      seen.add(check(chunk.row(r)));
    }
  }

  /** The row's id, after checking that its vector is the one written with it. */
  private static long check(Object[] row) {
    long id = (Long) row[0];
    float[] v = (float[]) row[1];
    for (int d = 0; d < 4; d++) {
      assertEquals(id + d / 10f, v[d], "vector of row " + id);
    }
    return id;
  }

  private static long segmentFolders(Path data, Proxy proxy) throws IOException {
    CollectionInfo info = proxy.collection(TABLE).orElseThrow();
    try (Stream<Path> dirs = Files.list(
        data.resolve("segments").resolve(Long.toString(info.id())).resolve("_default"))) {
      return dirs.filter(Files::isDirectory).count();
    }
  }
}
