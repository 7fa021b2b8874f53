package org.quiver.engine.datanode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.ColumnBatches;

/**
 * Merges the sealed segments of a channel into one and purges what no read can see any more.
 *
 * <p>Segments are merged per channel and partition, so a merged segment stays in its partition.
 * A read is never older than the purge horizon (now minus the retention window). A row
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
   * Plans and writes the merges of a collection, one per (channel, partition) whose segments are
   * worth it: more than one segment, or something at or below {@code horizonTs} to purge. Rows
   * are purged against the deletes of every segment of their channel (deletes are written to the
   * default partition's segments, whatever partition holds the key). The merges are returned with
   * the default partition's last: only it drops delete records, so swapping it after the others
   * means a crash between swaps never leaves a row whose delete is gone.
   */
  public List<Merge> merge(CollectionInfo info, long horizonTs) {
    Map<String, List<SegmentInfo>> byChannel = new HashMap<>();
    for (SegmentInfo s : meta.segments(info.id())) {
      byChannel.computeIfAbsent(s.channel(), c -> new ArrayList<>()).add(s);
    }
    List<Merge> merges = new ArrayList<>();
    List<Merge> defaults = new ArrayList<>();
    for (List<SegmentInfo> channelSegments : byChannel.values()) {
      Map<Long, FlushedSegment> data = new HashMap<>();
      Map<Object, List<Long>> deletes = new HashMap<>();
      for (SegmentInfo s : channelSegments) {
        FlushedSegment d = store.read(info.schema(), s);
        data.put(s.id(), d);
        for (int i = 0; i < d.deletedKeys().length; i++) {
          deletes.computeIfAbsent(d.deletedKeys()[i], k -> new ArrayList<>()).add(d.deleteTs()[i]);
        }
      }
      Map<String, List<SegmentInfo>> byPartition = new HashMap<>();
      for (SegmentInfo s : channelSegments) {
        byPartition.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s);
      }
      for (Map.Entry<String, List<SegmentInfo>> group : byPartition.entrySet()) {
        List<SegmentInfo> segments = group.getValue();
        segments.sort(Comparator.comparingLong(SegmentInfo::firstMessageId));
        Merge m = mergeGroup(info, group.getKey(), segments, data, deletes, horizonTs);
        if (m != null) {
          (group.getKey().equals(PartitionInfo.DEFAULT) ? defaults : merges).add(m);
        }
      }
    }
    merges.addAll(defaults);
    return merges;
  }

  private Merge mergeGroup(CollectionInfo info, String partition, List<SegmentInfo> segments,
      Map<Long, FlushedSegment> data, Map<Object, List<Long>> deletes, long horizonTs) {
    boolean purgeable = false;
    for (SegmentInfo s : segments) {
      FlushedSegment d = data.get(s.id());
      for (long ts : d.deleteTs()) {
        purgeable |= ts <= horizonTs;
      }
      Object[] keys = d.rows().primaryKeys();
      for (int r = 0; r < keys.length && !purgeable; r++) {
        purgeable = hiddenAt(deletes.get(keys[r]), d.insertTs()[r], horizonTs);
      }
    }
    if (segments.size() < 2 && !purgeable) {
      return null;
    }
    List<ColumnBatch> kept = new ArrayList<>();
    List<Long> keptTs = new ArrayList<>();
    List<Object> deletedKeys = new ArrayList<>();
    List<Long> deleteTs = new ArrayList<>();
    long rowsPurged = 0;
    long deletesPurged = 0;
    for (SegmentInfo s : segments) {
      FlushedSegment d = data.get(s.id());
      Object[] keys = d.rows().primaryKeys();
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
      // On a channel every row a delete at or below the horizon hides was written before it, so
      // lies in a sealed segment of the channel, and is purged in this compaction.
      for (int i = 0; i < d.deletedKeys().length; i++) {
        if (d.deleteTs()[i] <= horizonTs) {
          deletesPurged++;
        } else {
          deletedKeys.add(d.deletedKeys()[i]);
          deleteTs.add(d.deleteTs()[i]);
        }
      }
    }
    ColumnBatch rows = ColumnBatches.concat(info.schema(), kept);
    long id = ids.next();
    String directory = SegmentInfo.directoryOf(info.id(), partition, id);
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
