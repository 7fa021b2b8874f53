package org.quiver.engine.datanode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.SegmentInfo;
import org.quiver.engine.segment.ColumnBatches;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.schema.ColumnBatch;

/**
 * Merges the sealed segments of a channel into one and purges what no read can see any more.
 *
 * <p>A read is never older than the purge horizon (now minus the retention window). A row
 * inserted at {@code t} and deleted at {@code d} with {@code t < d <= horizon} is invisible to
 * every such read, so it is dropped, and so is every delete record at or below the horizon: on a
 * channel the log is in timestamp order, so every row such a delete can hide was written before it
 * and lies in the segments merged. Rows and deletes above the horizon are kept with their
 * timestamps, so time travel inside the window reads the same before and after.
 *
 * <p>This class only writes the merged segment; the caller swaps it into the catalog and the query
 * node and removes the old files (see the proxy's compaction task).
 */
public final class Compactor {
  private final MetaTable meta;
  private final SegmentStore store;
  private final IdAllocator ids;

  public Compactor(MetaTable meta, SegmentStore store, IdAllocator ids) {
    this.meta = meta;
    this.store = store;
    this.ids = ids;
  }

  /** A merge written to disk and not yet in the catalog. */
  public record Merge(List<SegmentInfo> replaced, SegmentInfo merged, long rowsPurged,
      long deletesPurged) {}

  /**
   * Plans and writes the merges of a collection, one per channel whose segments are worth it:
   * more than one segment, or a delete at or below {@code horizonTs} to purge.
   */
  public List<Merge> merge(CollectionInfo info, long horizonTs) {
    Map<String, List<SegmentInfo>> byChannel = new HashMap<>();
    for (SegmentInfo s : meta.segments(info.id())) {
      byChannel.computeIfAbsent(s.channel(), c -> new ArrayList<>()).add(s);
    }
    List<Merge> merges = new ArrayList<>();
    for (List<SegmentInfo> segments : byChannel.values()) {
      segments.sort(Comparator.comparingLong(SegmentInfo::firstMessageId));
      Merge m = mergeChannel(info, segments, horizonTs);
      if (m != null) {
        merges.add(m);
      }
    }
    return merges;
  }

  private Merge mergeChannel(CollectionInfo info, List<SegmentInfo> segments, long horizonTs) {
    List<FlushedSegment> data = new ArrayList<>();
    Map<Object, List<Long>> deletes = new HashMap<>();
    boolean purgeable = false;
    for (SegmentInfo s : segments) {
      FlushedSegment d = store.read(info.schema(), s);
      data.add(d);
      for (int i = 0; i < d.deletedKeys().length; i++) {
        deletes.computeIfAbsent(d.deletedKeys()[i], k -> new ArrayList<>()).add(d.deleteTs()[i]);
        purgeable |= d.deleteTs()[i] <= horizonTs;
      }
    }
    if (segments.size() < 2 && !purgeable) {
      return null;
    }
    int pk = info.schema().primaryKeyIndex();
    List<ColumnBatch> kept = new ArrayList<>();
    List<Long> keptTs = new ArrayList<>();
    long rowsPurged = 0;
    for (FlushedSegment d : data) {
      Object[] keys = d.rows().scalars(pk);
      int[] rows = new int[keys.length];
      int n = 0;
      for (int r = 0; r < keys.length; r++) {
        if (hiddenAt(deletes.get(keys[r]), d.insertTs()[r], horizonTs)) {
          rowsPurged++;
        } else {
          rows[n++] = r;
          keptTs.add(d.insertTs()[r]);
        }
      }
      kept.add(ColumnBatches.select(d.rows(), java.util.Arrays.copyOf(rows, n)));
    }
    List<Object> deletedKeys = new ArrayList<>();
    List<Long> deleteTs = new ArrayList<>();
    long deletesPurged = 0;
    for (Map.Entry<Object, List<Long>> e : deletes.entrySet()) {
      for (long ts : e.getValue()) {
        if (ts <= horizonTs) {
          deletesPurged++;
        } else {
          deletedKeys.add(e.getKey());
          deleteTs.add(ts);
        }
      }
    }
    ColumnBatch rows = ColumnBatches.concat(info.schema(), kept);
    long id = ids.next();
    String directory = "segments/" + info.id() + "/_default/" + id;
    store.write(info.schema(), directory, id, rows,
        keptTs.stream().mapToLong(Long::longValue).toArray(), deletedKeys.toArray(),
        deleteTs.stream().mapToLong(Long::longValue).toArray());
    SegmentInfo first = segments.get(0);
    SegmentInfo merged = new SegmentInfo(id, info.id(), first.channel(), rows.rowCount(),
        deletedKeys.size(), first.firstMessageId(),
        segments.stream().mapToLong(SegmentInfo::lastMessageId).max().orElseThrow(), directory);
    return new Merge(List.copyOf(segments), merged, rowsPurged, deletesPurged);
  }

  /** Whether a delete in {@code deleteTimes} hides a row inserted at {@code insertTs} from every read at or after the horizon. */
  private static boolean hiddenAt(List<Long> deleteTimes, long insertTs, long horizonTs) {
    if (deleteTimes == null) {
      return false;
    }
    for (long d : deleteTimes) {
      if (insertTs < d && d <= horizonTs) {
        return true;
      }
    }
    return false;
  }
}
