package org.quiver.engine.querynode;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MsgPack;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.msgstream.TimeTickMsg;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;

/**
 * Loads a collection (its flushed segments, then the log after them), replays the log into its
 * growing data, releases it, and owns the query node's consumer group (its name given by the node) on
 * the channels of every table it holds: created at the load, moved to the last message a seal
 * covers, destroyed at the release, so that retention keeps every message the node may still read.
 *
 * <p>Locks: a load holds the new collection's write lock while it reads the segments (searches
 * wait for it), then the replaced collection's write lock to close it; a replay holds the
 * collection's write lock per channel while it applies that channel's messages.
 */
final class CollectionLoader {
  private static final int READ_BATCH = 1024;

  private final LoadedCollections collections;
  private final MetaTable meta;
  private final MessageQueue mq;
  private final ChannelCheckpoints checkpoints;
  private final SegmentStore segments;
  private final IndexAttacher indexes;
  /** The node's consumer group on every channel it follows. */
  private final String group;
  /** The part of each table this node holds, for the tables it loads from now on. */
  private volatile SegmentAssignment share = SegmentAssignment.WHOLE;

  CollectionLoader(LoadedCollections collections, MetaTable meta, MessageQueue mq,
      ChannelCheckpoints checkpoints, SegmentStore segments, IndexAttacher indexes, String group) {
    this.collections = collections;
    this.group = group;
    this.meta = meta;
    this.mq = mq;
    this.checkpoints = checkpoints;
    this.segments = segments;
    this.indexes = indexes;
  }

  /** See {@link QueryNode#load}. */
  void load(CollectionInfo info) {
    // Created before the load point is read, at or before the data node's checkpoint: retention
    // stops at it from then on, so the log after the checkpoint the load replays from stays.
    info.channels().forEach(channel -> mq.createConsumerGroup(group, channel));
    load(info, () -> {
      ChannelCheckpoints.LoadPoint point = checkpoints.loadPoint(info);
      point.checkpoints().forEach((channel, id) -> mq.savePosition(group, channel, id));
      return point;
    }, meta.releasedPartitions(info.id()), false);
  }

  /** See {@link QueryNode#loadRetained}. */
  void loadRetained(DroppedCollection dropped) {
    if (!collections.isLoaded(dropped.collection().id())) {
      // No group: the dropped table's data node group stays at these checkpoints until the purge.
      ChannelCheckpoints.LoadPoint start = new ChannelCheckpoints.LoadPoint(dropped.segments(),
          dropped.checkpoints());
      load(dropped.collection(), () -> start, Set.of(), false);
    }
  }

  /**
   * Holds {@code share} of every table from now on (see {@link QueryNode#assign}): a table whose
   * part only shrinks lets go of the rest in place; one that gains segments, or whose growing rows
   * come or go, is loaded anew from where its load started.
   */
  void assign(SegmentAssignment share) {
    this.share = share;
    for (long id : collections.ids()) {
      LoadedCollection lc = collections.get(id);
      if (lc == null) {
        continue;
      }
      boolean shrinks;
      Set<String> released;
      lc.lock.writeLock().lock();
      try {
        shrinks = lc.share().coversShare(share, id, lc.segmentIds());
        if (shrinks) {
          lc.shrinkTo(share);
        }
        released = lc.released();
      } finally {
        lc.lock.writeLock().unlock();
      }
      if (!shrinks) {
        load(lc.info, lc.start, released, true);
      }
    }
  }

  /**
   * Loads from the segments and checkpoints that {@code start} reads once the new collection is
   * registered: a seal or compaction that the catalog records before that read is in it, and one
   * recorded after is handed to the new collection, never only to the one it replaces. Unless
   * {@code anew}, a collection held already only releases the partitions it must.
   */
  private void load(CollectionInfo info, Supplier<ChannelCheckpoints.LoadPoint> start,
      Set<String> released, boolean anew) {
    LoadedCollection current = collections.get(info.id());
    if (current != null && !anew) {
      current.lock.writeLock().lock();
      try {
        if (current.releasedWithin(released) && current.share().equals(share)) {
          released.forEach(current::release);
          return;
        }
      } finally {
        current.lock.writeLock().unlock();
      }
    }
    LoadedCollection lc = new LoadedCollection(info, released, share, start);
    // The files are read anew: damage found before (a file since restored) is found again or not.
    segments.damage().forget(info.id());
    lc.lock.writeLock().lock();
    try {
      if (current == null ? !collections.register(lc) : !collections.replace(current, lc)) {
        return;
      }
      ChannelCheckpoints.LoadPoint point = start.get();
      List<SegmentInfo> toRead = point.segments();
      for (String channel : info.channels()) {
        lc.growing().startAt(channel, point.checkpoints().getOrDefault(channel, -1L));
      }
      lc.startReading(toRead.size());
      for (SegmentInfo segment : toRead) {
        if (!lc.holdsSegment(segment.id())) {
          try {
            lc.addSealed(segment, read(lc, segment));
          } catch (QuiverException e) {
            if (e.code() != ErrorCode.DATA_CORRUPTED) {
              throw e;
            }
            // Recorded in the damage log: the table loads, its reads fail with XX001, and the
            // other tables are not held back.
            lc.segmentRead();
            continue;
          }
        }
        lc.segmentRead();
        indexes.attachBuilt(lc, segment);
      }
    } catch (RuntimeException e) {
      collections.forget(lc);
      lc.close();
      throw e;
    } finally {
      lc.finishLoading();
      lc.lock.writeLock().unlock();
    }
    if (current != null) {
      current.lock.writeLock().lock();
      try {
        current.close();
      } finally {
        current.lock.writeLock().unlock();
      }
    }
    catchUp(info);
  }

  /**
   * A sealed segment as {@code lc} holds it: mapped when it is this node's share, else its deletes
   * alone. Call without the collection's lock (a segment may be fetched from the object store).
   */
  FlushedSegment read(LoadedCollection lc, SegmentInfo segment) {
    return lc.share().holdsSegment(segment.id()) ? segments.map(lc.info.schema(), segment)
        : segments.deletesOf(lc.info.schema(), segment);
  }

  /** Lets go of a collection and of its consumer groups, so the log no longer keeps for it. */
  void release(long collectionId) {
    LoadedCollection lc = unload(collectionId);
    if (lc != null) {
      // After the unload: a seal handed over meanwhile no longer moves the groups.
      lc.info.channels().forEach(channel -> mq.destroyConsumerGroup(group, channel));
    }
  }

  /** Releases every loaded collection with its consumer groups. */
  void releaseAll() {
    collections.ids().forEach(this::release);
  }

  /** Unmaps every loaded collection; their groups stay, as the tables are loaded again. */
  void close() {
    collections.ids().forEach(this::unload);
  }

  private LoadedCollection unload(long collectionId) {
    LoadedCollection lc = collections.remove(collectionId);
    if (lc != null) {
      lc.lock.writeLock().lock();
      try {
        lc.close();
      } finally {
        lc.lock.writeLock().unlock();
      }
    }
    return lc;
  }

  /**
   * Moves the group on {@code channel} to the last message of a seal the collection now holds.
   * Called with the collection's write lock held, after the seal's segments are added.
   */
  void sealed(LoadedCollection lc, String channel, long lastMessageId) {
    // A dropped table held for time travel has no group.
    if (meta.collection(lc.info.id()).isPresent()) {
      mq.savePosition(group, channel, lastMessageId);
    }
  }

  /** Applies every message written to the collection's channels so far. */
  void catchUp(CollectionInfo info) {
    LoadedCollection lc = collections.get(info.id());
    if (lc == null) {
      return;
    }
    MsgStream stream = new MsgStream(mq, lc.info.channels(), lc.info.schema());
    for (String channel : info.channels()) {
      if (stream.lastId(channel) <= position(lc, channel)) {
        continue;
      }
      lc.lock.writeLock().lock();
      try {
        MsgPack batch;
        while (!(batch = stream.read(channel, lc.growing().position(channel), READ_BATCH))
            .isEmpty()) {
          for (MsgPack.Entry m : batch.messages()) {
            apply(lc, channel, m);
          }
        }
      } finally {
        lc.lock.writeLock().unlock();
      }
    }
  }

  private static long position(LoadedCollection lc, String channel) {
    lc.lock.readLock().lock();
    try {
      return lc.growing().position(channel);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  private void apply(LoadedCollection lc, String channel, MsgPack.Entry m) {
    long id = m.position().messageId();
    switch (m.message()) {
      case DmlMessage.Insert insert -> {
        // Rows of a partition dropped after they were written are dropped with it.
        // Rows of a released partition are read again from the log when it is loaded.
        // Growing rows are one node's share when the query nodes share a table out.
        if (lc.holdsGrowing() && !lc.isReleased(insert.partition())
            && meta.partitionAccepts(lc.info.id(), insert.partition(), insert.timestamp())) {
          long[] ts = new long[insert.rows().rowCount()];
          Arrays.fill(ts, insert.timestamp());
          lc.growing().append(channel, new RowSet(insert.rows(), ts, id, RowSet.GROWING, null,
              insert.partition()));
        }
      }
      case DmlMessage.Delete delete -> {
        for (Object key : delete.primaryKeys()) {
          lc.deletes().add(key, delete.timestamp());
        }
      }
      case DmlMessage.Flush flush -> { }
      case TimeTickMsg tick -> { }
    }
    lc.growing().applied(channel, id);
  }
}
