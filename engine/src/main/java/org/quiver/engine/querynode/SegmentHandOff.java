package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.segment.FlushedSegment;

/**
 * Swaps a loaded collection's segment sets when they change elsewhere: a seal from the data node
 * replaces the growing rows it covers, a compaction's merged segment replaces the segments it
 * merges, and a dropped partition's rows go. Segments are mapped before the collection's write
 * lock is taken and added under it, so searches in flight finish on the old set first.
 *
 * <p>Holds no state of its own: it changes the collection's, under the collection's write lock.
 */
final class SegmentHandOff {
  private final LoadedCollections collections;
  private final CollectionLoader loader;
  private final IndexAttacher indexes;

  SegmentHandOff(LoadedCollections collections, CollectionLoader loader, IndexAttacher indexes) {
    this.collections = collections;
    this.loader = loader;
    this.indexes = indexes;
  }

  /** See {@link QueryNode#segmentsFlushed}. */
  void segmentsFlushed(List<SegmentInfo> seal) {
    if (seal.isEmpty()) {
      return;
    }
    LoadedCollection lc = collections.get(seal.getFirst().collectionId());
    if (lc == null) {
      return;
    }
    List<FlushedSegment> data = new ArrayList<>(seal.size());
    try {
      for (SegmentInfo segment : seal) {
        data.add(loader.read(lc, segment));
      }
    } catch (RuntimeException e) {
      data.forEach(FlushedSegment::release);
      throw e;
    }
    lc.lock.writeLock().lock();
    try {
      boolean current = collections.isCurrent(lc);
      for (int i = 0; i < seal.size(); i++) {
        SegmentInfo segment = seal.get(i);
        if (!current || lc.holdsSegment(segment.id())) {
          data.get(i).release();
        } else {
          lc.addSealed(segment, data.get(i));
        }
      }
      if (current) {
        // A seal writes every partition's buffered rows: it covers all growing rows up to it.
        long last = seal.getFirst().lastMessageId();
        String channel = seal.getFirst().channel();
        lc.growing().sealed(channel, last);
        loader.sealed(lc, channel, last);
      }
    } finally {
      lc.lock.writeLock().unlock();
    }
  }

  /** See {@link QueryNode#partitionDropped}. */
  void partitionDropped(long collectionId, String partition) {
    LoadedCollection lc = collections.get(collectionId);
    if (lc == null) {
      return;
    }
    lc.lock.writeLock().lock();
    try {
      lc.partitionDropped(partition);
    } finally {
      lc.lock.writeLock().unlock();
    }
  }

  /** See {@link QueryNode#segmentsCompacted}. */
  void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    LoadedCollection lc = collections.get(merged.collectionId());
    if (lc == null) {
      return;
    }
    FlushedSegment data = loader.read(lc, merged);
    lc.lock.writeLock().lock();
    try {
      if (!collections.isCurrent(lc)) {
        data.release();
        return;
      }
      Set<Long> gone = new HashSet<>();
      replaced.forEach(s -> gone.add(s.id()));
      lc.removeSealed(gone);
      if (!lc.holdsSegment(merged.id())) {
        lc.addSealed(merged, data);
        indexes.attachBuilt(lc, merged);
      } else {
        data.release();
      }
    } finally {
      lc.lock.writeLock().unlock();
    }
  }
}
