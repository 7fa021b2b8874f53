package org.quiver.engine.querynode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Releasing a partition frees the memory its sealed and growing rows held (heap and mapped), leaves
 * the other partitions' memory as it was, survives a restart, and LOAD of the partition brings its
 * rows back, with those written while it was released.
 */
class PartitionLoadTest {
  private static final int DIM = 16;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, DIM, false, false)));

  @TempDir
  Path dir;

  private static void insert(Proxy proxy, String partition, int from, int to) {
    int n = to - from;
    Object[] ids = new Object[n];
    float[] vectors = new float[n * DIM];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) (from + i);
      vectors[i * DIM] = from + i;
    }
    proxy.insert("t", Batches.of(SCHEMA, n, List.of(ids, vectors)), partition);
  }

  private static long count(Proxy proxy, List<String> partitions) {
    return proxy.query(new QueryRequest("t", null, List.of("id"), -1, null, partitions)).rows()
        .size();
  }

  @Test
  void releasingAPartitionFreesItsMemoryAndSurvivesARestart() {
    LoadState defaultBefore;
    try (Quiver engine = Quiver.open(new QuiverConfig(dir, 1_000_000))) {
      Proxy proxy = engine.proxy();
      proxy.createCollection("t", SCHEMA, false);
      proxy.createPartition("t", "p");
      insert(proxy, "_default", 0, 100);
      insert(proxy, "p", 1000, 3000);
      proxy.flush("t");
      insert(proxy, "p", 3000, 3500);
      // A STRONG read applies the log up to now, so the figures below are taken of settled state
      // (the query node follows the log in the background otherwise).
      assertEquals(2600, count(proxy, null));
      CollectionInfo info = proxy.collection("t").orElseThrow();
      LoadState tableBefore = proxy.loadState(info);
      defaultBefore = proxy.loadState(info, "_default");
      LoadState pBefore = proxy.loadState(info, "p");
      assertTrue(defaultBefore.mappedBytes() > 0, defaultBefore.toString());
      assertTrue(pBefore.mappedBytes() >= 2000L * DIM * Float.BYTES, pBefore.toString());
      assertTrue(pBefore.heapBytes() >= 500L * DIM * Float.BYTES, pBefore.toString());

      proxy.release("t", List.of("p"));
      LoadState tableAfter = proxy.loadState(info);
      assertEquals(new LoadState("not loaded", 0, 0, 0), proxy.loadState(info, "p"));
      assertEquals(defaultBefore, proxy.loadState(info, "_default"));
      assertEquals(tableBefore.heapBytes() - pBefore.heapBytes(), tableAfter.heapBytes());
      assertEquals(tableBefore.mappedBytes() - pBefore.mappedBytes(), tableAfter.mappedBytes());

      assertEquals(100, count(proxy, List.of("_default")));
      QuiverException e = assertThrows(QuiverException.class, () -> count(proxy, null));
      assertEquals(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE, e.code());
      assertTrue(e.getMessage().contains("\"t\"") && e.getMessage().contains(" p;"),
          e.getMessage());
      // A write into the released partition is acknowledged and kept for a later LOAD.
      insert(proxy, "p", 3500, 3600);
    }
    try (Quiver engine = Quiver.open(new QuiverConfig(dir, 1_000_000))) {
      Proxy proxy = engine.proxy();
      CollectionInfo info = proxy.collection("t").orElseThrow();
      assertEquals(new LoadState("not loaded", 0, 0, 0), proxy.loadState(info, "p"));
      // Only _default is held after the restart: every mapped byte is its own.
      assertEquals(defaultBefore.mappedBytes(), proxy.loadState(info, "_default").mappedBytes());
      assertEquals(defaultBefore.mappedBytes(), proxy.loadState(info).mappedBytes());
      assertThrows(QuiverException.class, () -> count(proxy, List.of("p")));

      proxy.load("t", List.of("p"));
      assertEquals(2600, count(proxy, List.of("p")));
      assertEquals(2700, count(proxy, null));
      assertTrue(proxy.loadState(info, "p").heapBytes() + proxy.loadState(info, "p").mappedBytes()
          >= 2600L * DIM * Float.BYTES);
    }
  }
}
