package org.quiver.engine.datanode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.storage.mq.MessageQueue;

/**
 * How far each DML channel is in flushed segments: the position of the data node's consumer group
 * {@value #GROUP} on the channel, the one place this is recorded.
 *
 * <p>A seal records its segments in the catalog first and moves the group's position past them
 * second; a crash between the two leaves segments whose last message lies past the position,
 * and {@link #recover} moves the position forward to them before anything reads it (a segment's
 * files are complete before the catalog records it, so rolling forward never points past lost
 * data). Seals and load points take this object's monitor, so a loader never sees a seal half
 * recorded. The log keeps every message past the position: retention deletes only what every
 * consumer group on a channel has passed.
 */
public final class ChannelCheckpoints {
  /** The data node's consumer group on every DML channel. */
  public static final String GROUP = "datanode";

  private final MetaTable meta;
  private final MessageQueue mq;
  /** Whether another process writes the catalog (this one is a cluster's query node). */
  private final boolean followsCatalog;

  public ChannelCheckpoints(MetaTable meta, MessageQueue mq) {
    this(meta, mq, false);
  }

  private ChannelCheckpoints(MetaTable meta, MessageQueue mq, boolean followsCatalog) {
    this.meta = meta;
    this.mq = mq;
    this.followsCatalog = followsCatalog;
  }

  /**
   * The checkpoints as a process sees them that reads a catalog another process writes: its
   * {@link #loadPoint} reads the catalog's segments again after the checkpoints.
   */
  public static ChannelCheckpoints following(MetaTable meta, MessageQueue mq) {
    return new ChannelCheckpoints(meta, mq, true);
  }

  /**
   * Gives every live table's channels a data node group, positioned after the last message of
   * their recorded segments where a crash (or a version that kept checkpoints in the catalog)
   * left the group behind them. Runs at start, before the nodes follow the channels.
   */
  public synchronized void recover() {
    for (CollectionInfo info : meta.collections()) {
      Map<String, Long> flushed = new HashMap<>();
      for (SegmentInfo s : meta.segments(info.id())) {
        flushed.merge(s.channel(), s.lastMessageId(), Math::max);
      }
      for (String channel : info.channels()) {
        if (!mq.hasChannel(channel)) {
          continue;
        }
        long position = mq.position(GROUP, channel);
        long recorded = flushed.getOrDefault(channel, -1L);
        if (recorded > position || !mq.positions(channel).containsKey(GROUP)) {
          mq.savePosition(GROUP, channel, Math.max(recorded, position));
        }
      }
    }
  }

  /**
   * The checkpoint the data node starts following a channel from; gives a new channel its group
   * (positioned before its first message).
   */
  synchronized long follow(String channel) {
    mq.createConsumerGroup(GROUP, channel);
    return of(channel);
  }

  /** The id of the last message of the channel that is in a flushed segment, or -1. */
  public synchronized long of(String channel) {
    return mq.position(GROUP, channel);
  }

  /** {@link #of(String)} for each channel of the table. */
  public synchronized Map<String, Long> of(CollectionInfo info) {
    Map<String, Long> at = new HashMap<>();
    info.channels().forEach(channel -> at.put(channel, of(channel)));
    return Map.copyOf(at);
  }

  /**
   * A seal's commit: records its segments (none when everything it covered was dropped) and then
   * moves the channel's checkpoint to {@code lastMessageId}, the last message it covers.
   *
   * @throws IllegalStateException if the table was dropped: its checkpoints stay where the drop
   *     recorded them, so that time travel finds the log after them
   */
  synchronized void sealed(CollectionInfo info, String channel, List<SegmentInfo> segments,
      long lastMessageId) {
    if (meta.collection(info.id()).isEmpty()) {
      throw new IllegalStateException("table " + info.name() + " was dropped; seal of channel "
          + channel + " not recorded");
    }
    if (!segments.isEmpty()) {
      meta.addSegments(segments);
    }
    mq.savePosition(GROUP, channel, lastMessageId);
  }

  /** DROP TABLE's catalog step ({@link MetaTable#retireCollection}) with the table's checkpoints. */
  public synchronized void retire(CollectionInfo info, long dropTs) {
    meta.retireCollection(info, dropTs, of(info));
  }

  /** A replace's swap ({@link MetaTable#swapIn}) with the replaced table's checkpoints. */
  public synchronized CollectionInfo swapIn(CollectionInfo staging, CollectionInfo replaced,
      long ts) {
    return meta.swapIn(staging, replaced, ts, of(replaced));
  }

  /**
   * A table's flushed segments and its channels' checkpoints, read together: a loader that read
   * them apart could see a new segment with the old checkpoint and replay the segment's rows from
   * the log a second time (or the old segments with the new checkpoint, and miss them).
   */
  public synchronized LoadPoint loadPoint(CollectionInfo info) {
    // The checkpoints first: a seal records its segments before it moves the checkpoint, so
    // segments read after a checkpoint include every seal up to it (a later seal's segments
    // with an earlier checkpoint only skip log messages those segments hold). That order is what
    // makes the pair consistent when the seal runs in another process, beyond this monitor.
    Map<String, Long> at = of(info);
    if (followsCatalog) {
      meta.refresh();
    }
    return new LoadPoint(meta.segments(info.id()), at);
  }

  /** Where a load starts: the flushed segments, and the log position after them per channel. */
  public record LoadPoint(List<SegmentInfo> segments, Map<String, Long> checkpoints) {}
}
