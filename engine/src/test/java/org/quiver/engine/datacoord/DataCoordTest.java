package org.quiver.engine.datacoord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.fixtures.Batches;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/** Segment id assignment per (channel, partition) with expiry, and the seal policies. */
class DataCoordTest {
  @TempDir Path dir;

  @Test
  void assignsOneGrowingSegmentPerChannelAndPartitionUntilSealedOrExpired() {
    try (RocksKvStore kv = RocksKvStore.open(dir.resolve("meta"))) {
      AtomicLong now = new AtomicLong(1_000);
      DataCoord coord = new DataCoord(new IdAllocator(kv),
          new DataCoord.SealPolicy(100, 1_000, 5_000), now::get);
      DataCoord.Assignment a = coord.assign("c0", "_default");
      assertEquals(a, coord.assign("c0", "_default"), "same growing segment until sealed");
      DataCoord.Assignment b = coord.assign("c1", "_default");
      DataCoord.Assignment p = coord.assign("c0", "p1");
      assertNotEquals(a.segmentId(), b.segmentId());
      assertNotEquals(a.segmentId(), p.segmentId());
      assertEquals(6_000, a.expiresAt());

      assertFalse(coord.shouldSeal(a, 99, 999));
      assertTrue(coord.shouldSeal(a, 100, 0), "row threshold");
      assertTrue(coord.shouldSeal(a, 1, 1_000), "byte threshold");
      now.set(6_000);
      assertTrue(coord.expired(a));
      assertTrue(coord.shouldSeal(a, 1, 1), "age threshold");

      coord.sealed(a);
      DataCoord.Assignment next = coord.assign("c0", "_default");
      assertNotEquals(a.segmentId(), next.segmentId(), "a sealed segment's id is not reused");
      assertEquals(11_000, next.expiresAt());
      coord.forgetChannels(List.of("c0"));
      assertEquals(List.of(b), coord.assignments());
    }
  }

  @Test
  void dataNodeSealsAGrowingSegmentOnceItsAssignmentExpires() throws InterruptedException {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));
    // Far from the row and byte thresholds: only the age policy can seal.
    try (Quiver q = Quiver.open(new QuiverConfig(dir, 1_000_000, 1L << 30, 300))) {
      q.proxy().createCollection("t", schema, false, 2, ConsistencyLevel.STRONG);
      q.proxy().insert("t", Batches.of(schema, 3,
          List.of(new Object[] {1L, 2L, 3L}, new float[6])));
      long deadline = System.currentTimeMillis() + 10_000;
      List<SegmentInfo> segments;
      while ((segments = q.proxy().segments("t")).stream().mapToInt(SegmentInfo::rowCount).sum() < 3
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(3, segments.stream().mapToInt(SegmentInfo::rowCount).sum(),
          "rows sealed by age: " + segments);
      assertTrue(segments.stream().allMatch(s -> s.directory().contains("/_default/")));
    }
  }
}
