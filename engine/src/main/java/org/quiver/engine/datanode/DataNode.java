package org.quiver.engine.datanode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.quiver.engine.datacoord.DataCoord;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.msgstream.MsgPack;
import org.quiver.engine.msgstream.MsgStream;
import org.quiver.engine.msgstream.TimeTickMsg;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.SegmentInfo;
import org.quiver.engine.segment.ColumnBatches;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.schema.ColumnBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the DML log into flushed segments.
 *
 * <p>One background thread follows every watched channel from its checkpoint, buffering inserts and
 * deletes in a growing segment whose id the data coordinator assigns. The buffer is sealed when the
 * coordinator's policy says so (rows, bytes, or the age of its assignment) or when a flush message
 * arrives; sealing writes the segment files, then records the segment and moves the
 * channel's checkpoint past its last message in one catalog write. A restart replays the channel
 * from the checkpoint, so no row is lost and none is flushed twice.
 */
public final class DataNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataNode.class);
  private static final int READ_BATCH = 1024;
  private static final String DEFAULT_PARTITION = "_default";

  private final MetaTable meta;
  private final MessageQueue mq;
  private final SegmentStore store;
  private final DataCoord dataCoord;
  private final Consumer<SegmentInfo> onFlushed;
  private final Map<String, ChannelBuffer> buffers = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Thread worker;
  private volatile boolean closed;
  private boolean pending;

  public DataNode(MetaTable meta, MessageQueue mq, SegmentStore store, DataCoord dataCoord,
      Consumer<SegmentInfo> onFlushed) {
    this.meta = meta;
    this.mq = mq;
    this.store = store;
    this.dataCoord = dataCoord;
    this.onFlushed = onFlushed;
    this.worker = Thread.ofPlatform().name("quiver-datanode").daemon().start(this::run);
  }

  /** Starts following the collection's channels from their checkpoints. */
  public void watch(CollectionInfo info) {
    for (String channel : info.channels()) {
      buffers.computeIfAbsent(channel, c -> new ChannelBuffer(info, new MsgStream(mq, info.channels(), info.schema()), c,
          meta.checkpoint(c)));
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
    wake();
    synchronized (signal) {
      while (true) {
        ChannelBuffer b = buffers.get(channel);
        if (b == null || closed) {
          throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
              "channel %s is no longer followed", channel);
        }
        if (b.position >= id) {
          return;
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
        try {
          progress |= consume(b);
        } catch (RuntimeException e) {
          LOG.error("event=datanode_consume_failed channel={} error={}", b.channel, e.toString(), e);
          sleepQuietly(500);
        }
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

  /** Consumes what is new on one channel; holds the buffer's monitor, which unwatch waits for. */
  private boolean consume(ChannelBuffer b) {
    synchronized (b) {
      if (b.dropped) {
        return false;
      }
      boolean progress = consumeLocked(b);
      // The age policy: a growing segment whose assignment expired is sealed without waiting for
      // another message.
      if (b.segment != null && dataCoord.expired(b.segment)) {
        seal(b, b.position);
        progress = true;
      }
      return progress;
    }
  }

  private boolean consumeLocked(ChannelBuffer b) {
    MsgPack messages = b.stream.read(b.channel, b.position, READ_BATCH);
    for (MsgPack.Entry m : messages.messages()) {
      long id = m.position().messageId();
      if (b.firstMessageId < 0) {
        b.firstMessageId = id;
      }
      if (b.segment == null) {
        b.segment = dataCoord.assign(b.channel, DEFAULT_PARTITION);
      }
      boolean flush = false;
      switch (m.message()) {
        case DmlMessage.Insert insert -> {
          b.inserts.add(insert.rows());
          b.insertTs.add(insert.timestamp());
          b.rows += insert.rows().rowCount();
          b.bytes += m.size();
        }
        case DmlMessage.Delete delete -> {
          for (Object key : delete.primaryKeys()) {
            b.deletedKeys.add(key);
            b.deleteTs.add(delete.timestamp());
          }
        }
        case DmlMessage.Flush f -> flush = true;
        case TimeTickMsg t -> { }
      }
      if (flush || dataCoord.shouldSeal(b.segment, b.rows, b.bytes)) {
        seal(b, id);
      }
      // Only advance once the message is safely in a segment or in the buffer.
      synchronized (signal) {
        b.position = id;
      }
    }
    return !messages.isEmpty();
  }

  private void seal(ChannelBuffer b, long lastMessageId) {
    if (b.rows == 0 && b.deletedKeys.isEmpty()) {
      // Nothing to write: the assignment lapses and the next rows get a new segment.
      if (b.segment != null) {
        dataCoord.sealed(b.segment);
      }
      b.clear();
      return;
    }
    ColumnBatch rows = ColumnBatches.concat(b.info.schema(), b.inserts);
    long[] ts = new long[rows.rowCount()];
    int at = 0;
    for (int i = 0; i < b.inserts.size(); i++) {
      int n = b.inserts.get(i).rowCount();
      Arrays.fill(ts, at, at + n, b.insertTs.get(i));
      at += n;
    }
    long segmentId = b.segment.segmentId();
    String directory = "segments/" + b.info.id() + "/" + b.segment.partition() + "/" + segmentId;
    long[] deleteTs = b.deleteTs.stream().mapToLong(Long::longValue).toArray();
    store.write(b.info.schema(), directory, segmentId, rows, ts, b.deletedKeys.toArray(), deleteTs);
    SegmentInfo segment = new SegmentInfo(segmentId, b.info.id(), b.channel, rows.rowCount(),
        deleteTs.length, b.firstMessageId, lastMessageId, directory);
    meta.addSegment(segment);
    LOG.info("event=segment_flushed collection={} segment={} rows={} deletes={}",
        b.info.name(), segmentId, rows.rowCount(), deleteTs.length);
    dataCoord.sealed(b.segment);
    b.clear();
    onFlushed.accept(segment);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  /** The growing segment of one channel. Touched only by the worker thread, but for position. */
  private static final class ChannelBuffer {
    final CollectionInfo info;
    final MsgStream stream;
    final String channel;
    volatile long position;
    long firstMessageId = -1;
    /** The growing segment's id assignment, from the first message after the last seal. */
    DataCoord.Assignment segment;
    final List<ColumnBatch> inserts = new ArrayList<>();
    final List<Long> insertTs = new ArrayList<>();
    final List<Object> deletedKeys = new ArrayList<>();
    final List<Long> deleteTs = new ArrayList<>();
    int rows;
    boolean dropped;
    /** Encoded size of the buffered inserts: close to what they hold in memory. */
    long bytes;

    ChannelBuffer(CollectionInfo info, MsgStream stream, String channel, long checkpoint) {
      this.info = info;
      this.stream = stream;
      this.channel = channel;
      this.position = checkpoint;
    }

    void clear() {
      inserts.clear();
      insertTs.clear();
      deletedKeys.clear();
      deleteTs.clear();
      rows = 0;
      bytes = 0;
      firstMessageId = -1;
      segment = null;
    }
  }
}
