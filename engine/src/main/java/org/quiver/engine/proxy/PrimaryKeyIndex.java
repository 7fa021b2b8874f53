package org.quiver.engine.proxy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MsgPack;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.msgstream.TimeTickMsg;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.SegmentInfo;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.engine.segment.SegmentStore;

/**
 * The live primary keys of one collection, so that an INSERT of an existing key fails with 23505
 * and a DELETE writes only keys that exist. Touched only by the manipulation queue's thread.
 *
 * <p>Built from the flushed segments and the log after their checkpoint: a key is live when its
 * latest insert is later than its latest delete.
 */
final class PrimaryKeyIndex {
  private final Set<Object> live;

  private PrimaryKeyIndex(Set<Object> live) {
    this.live = live;
  }

  static PrimaryKeyIndex build(
      CollectionInfo info, MetaTable meta, SegmentStore segments, MsgStream stream) {
    Map<Object, long[]> latest = new HashMap<>();
    int pk = info.schema().primaryKeyIndex();
    // Checkpoints first, segments second: the data node may seal meanwhile, and a segment sealed
    // in between must be in the list read next (reading a message twice does no harm: only the
    // latest insert and delete time of each key count).
    Map<String, Long> checkpoints = new HashMap<>();
    info.channels().forEach(c -> checkpoints.put(c, meta.checkpoint(c)));
    for (SegmentInfo s : meta.segments(info.id())) {
      FlushedSegment data = segments.read(info.schema(), s);
      Object[] keys = data.rows().scalars(pk);
      for (int i = 0; i < keys.length; i++) {
        note(latest, keys[i], data.insertTs()[i], 0);
      }
      for (int i = 0; i < data.deletedKeys().length; i++) {
        note(latest, data.deletedKeys()[i], data.deleteTs()[i], 1);
      }
    }
    for (String channel : info.channels()) {
      long after = checkpoints.get(channel);
      MsgPack batch;
      while (!(batch = stream.read(channel, after, 1024)).isEmpty()) {
        for (MsgPack.Entry m : batch.messages()) {
          switch (m.message()) {
            case DmlMessage.Insert ins -> {
              for (Object key : ins.rows().scalars(pk)) {
                note(latest, key, ins.timestamp(), 0);
              }
            }
            case DmlMessage.Delete del -> {
              for (Object key : del.primaryKeys()) {
                note(latest, key, del.timestamp(), 1);
              }
            }
            case DmlMessage.Flush f -> { }
            case TimeTickMsg t -> { }
          }
          after = m.position().messageId();
        }
      }
    }
    Set<Object> live = new HashSet<>();
    latest.forEach((key, ts) -> {
      if (ts[0] > ts[1]) {
        live.add(key);
      }
    });
    return new PrimaryKeyIndex(live);
  }

  private static void note(Map<Object, long[]> latest, Object key, long ts, int slot) {
    long[] t = latest.computeIfAbsent(key, k -> new long[] {-1, -1});
    t[slot] = Math.max(t[slot], ts);
  }

  boolean contains(Object key) {
    return live.contains(key);
  }

  void add(Object key) {
    live.add(key);
  }

  void remove(Object key) {
    live.remove(key);
  }

  int size() {
    return live.size();
  }
}
