package org.quiver.engine.datanode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.datacoord.DataCoord;
import org.quiver.engine.error.StorageFailures;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MsgPack;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.msgstream.TimeTickMsg;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.ColumnBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the DML log into flushed segments.
 *
 * <p>One background thread follows every watched channel from its checkpoint, buffering inserts and
 * deletes in a growing segment whose id the data coordinator assigns. The buffer is sealed when the
 * coordinator's policy says so (rows, bytes, or the age of its assignment) or when a flush message
 * arrives; sealing writes the segment files, records the segments in the catalog, then moves the
 * channel's checkpoint (its consumer group's position on the log, {@link ChannelCheckpoints}) past
 * the last message. A restart replays the channel from the checkpoint, so no row is lost and none
 * is flushed twice. A seal that fails (a full disk) is retried with a bounded exponential back-off
 * until it succeeds, and a FLUSH waiting for it fails at once with the reason instead of waiting.
 */
public final class DataNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataNode.class);
  private static final int READ_BATCH = 1024;
  /** Bounds of the back-off between attempts of a seal that failed, doubling in between. */
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final MetaTable meta;
  private final MessageQueue mq;
  private final ChannelCheckpoints checkpoints;
  private final SegmentStore store;
  private final DataCoord dataCoord;
  /** Told of each seal's segments together, in one call, once they are in the catalog. */
  private final Consumer<List<SegmentInfo>> onFlushed;
  private final Map<String, ChannelBuffer> buffers = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Thread worker;
  private volatile boolean closed;
  private boolean pending;

  public DataNode(MetaTable meta, MessageQueue mq, ChannelCheckpoints checkpoints,
      SegmentStore store, DataCoord dataCoord, Consumer<List<SegmentInfo>> onFlushed) {
    this.meta = meta;
    this.mq = mq;
    this.checkpoints = checkpoints;
    this.store = store;
    this.dataCoord = dataCoord;
    this.onFlushed = onFlushed;
    this.worker = Thread.ofPlatform().name("quiver-datanode").daemon().start(this::run);
  }

  /** Where each channel is in flushed segments; a drop or replace records them with the table. */
  public ChannelCheckpoints checkpoints() {
    return checkpoints;
  }

  /** Starts following the collection's channels from their checkpoints. */
  public void watch(CollectionInfo info) {
    for (String channel : info.channels()) {
      buffers.computeIfAbsent(channel, c -> new ChannelBuffer(info,
          new MsgStream(mq, info.channels(), info.schema()), c, checkpoints.follow(c)));
    }
    wake();
  }

  /** Stops following the collection; returns once no seal of it is in progress. */
  public void unwatch(CollectionInfo info) {
    for (String channel : info.channels()) {
      ChannelBuffer b;
      synchronized (signal) {
        b = buffers.remove(channel);
        signal.notifyAll();
      }
      if (b != null) {
        synchronized (b) {
          b.dropped = true;
        }
      }
    }
    dataCoord.forgetChannels(info.channels());
  }

  /** Tells the node that new messages were produced. */
  public void wake() {
    synchronized (signal) {
      pending = true;
      signal.notifyAll();
    }
  }

  /** Blocks until the node has consumed (and, for a flush message, flushed) up to {@code id}. */
  public void awaitConsumed(String channel, long id) {
    ChannelBuffer waitedFor = buffers.get(channel);
    RuntimeException before = waitedFor == null ? null : waitedFor.failure;
    if (before != null) {
      // The service that failed may be back: the caller's flush is worth an attempt now rather
      // than after the back-off, and it hears of a failure only once that attempt failed too.
      waitedFor.retryNow = true;
    }
    wake();
    synchronized (signal) {
      while (true) {
        ChannelBuffer b = buffers.get(channel);
        if (b == null || closed) {
          throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
              "channel %s is no longer followed", channel);
        }
        if (b.position >= id && b.sealPending < 0) {
          return;
        }
        RuntimeException failure = b.failure;
        if (failure != null && failure != before) {
          // The node keeps retrying in the background; the caller hears why at once.
          throw failure instanceof QuiverException q
              ? new QuiverException(q.code(), q.getMessage(), q) : failure;
        }
        try {
          signal.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw QuiverException.of(ErrorCode.QUERY_CANCELED, "interrupted while flushing");
        }
      }
    }
  }

  private void run() {
    while (!closed) {
      boolean progress = false;
      for (ChannelBuffer b : buffers.values()) {
        progress |= consume(b);
      }
      synchronized (signal) {
        signal.notifyAll();
        if (!progress && !pending && !closed) {
          try {
            signal.wait(200);
          } catch (InterruptedException e) {
            return;
          }
        }
        pending = false;
      }
    }
  }

  /**
   * Consumes what is new on one channel; holds the buffer's monitor, which unwatch waits for. A
   * seal that failed (a full disk) is retried first, after a bounded exponential back-off, and
   * nothing more is read until it succeeds, so the buffer never takes a message twice.
   */
  private boolean consume(ChannelBuffer b) {
    synchronized (b) {
      if (b.dropped
          || (b.backoffMs > 0 && !b.retryNow && System.nanoTime() - b.retryAt < 0)) {
        return false;
      }
      b.retryNow = false;
      try {
        boolean progress = false;
        if (b.sealPending >= 0) {
          seal(b, b.sealPending);
          progress = true;
        }
        progress |= consumeLocked(b);
        // The age policy: a growing segment whose assignment expired is sealed without waiting
        // for another message.
        if (b.partitions.values().stream().anyMatch(pb -> dataCoord.expired(pb.segment))) {
          seal(b, b.position);
          progress = true;
        }
        if (b.failure != null) {
          LOG.info("event=datanode_resumed channel={}", b.channel);
          b.failure = null;
          b.backoffMs = 0;
        }
        return progress;
      } catch (RuntimeException e) {
        RuntimeException failure = (RuntimeException) StorageFailures.translate(e);
        b.backoffMs = b.backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, 2 * b.backoffMs);
        b.retryAt = System.nanoTime() + b.backoffMs * 1_000_000;
        b.failure = failure;
        if (failure instanceof QuiverException q && q.code() == ErrorCode.DISK_FULL) {
          LOG.warn("event=datanode_seal_failed channel={} retry_ms={} error=\"{}\"", b.channel,
              b.backoffMs, failure.getMessage());
        } else {
          LOG.error("event=datanode_consume_failed channel={} retry_ms={} error={}", b.channel,
              b.backoffMs, failure.toString(), failure);
        }
        return false;
      }
    }
  }

  private boolean consumeLocked(ChannelBuffer b) {
    MsgPack messages = b.stream.read(b.channel, b.position, READ_BATCH);
    for (MsgPack.Entry m : messages.messages()) {
      long id = m.position().messageId();
      if (b.firstMessageId < 0) {
        b.firstMessageId = id;
      }
      boolean flush = false;
      PartitionBuffer touched = null;
      switch (m.message()) {
        case DmlMessage.Insert insert -> {
          // Rows of a partition dropped after they were written are dropped with it.
          if (meta.partitionAccepts(b.info.id(), insert.partition(), insert.timestamp())) {
            touched = b.partition(insert.partition(), dataCoord);
            touched.inserts.add(insert.rows());
            touched.insertTs.add(insert.timestamp());
            touched.rows += insert.rows().rowCount();
            touched.bytes += m.size();
          }
        }
        case DmlMessage.Delete delete -> {
          // Deletes are by key, whatever partition holds it: they go to the default partition's
          // segment of this seal.
          touched = b.partition(PartitionInfo.DEFAULT, dataCoord);
          for (Object key : delete.primaryKeys()) {
            b.deletedKeys.add(key);
            b.deleteTs.add(delete.timestamp());
          }
        }
        case DmlMessage.Flush f -> flush = true;
        case TimeTickMsg t -> { }
      }
      // One seal writes a segment for each partition with rows, so that the channel's checkpoint
      // moves past everything buffered.
      boolean sealNow = flush || (touched != null
          && dataCoord.shouldSeal(touched.segment, touched.rows, touched.bytes));
      // The message is in the buffer: advance, so a seal that fails is retried rather than the
      // message read again. A flush waiter still waits for the pending seal.
      synchronized (signal) {
        if (sealNow) {
          b.sealPending = id;
        }
        b.position = id;
      }
      if (sealNow) {
        seal(b, id);
      }
    }
    return !messages.isEmpty();
  }

  /** Drops the buffered rows of a dropped partition. */
  public void partitionDropped(CollectionInfo info, String partition) {
    for (String channel : info.channels()) {
      ChannelBuffer b = buffers.get(channel);
      if (b == null) {
        continue;
      }
      synchronized (b) {
        PartitionBuffer pb = b.partitions.remove(partition);
        if (pb != null) {
          dataCoord.sealed(pb.segment);
        }
      }
    }
  }

  private void seal(ChannelBuffer b, long lastMessageId) {
    b.sealPending = lastMessageId;
    b.partitions.values().removeIf(pb -> {
      boolean empty = pb.rows == 0
          && (!pb.segment.partition().equals(PartitionInfo.DEFAULT) || b.deletedKeys.isEmpty())
          || !meta.hasPartition(b.info.id(), pb.segment.partition());
      if (empty) {
        // Nothing to write: the assignment lapses and the next rows get a new segment.
        dataCoord.sealed(pb.segment);
      }
      return empty;
    });
    if (b.partitions.isEmpty()) {
      // Nothing buffered needs a segment (flush messages, rows of dropped partitions): the
      // checkpoint moves past it all the same, so the log can let it go.
      checkpoints.sealed(b.info, b.channel, List.of(), lastMessageId);
      b.clear();
      b.sealPending = -1;
      return;
    }
    List<SegmentInfo> written = new ArrayList<>();
    for (PartitionBuffer pb : b.partitions.values()) {
      ColumnBatch rows = ColumnBatches.concat(b.info.schema(), pb.inserts);
      long[] ts = new long[rows.rowCount()];
      int at = 0;
      for (int i = 0; i < pb.inserts.size(); i++) {
        int n = pb.inserts.get(i).rowCount();
        Arrays.fill(ts, at, at + n, pb.insertTs.get(i));
        at += n;
      }
      boolean withDeletes = pb.segment.partition().equals(PartitionInfo.DEFAULT);
      long segmentId = pb.segment.segmentId();
      String directory = SegmentInfo.directoryOf(b.info.id(), pb.segment.partition(), segmentId);
      long[] deleteTs = withDeletes
          ? b.deleteTs.stream().mapToLong(Long::longValue).toArray() : new long[0];
      store.write(b.info.schema(), directory, segmentId, rows, ts,
          withDeletes ? b.deletedKeys.toArray() : new Object[0], deleteTs);
      written.add(new SegmentInfo(segmentId, b.info.id(), b.channel, rows.rowCount(),
          deleteTs.length, b.firstMessageId, lastMessageId, directory));
      LOG.info("event=segment_flushed collection={} partition={} segment={} rows={} deletes={}",
          b.info.name(), pb.segment.partition(), segmentId, rows.rowCount(), deleteTs.length);
    }
    checkpoints.sealed(b.info, b.channel, written, lastMessageId);
    b.partitions.values().forEach(pb -> dataCoord.sealed(pb.segment));
    b.clear();
    try {
      // Handed over as one: the seal's segments together cover the channel up to its last
      // message. Before the seal counts as done, so that a FLUSH returns only once the query
      // node holds what it flushed.
      onFlushed.accept(List.copyOf(written));
    } finally {
      b.sealPending = -1;
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The growing segments of one channel. Touched only by the worker thread, but for position. */
  private static final class ChannelBuffer {
    final CollectionInfo info;
    final MsgStream stream;
    final String channel;
    volatile long position;
    /** The last message of a seal begun but not yet written, or -1. */
    volatile long sealPending = -1;
    /** Why the last attempt failed (a full disk), until one succeeds; flush waiters are told. */
    volatile RuntimeException failure;
    long backoffMs;
    /** {@link System#nanoTime} before which a failed seal is not retried. */
    long retryAt;
    /** A flush waits: retry the failed seal now, whatever the back-off says. */
    volatile boolean retryNow;
    long firstMessageId = -1;
    /** Per partition with buffered rows (or deletes, for the default one), its growing segment. */
    final Map<String, PartitionBuffer> partitions = new java.util.LinkedHashMap<>();
    final List<Object> deletedKeys = new ArrayList<>();
    final List<Long> deleteTs = new ArrayList<>();
    boolean dropped;

    ChannelBuffer(CollectionInfo info, MsgStream stream, String channel, long checkpoint) {
      this.info = info;
      this.stream = stream;
      this.channel = channel;
      this.position = checkpoint;
    }

    PartitionBuffer partition(String name, DataCoord dataCoord) {
      return partitions.computeIfAbsent(name,
          p -> new PartitionBuffer(dataCoord.assign(channel, p)));
    }

    void clear() {
      partitions.clear();
      deletedKeys.clear();
      deleteTs.clear();
      firstMessageId = -1;
    }
  }

  /** The growing segment of one (channel, partition). */
  private static final class PartitionBuffer {
    /** Its id assignment from the data coordinator. */
    final DataCoord.Assignment segment;
    final List<ColumnBatch> inserts = new ArrayList<>();
    final List<Long> insertTs = new ArrayList<>();
    int rows;
    /** Encoded size of the buffered inserts: close to what they hold in memory. */
    long bytes;

    PartitionBuffer(DataCoord.Assignment segment) {
      this.segment = segment;
    }
  }
}
