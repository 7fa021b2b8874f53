package org.quiver.engine.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.fixtures.Batches;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.segment.PrimaryKeyStats;
import org.quiver.storage.segment.SegmentManifest;

/**
 * The primary-key index over sealed segments' statistics and the growing log: exact answers after
 * inserts, deletes, upserts and a restart, and exact lookups only in segments that may hold a key.
 */
class PrimaryKeyIndexTest {
  private static final long SEED = 7;
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  @TempDir Path dir;

  private static ColumnBatch rows(List<Long> keys) {
    float[] v = new float[keys.size() * 2];
    return Batches.of(SCHEMA, keys.size(), List.of(keys.toArray(), v));
  }

  @Test
  void answersExactlyFromSegmentStatisticsAndTheLog() throws Exception {
    Random random = new Random(SEED);
    Set<Long> all = new LinkedHashSet<>();
    while (all.size() < 1_000) {
      all.add(random.nextLong());
    }
    List<Long> keys = new ArrayList<>(all);
    Set<Long> live = new HashSet<>(keys);
    try (Quiver q = Quiver.open(new QuiverConfig(dir, 100))) {
      Proxy p = q.proxy();
      p.createCollection("t", SCHEMA, false);
      for (int i = 0; i < 1_000; i += 100) {
        p.insert("t", rows(keys.subList(i, i + 100)));
      }
      p.flush("t");
      // Deletes and upserts in the growing segment, of keys held by sealed segments.
      p.delete("t", new ArrayList<>(keys.subList(0, 10)));
      keys.subList(0, 10).forEach(live::remove);
      p.upsert("t", rows(keys.subList(10, 20)));
      assertEquals(10, p.segments("t").size());
    }
    try (RocksKvStore kv = RocksKvStore.open(dir.resolve("meta"));
        RocksMessageQueue mq = RocksMessageQueue.open(dir.resolve("mq"))) {
      MetaTable meta = new MetaTable(kv);
      CollectionInfo info = meta.collection("t").orElseThrow();
      SegmentStore store = new SegmentStore(dir);
      for (SegmentInfo s : meta.segments(info.id())) {
        Path segmentDir = dir.resolve(s.directory());
        assertTrue(Files.exists(segmentDir.resolve(PrimaryKeyStats.FILE_NAME)));
        assertTrue(SegmentManifest.read(segmentDir).file(PrimaryKeyStats.FILE_NAME).isPresent());
      }
      PrimaryKeyIndex index = PrimaryKeyIndex.build(info, meta, new ChannelCheckpoints(meta, mq),
          store,
          new MsgStream(mq, info.channels(), info.schema()));
      // Every key answered exactly: live ones, deleted ones, upserted ones.
      assertEquals(live, index.live(keys));
      // Absent keys within the segments' key ranges: only false positives reach a segment.
      List<Long> absent = new ArrayList<>();
      while (absent.size() < 2_000) {
        long k = random.nextLong();
        if (!all.contains(k)) {
          absent.add(k);
        }
      }
      long before = index.segmentProbes();
      assertTrue(index.live(absent).isEmpty());
      long probes = index.segmentProbes() - before;
      // 2,000 keys x 10 segments at a 1% false-positive rate: about 200 probes, never all 20,000.
      assertTrue(probes < 400, "exact segment probes for absent keys: " + probes);
      // A present key in a sealed segment is looked up in its segment (plus false positives).
      before = index.segmentProbes();
      assertEquals(Set.of(keys.get(500)), index.live(List.of(keys.get(500))));
      assertTrue(index.segmentProbes() - before <= 3);
      // The growing part is held exactly, and only the segments a lookup opened.
      assertTrue(index.keysInMemory() <= 20 + 1_000, "keys in memory: " + index.keysInMemory());
    }
  }
}
