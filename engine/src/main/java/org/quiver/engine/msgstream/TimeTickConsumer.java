package org.quiver.engine.msgstream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link MsgStream} and releases its messages in packs bounded by time ticks: a pack is
 * released only once every channel has ticked at or above its end, so no message at or below the
 * tick can still arrive, and messages above the tick wait in a buffer for a later one.
 *
 * <p>Each channel's messages and ticks must be produced in timestamp order (the proxy's
 * manipulation queue runs tasks in timestamp order). A released pack holds its messages in
 * timestamp order and its end positions continue exactly after it, so a consumer that seeks there
 * after a restart neither loses nor repeats a message. For one thread.
 */
public final class TimeTickConsumer {
  private final MsgStream stream;
  private final int batch;
  private final Map<String, Deque<MsgPack.Entry>> buffered = new LinkedHashMap<>();
  private final Map<String, Long> ticks = new LinkedHashMap<>();
  private final Map<String, Long> released = new LinkedHashMap<>();
  private long lastTick;

  /** Consumes {@code stream} from its current positions, reading up to {@code batch} per read. */
  public TimeTickConsumer(MsgStream stream, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    this.stream = stream;
    this.batch = batch;
    for (MsgPosition p : stream.positions()) {
      buffered.put(p.channel(), new ArrayDeque<>());
      ticks.put(p.channel(), -1L);
      released.put(p.channel(), p.messageId());
    }
  }

  /** The tick of the last pack released, or 0 before the first. */
  public long lastTick() {
    return lastTick;
  }

  /**
   * Reads what the channels hold now and returns the pack up to the lowest tick every channel has
   * reached, or nothing if that tick is not above the last one released.
   */
  public Optional<MsgPack> poll() {
    MsgPack read;
    while (!(read = stream.consume(batch)).isEmpty()) {
      for (MsgPack.Entry e : read.messages()) {
        String channel = e.position().channel();
        buffered.get(channel).addLast(e);
        if (e.message() instanceof TimeTickMsg tick) {
          ticks.merge(channel, tick.timestamp(), Math::max);
        }
      }
    }
    long tick = ticks.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    if (tick <= lastTick) {
      return Optional.empty();
    }
    List<MsgPack.Entry> out = new ArrayList<>();
    for (Map.Entry<String, Deque<MsgPack.Entry>> channel : buffered.entrySet()) {
      Deque<MsgPack.Entry> queue = channel.getValue();
      while (!queue.isEmpty() && queue.peekFirst().message().timestamp() <= tick) {
        MsgPack.Entry e = queue.removeFirst();
        released.put(channel.getKey(), e.position().messageId());
        if (!(e.message() instanceof TimeTickMsg)) {
          out.add(e);
        }
      }
    }
    // A stable sort keeps log order within a channel and channel order among equal timestamps.
    out.sort(Comparator.comparingLong(e -> e.message().timestamp()));
    List<MsgPosition> end = released.entrySet().stream()
        .map(e -> new MsgPosition(e.getKey(), e.getValue())).toList();
    MsgPack pack = new MsgPack(lastTick, tick, out, MsgStream.startPositions(out), end);
    lastTick = tick;
    return Optional.of(pack);
  }
}
