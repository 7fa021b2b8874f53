package org.quiver.engine.querynode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SegmentIndex;

/**
 * The built indexes a loaded collection holds open, per sealed segment and index id. Guarded by
 * the owning collection's lock: changed under its write lock, read under either lock.
 */
final class SegmentIndexes {
  /** An index of one segment, open for search; {@code maxInsertTs} is its newest row's insert. */
  record LoadedIndex(IndexInfo info, SegmentIndex index, long maxInsertTs) {}

  private final Map<Long, Map<Long, LoadedIndex>> bySegment = new HashMap<>();

  /** Whether the segment's index {@code indexId} is open. */
  boolean has(long segmentId, long indexId) {
    Map<Long, LoadedIndex> of = bySegment.get(segmentId);
    return of != null && of.containsKey(indexId);
  }

  void put(long segmentId, LoadedIndex index) {
    bySegment.computeIfAbsent(segmentId, s -> new HashMap<>()).put(index.info().id(), index);
  }

  /** The segment's index on {@code field} built for {@code metric}, or null. */
  LoadedIndex find(long segmentId, String field, IndexMetric metric) {
    Map<Long, LoadedIndex> of = bySegment.get(segmentId);
    if (of == null) {
      return null;
    }
    for (LoadedIndex i : of.values()) {
      if (i.info().field().equals(field) && i.info().metric() == metric) {
        return i;
      }
    }
    return null;
  }

  /** Closes and forgets index {@code indexId} of every segment (the index was dropped). */
  void detach(long indexId) {
    for (Map<Long, LoadedIndex> of : bySegment.values()) {
      LoadedIndex removed = of.remove(indexId);
      if (removed != null) {
        close(removed);
      }
    }
  }

  /** Closes and forgets every index of a segment the collection no longer holds. */
  void dropSegment(long segmentId) {
    Map<Long, LoadedIndex> of = bySegment.remove(segmentId);
    if (of != null) {
      of.values().forEach(SegmentIndexes::close);
    }
  }

  void closeAll() {
    bySegment.values().forEach(of -> of.values().forEach(SegmentIndexes::close));
    bySegment.clear();
  }

  /** Bytes index {@code indexId} holds on the heap over every segment. */
  long heapBytes(long indexId) {
    long bytes = 0;
    for (Map<Long, LoadedIndex> of : bySegment.values()) {
      LoadedIndex i = of.get(indexId);
      bytes += i == null ? 0 : i.index().heapBytes();
    }
    return bytes;
  }

  private static void close(LoadedIndex index) {
    try {
      index.index().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
