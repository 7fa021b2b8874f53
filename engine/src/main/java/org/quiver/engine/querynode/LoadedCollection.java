package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.quiver.engine.api.catalog.CollectionInfo;

/**
 * One collection as a query node holds it: sealed segments, the growing rows it follows on each
 * DML channel, and the deletes. Searches hold the read lock; applying log messages and segment
 * hand-offs hold the write lock.
 */
final class LoadedCollection {
  final CollectionInfo info;
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  final List<RowSet> sealed = new ArrayList<>();
  /** Per channel: rows of messages not yet in a sealed segment, in message order. */
  final Map<String, List<RowSet>> growing = new HashMap<>();
  /** Per channel: id of the last message applied (in a sealed segment or a growing row set). */
  final Map<String, Long> positions = new HashMap<>();
  final DeleteRecords deletes = new DeleteRecords();
  /**
   * Per channel: tSafe, the time tick up to which every message of the channel is applied here.
   * Written under the write lock; read without it.
   */
  final Map<String, Long> tSafe = new java.util.concurrent.ConcurrentHashMap<>();
  /** Set while {@link QueryNode#load} reads the sealed segments: segments read of how many. */
  volatile boolean loading = true;
  /** Set by {@link #close}: a read that waited for the lock finds nothing held any more. */
  volatile boolean closed;
  volatile int segmentsRead;
  volatile int segmentsToRead;
  /** Ids of the sealed segments held, so a segment handed over twice is added once. */
  final java.util.Set<Long> segmentIds = new java.util.HashSet<>();
  /** Per sealed segment, its built indexes by index id. */
  final Map<Long, Map<Long, LoadedIndex>> indexes = new HashMap<>();
  /**
   * Partitions not loaded (RELEASE TABLE ... PARTITION): their rows are not held, sealed or
   * growing, but their deletes are, since a delete may hide a row of any partition. Changed under
   * the write lock.
   */
  final java.util.Set<String> released = new java.util.HashSet<>();

  LoadedCollection(CollectionInfo info, java.util.Set<String> released) {
    this.info = info;
    this.released.addAll(released);
    for (String channel : info.channels()) {
      growing.put(channel, new ArrayList<>());
      positions.put(channel, -1L);
      tSafe.put(channel, 0L);
    }
  }

  /**
   * Lets go of a partition's sealed row sets (unmapping them, closing their indexes) and growing
   * rows. Their segment ids stay recorded, so that a hand-off of the same segment does not bring
   * them back. Call with the write lock held.
   */
  void dropRows(String partition) {
    sealed.removeIf(rs -> {
      if (!rs.partition().equals(partition)) {
        return false;
      }
      Map<Long, LoadedIndex> of = indexes.remove(rs.segmentId());
      if (of != null) {
        of.values().forEach(LoadedCollection::closeQuietly);
      }
      if (rs.mapping() != null) {
        rs.mapping().retire();
      }
      return true;
    });
    growing.values().forEach(list -> list.removeIf(rs -> rs.partition().equals(partition)));
  }

  /** Every row set, sealed first. Call with a lock held. */
  List<RowSet> rowSets() {
    List<RowSet> all = new ArrayList<>(sealed);
    growing.values().forEach(all::addAll);
    return all;
  }

  long rowCountEstimate() {
    return rowSets().stream().mapToLong(RowSet::size).sum();
  }

  /** An index of one segment, open for search. */
  record LoadedIndex(org.quiver.engine.api.catalog.IndexInfo info,
      org.quiver.storage.index.VectorIndex index, long maxInsertTs) {}

  /** The segment's index on {@code field} built for {@code metric}, or null. */
  LoadedIndex index(long segmentId, String field, org.quiver.storage.index.IndexMetric metric) {
    Map<Long, LoadedIndex> of = indexes.get(segmentId);
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

  void closeIndexes() {
    indexes.values().forEach(of -> of.values().forEach(LoadedCollection::closeQuietly));
    indexes.clear();
  }

  /**
   * Closes the indexes and unmaps the sealed segments; the collection is unusable afterwards. Call
   * with the write lock held, so that no search reads a segment while it is unmapped.
   */
  void close() {
    closed = true;
    closeIndexes();
    for (RowSet rs : sealed) {
      if (rs.mapping() != null) {
        rs.mapping().retire();
      }
    }
    sealed.clear();
  }

  static void closeQuietly(LoadedIndex index) {
    try {
      index.index().close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
