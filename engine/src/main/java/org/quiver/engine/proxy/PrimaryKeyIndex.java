package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MsgPack;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.msgstream.TimeTickMsg;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentKeys;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.OutOfRetentionException;
import org.quiver.storage.segment.PrimaryKeyStats;

/**
 * Which primary keys of one collection are live, so that an INSERT of an existing key fails with
 * 23505, a DELETE writes only keys that exist and an UPSERT deletes only the rows it replaces.
 * Touched only by the manipulation queue's thread.
 *
 * <p>A key is live when its latest insert is at or after its latest delete (an upsert writes both
 * at one timestamp). Memory does not grow with the table:
 * <ul>
 *   <li>the <em>recent</em> keys, exactly: those of the log after the channels' checkpoints (the
 *       growing segments, bounded by the seal thresholds) plus the writes of the tasks since. Once
 *       that map has doubled since it was last built, it is rebuilt from the log, which drops the
 *       keys the data node has flushed since;
 *   <li>per sealed segment, its primary-key statistics (min/max key and a bloom filter of every key
 *       it mentions, about 10 bits a key, persisted with the segment), so that a key absent from
 *       the recent map is looked up only in the segments that may hold it;
 *   <li>the exact keys of the segments a lookup had to open, in a cache bounded by key count.
 * </ul>
 * Every write of a recent key comes later than anything a segment holds of it (the manipulation
 * queue runs in timestamp order, and the log is in that order), so a key in the recent map is
 * decided by that map alone.
 */
final class PrimaryKeyIndex {
  /** The recent map is rebuilt from the log when it grows past twice its built size, or this. */
  private static final int MIN_REBUILD = 1 << 16;
  /** The exact keys of opened segments kept for further lookups, counted in keys. */
  private static final long SEGMENT_KEY_BUDGET = 1L << 21;

  private final CollectionInfo info;
  private final MetaTable meta;
  private final ChannelCheckpoints checkpoints;
  private final SegmentStore segments;
  private final MsgStream stream;
  private Map<Object, long[]> recent;
  private int rebuildAt;
  private final Map<Long, PrimaryKeyStats> stats = new HashMap<>();
  private final LinkedHashMap<Long, SegmentLookup> opened = new LinkedHashMap<>(16, 0.75f, true);
  private long openedKeys;
  /** Segments opened by lookups since the index was built. */
  private long segmentOpens;
  /** Exact lookups of a key in a segment whose statistics said it may hold it. */
  private long segmentProbes;

  private PrimaryKeyIndex(CollectionInfo info, MetaTable meta, ChannelCheckpoints checkpoints,
      SegmentStore segments, MsgStream stream) {
    this.info = info;
    this.meta = meta;
    this.checkpoints = checkpoints;
    this.segments = segments;
    this.stream = stream;
  }

  static PrimaryKeyIndex build(CollectionInfo info, MetaTable meta,
      ChannelCheckpoints checkpoints, SegmentStore segments, MsgStream stream) {
    PrimaryKeyIndex index = new PrimaryKeyIndex(info, meta, checkpoints, segments, stream);
    index.rebuildRecent();
    return index;
  }

  /** Reads the keys of the log after the channels' checkpoints: the growing segments. */
  private void rebuildRecent() {
    Map<Object, long[]> built = new HashMap<>();
    for (String channel : info.channels()) {
      while (true) {
        Map<Object, long[]> keys = new HashMap<>();
        try {
          readRecent(channel, keys);
        } catch (OutOfRetentionException e) {
          // The data node flushed and retention deleted part of the log while it was read: the
          // checkpoint has moved past the deleted messages, into segments; read from it again.
          continue;
        }
        built.putAll(keys);
        break;
      }
    }
    recent = built;
    rebuildAt = Math.max(MIN_REBUILD, 2 * built.size());
  }

  private void readRecent(String channel, Map<Object, long[]> built) {
    long after = checkpoints.of(channel);
    MsgPack batch;
    // Keys alone: a rebuild reads every message after the checkpoint, vectors and all.
    while (!(batch = stream.readKeys(channel, after, 1024)).isEmpty()) {
      for (MsgPack.Entry m : batch.messages()) {
        switch (m.message()) {
          case DmlMessage.Insert ins -> {
            if (meta.partitionAccepts(info.id(), ins.partition(), ins.timestamp())) {
              for (Object key : ins.rows().primaryKeys()) {
                note(built, key, ins.timestamp(), 0);
              }
            }
          }
          case DmlMessage.Delete del -> {
            for (Object key : del.primaryKeys()) {
              note(built, key, del.timestamp(), 1);
            }
          }
          case DmlMessage.Flush f -> { }
          case TimeTickMsg t -> { }
        }
        after = m.position().messageId();
      }
    }
  }

  private static void note(Map<Object, long[]> latest, Object key, long ts, int slot) {
    long[] t = latest.computeIfAbsent(key, k -> new long[] {-1, -1});
    t[slot] = Math.max(t[slot], ts);
  }

  private static boolean live(long[] latest) {
    return latest[0] >= 0 && latest[0] >= latest[1];
  }

  boolean contains(Object key) {
    return !live(List.of(key)).isEmpty();
  }

  /** The live keys among {@code keys}, in the order given. */
  Set<Object> live(Collection<?> keys) {
    Set<Object> out = new LinkedHashSet<>();
    List<SegmentInfo> sealed = null;
    for (Object key : keys) {
      long[] latest = recent.get(key);
      if (latest == null) {
        if (sealed == null) {
          sealed = meta.segments(info.id());
          forgetDropped(sealed);
        }
        latest = inSegments(key, sealed);
      }
      if (live(latest)) {
        out.add(key);
      }
    }
    return out;
  }

  private long[] inSegments(Object key, List<SegmentInfo> sealed) {
    long[] latest = {-1, -1};
    for (SegmentInfo s : sealed) {
      PrimaryKeyStats st = stats.computeIfAbsent(s.id(),
          id -> segments.primaryKeyStats(info.schema(), s));
      if (st.mightContain(key)) {
        segmentProbes++;
        SegmentLookup lookup = open(s);
        lookup.latest(key, latest);
      }
    }
    return latest;
  }

  private SegmentLookup open(SegmentInfo s) {
    SegmentLookup lookup = opened.get(s.id());
    if (lookup == null) {
      lookup = new SegmentLookup(segments.keys(info.schema(), s));
      segmentOpens++;
      opened.put(s.id(), lookup);
      openedKeys += lookup.size();
      Iterator<Map.Entry<Long, SegmentLookup>> eldest = opened.entrySet().iterator();
      while (openedKeys > SEGMENT_KEY_BUDGET && opened.size() > 1) {
        openedKeys -= eldest.next().getValue().size();
        eldest.remove();
      }
    }
    return lookup;
  }

  /** Drops what is cached of segments that are no longer in the catalog (dropped, compacted). */
  private void forgetDropped(List<SegmentInfo> sealed) {
    if (stats.size() <= sealed.size()) {
      return;
    }
    Set<Long> ids = new HashSet<>();
    sealed.forEach(s -> ids.add(s.id()));
    stats.keySet().retainAll(ids);
    Iterator<Map.Entry<Long, SegmentLookup>> it = opened.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, SegmentLookup> e = it.next();
      if (!ids.contains(e.getKey())) {
        openedKeys -= e.getValue().size();
        it.remove();
      }
    }
  }

  /** Records an insert of {@code key} at {@code ts}, once it is in the log. */
  void inserted(Object key, long ts) {
    note(recent, key, ts, 0);
  }

  /** Records a delete of {@code key} at {@code ts}, once it is in the log. */
  void deleted(Object key, long ts) {
    note(recent, key, ts, 1);
  }

  /** Rebuilds the recent map from the log if it has grown enough; call between tasks. */
  void trim() {
    if (recent.size() > rebuildAt) {
      rebuildRecent();
    }
  }

  /** Keys held exactly in memory: the recent map and the opened segments. */
  long keysInMemory() {
    return recent.size() + openedKeys;
  }

  long segmentOpens() {
    return segmentOpens;
  }

  long segmentProbes() {
    return segmentProbes;
  }

  /** One segment's keys, sorted, with the latest insert and delete time of each. */
  private static final class SegmentLookup {
    private final Object[] keys;
    private final long[] insertTs;
    private final long[] deleteTs;

    SegmentLookup(SegmentKeys segment) {
      Map<Object, long[]> latest = new HashMap<>();
      for (int i = 0; i < segment.inserted().length; i++) {
        note(latest, segment.inserted()[i], segment.insertTs()[i], 0);
      }
      for (int i = 0; i < segment.deleted().length; i++) {
        note(latest, segment.deleted()[i], segment.deleteTs()[i], 1);
      }
      keys = latest.keySet().toArray();
      Arrays.sort(keys);
      insertTs = new long[keys.length];
      deleteTs = new long[keys.length];
      for (int i = 0; i < keys.length; i++) {
        long[] t = latest.get(keys[i]);
        insertTs[i] = t[0];
        deleteTs[i] = t[1];
      }
    }

    int size() {
      return keys.length;
    }

    /** Raises {@code latest} to this segment's insert and delete time of {@code key}. */
    void latest(Object key, long[] latest) {
      int i = Arrays.binarySearch(keys, key);
      if (i >= 0) {
        latest[0] = Math.max(latest[0], insertTs[i]);
        latest[1] = Math.max(latest[1], deleteTs[i]);
      }
    }
  }
}
