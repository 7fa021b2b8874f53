package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * One collection as a query node holds it: sealed segments, the growing rows it follows on each
 * DML channel ({@link GrowingData}), the indexes open on its segments ({@link SegmentIndexes}),
 * the deletes, the released partitions and the progress of its load.
 *
 * <p>{@link #lock} guards its state: searches hold the read lock; applying log messages and
 * segment hand-offs hold the write lock. The load progress and {@link #isClosed} are volatile and
 * read without it; tSafe is read without it (see {@link GrowingData}).
 */
final class LoadedCollection {
  final CollectionInfo info;
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /**
   * The part of the table this node holds (everything in a single process); changed under the
   * write lock, volatile for the loader's choice of what to read before it takes the lock.
   */
  private volatile SegmentAssignment share;
  /** Where a load of the table starts (its segments and checkpoints), read again by a reload. */
  final Supplier<ChannelCheckpoints.LoadPoint> start;
  /**
   * The sealed segments' rows, by segment id: the order in which every read goes through them
   * (then the growing rows), so that ties rank alike in one process and over query nodes that
   * each hold some of the segments.
   */
  private final List<RowSet> sealed = new ArrayList<>();
  /** Ids of the sealed segments held, so a segment handed over twice is added once. */
  private final Set<Long> segmentIds = new HashSet<>();
  private final GrowingData growing;
  private final SegmentIndexes indexes = new SegmentIndexes();
  private final DeleteRecords deletes = new DeleteRecords();
  /**
   * Partitions not loaded (RELEASE TABLE ... PARTITION): their rows are not held, sealed or
   * growing, but their deletes are, since a delete may hide a row of any partition.
   */
  private final Set<String> released = new HashSet<>();
  /** Set while the loader reads the sealed segments: segments read of how many. */
  private volatile boolean loading = true;
  /** Set by {@link #close}: a read that waited for the lock finds nothing held any more. */
  private volatile boolean closed;
  private volatile int segmentsRead;
  private volatile int segmentsToRead;

  LoadedCollection(CollectionInfo info, Set<String> released, SegmentAssignment share,
      Supplier<ChannelCheckpoints.LoadPoint> start) {
    this.info = info;
    this.share = share;
    this.start = start;
    this.released.addAll(released);
    this.growing = new GrowingData(info.channels());
  }

  GrowingData growing() {
    return growing;
  }

  SegmentIndexes indexes() {
    return indexes;
  }

  DeleteRecords deletes() {
    return deletes;
  }

  /** Starts reading {@code count} sealed segments. Call with the write lock held. */
  void startReading(int count) {
    segmentsToRead = count;
  }

  /** Counts one sealed segment read (or found damaged) by the load. */
  void segmentRead() {
    segmentsRead++;
  }

  /** Ends the load's reading of sealed segments, successful or not. */
  void finishLoading() {
    loading = false;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Whether the sealed segment {@code segmentId} was added (its rows may since be let go, or be
   * another node's share).
   */
  boolean holdsSegment(long segmentId) {
    return segmentIds.contains(segmentId);
  }

  /** The ids of the sealed segments added, a copy. Call with a lock held. */
  Set<Long> segmentIds() {
    return Set.copyOf(segmentIds);
  }

  SegmentAssignment share() {
    return share;
  }

  /**
   * Holds a smaller part from now on: lets go of the rows and indexes of the sealed segments
   * {@code share} no longer gives this node, keeping their ids and deletes (a segment whose rows
   * come back is loaded anew). Call with the write lock held, when {@code share} gives this node
   * nothing it did not hold.
   */
  void shrinkTo(SegmentAssignment share) {
    this.share = share;
    dropSealed(rs -> !share.holdsSegment(rs.segmentId()));
  }

  /** Whether this node holds the rows of {@code segment} (its deletes it holds in any case). */
  boolean holdsRowsOf(SegmentInfo segment) {
    return share.holdsSegment(segment.id()) && !released.contains(segment.partition());
  }

  /** Whether this node keeps the growing rows (the insert messages after the segments). */
  boolean holdsGrowing() {
    return share.holdsGrowing(info.id());
  }

  /** The held rows of sealed segment {@code segmentId}, or null. Call with a lock held. */
  RowSet sealedRows(long segmentId) {
    return sealed.stream().filter(r -> r.segmentId() == segmentId).findFirst().orElse(null);
  }

  /**
   * Adds a sealed segment: its rows (unless its partition is released or it has none), its
   * deletes, and its last message as the channel's position. Call with the write lock held.
   */
  void addSealed(SegmentInfo segment, FlushedSegment data) {
    segmentIds.add(segment.id());
    // A released partition's segment, or another node's, contributes its deletes only.
    if (data.rows().rowCount() > 0 && holdsRowsOf(segment)) {
      int at = 0;
      while (at < sealed.size() && sealed.get(at).segmentId() < segment.id()) {
        at++;
      }
      sealed.add(at, new RowSet(data.rows(), data.insertTs(), segment.lastMessageId(),
          segment.id(), new SegmentMapping(data.mapping()), segment.partition()));
    } else {
      data.release();
    }
    for (int i = 0; i < data.deletedKeys().length; i++) {
      deletes.add(data.deletedKeys()[i], data.deleteTs()[i]);
    }
    growing.coveredBySegment(segment.channel(), segment.lastMessageId());
  }

  /**
   * Lets go of the sealed segments {@code gone} (retiring their mappings, closing their indexes)
   * and forgets their ids. Call with the write lock held.
   */
  void removeSealed(Set<Long> gone) {
    sealed.removeIf(rs -> {
      if (gone.contains(rs.segmentId()) && rs.mapping() != null) {
        rs.mapping().retire();
      }
      return gone.contains(rs.segmentId());
    });
    for (Long id : gone) {
      indexes.dropSegment(id);
      segmentIds.remove(id);
    }
  }

  /** The released partitions, a copy. Call with a lock held. */
  Set<String> released() {
    return Set.copyOf(released);
  }

  boolean isReleased(String partition) {
    return released.contains(partition);
  }

  /** Whether every partition released here is in {@code partitions}. Call with a lock held. */
  boolean releasedWithin(Set<String> partitions) {
    return partitions.containsAll(released);
  }

  /** Releases a partition and lets go of its rows, if not released yet. Write lock held. */
  void release(String partition) {
    if (released.add(partition)) {
      dropRows(partition);
    }
  }

  /** Lets go of a dropped partition's rows; it is no longer released. Write lock held. */
  void partitionDropped(String partition) {
    dropRows(partition);
    released.remove(partition);
  }

  /**
   * Lets go of a partition's sealed row sets (unmapping them, closing their indexes) and growing
   * rows. Their segment ids stay recorded, so that a hand-off of the same segment does not bring
   * them back.
   */
  private void dropRows(String partition) {
    dropSealed(rs -> rs.partition().equals(partition));
    growing.dropPartition(partition);
  }

  /**
   * Lets go of the sealed row sets that {@code which} picks: closes their indexes and retires
   * their mappings. Their segment ids stay recorded. Write lock held.
   */
  private void dropSealed(Predicate<RowSet> which) {
    sealed.removeIf(rs -> {
      if (!which.test(rs)) {
        return false;
      }
      indexes.dropSegment(rs.segmentId());
      if (rs.mapping() != null) {
        rs.mapping().retire();
      }
      return true;
    });
  }

  /** Every row set, sealed first. Call with a lock held. */
  List<RowSet> rowSets() {
    List<RowSet> all = new ArrayList<>(sealed);
    growing.addTo(all);
    return all;
  }

  /**
   * MVCC visibility in one place, for every read path: row {@code r} of {@code rs} is seen at
   * {@code readTs} when it was inserted at or before it, no delete {@code d} with {@code insert < d
   * <= readTs} hides its key, and it passes {@code filter}.
   */
  IntPredicate visibleRows(RowSet rs, int pk, RowPredicate filter, long readTs) {
    ColumnBatch rows = rs.rows();
    long[] ts = rs.insertTs();
    if (deletes.isEmpty()) {
      return filter == RowPredicate.ALL ? r -> ts[r] <= readTs
          : r -> ts[r] <= readTs && filter.test(rows, r);
    }
    Column keys = rows.column(pk);
    return r -> ts[r] <= readTs && !deletes.hides(keys.get(r), ts[r], readTs)
        && (filter == RowPredicate.ALL || filter.test(rows, r));
  }

  /**
   * The load state and memory of one partition ({@code partition} null: of the whole collection,
   * with its delete records). Read without the lock while a load is in progress (the load holds
   * it); the figures are then those of the moment.
   */
  LoadState loadState(String partition) {
    if (loading) {
      int total = segmentsToRead;
      return new LoadState("loading", total == 0 ? 0 : 100 * segmentsRead / total, 0, 0);
    }
    lock.readLock().lock();
    try {
      long heap = 0;
      long mapped = 0;
      for (RowSet rs : rowSets()) {
        if (partition != null && !rs.partition().equals(partition)) {
          continue;
        }
        ColumnBatch rows = rs.rows();
        heap += (long) rs.size() * Long.BYTES;
        for (int c = 0; c < rows.schema().size(); c++) {
          FieldSchema f = rows.schema().fields().get(c);
          if (f.type() == DataType.BINARY_VECTOR) {
            heap += (long) rs.size() * DataType.bitBytes(f.dimension());
          } else if (rows.column(c) instanceof SparseVectorColumn sparse) {
            // An offset a row, an index and a value an element.
            heap += (long) rs.size() * Integer.BYTES
                + (long) sparse.totalNonZeros() * (Integer.BYTES + Float.BYTES);
          } else if (!f.isVector()) {
            // A value and a NULL bit per row, more for a string: an estimate.
            heap += (long) rs.size() * 24;
          } else if (rows.mapped(c) != null) {
            mapped += rs.size() * rows.mapped(c).rowBytes();
          } else {
            heap += (long) rs.size() * f.dimension() * Float.BYTES;
          }
        }
      }
      if (partition == null) {
        heap += deletes.size() * 48L;
      }
      // A released partition's bytes are measured too, and are 0 unless it leaked.
      boolean isReleased = partition != null && released.contains(partition);
      return isReleased ? new LoadState(LoadState.NOT_LOADED.state(), 0, heap, mapped)
          : new LoadState("loaded", 100, heap, mapped);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Closes the indexes and unmaps the sealed segments; the collection is unusable afterwards. Call
   * with the write lock held, so that no search reads a segment while it is unmapped.
   */
  void close() {
    closed = true;
    indexes.closeAll();
    for (RowSet rs : sealed) {
      if (rs.mapping() != null) {
        rs.mapping().retire();
      }
    }
    sealed.clear();
  }
}
