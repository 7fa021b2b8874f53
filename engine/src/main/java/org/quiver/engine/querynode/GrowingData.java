package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded collection's growing data per DML channel: the rows of the messages not yet in a sealed
 * segment (in message order), the id of the last message applied, and tSafe, the time tick up to
 * which every message of the channel is applied.
 *
 * <p>Guarded by the owning collection's lock: the rows and positions are changed under its write
 * lock and read under either lock. tSafe is written under the write lock too but read without
 * any lock (every search asks), so it is held in a concurrent map.
 */
final class GrowingData {
  private final Map<String, List<RowSet>> rows = new HashMap<>();
  private final Map<String, Long> positions = new HashMap<>();
  private final Map<String, Long> tSafe = new ConcurrentHashMap<>();

  GrowingData(List<String> channels) {
    for (String channel : channels) {
      rows.put(channel, new ArrayList<>());
      positions.put(channel, -1L);
      tSafe.put(channel, 0L);
    }
  }

  /** The id of the last message of {@code channel} applied, in a sealed segment or here. */
  long position(String channel) {
    return positions.get(channel);
  }

  /** Sets the channel's position to the load point, before any message after it is applied. */
  void startAt(String channel, long messageId) {
    positions.put(channel, messageId);
  }

  /** Records that message {@code messageId} of {@code channel} is applied. */
  void applied(String channel, long messageId) {
    positions.put(channel, messageId);
  }

  /** Moves the channel's position to a sealed segment's last message, never back. */
  void coveredBySegment(String channel, long lastMessageId) {
    positions.merge(channel, lastMessageId, Math::max);
  }

  /** Adds the rows of one insert message of {@code channel}. */
  void append(String channel, RowSet insert) {
    rows.get(channel).add(insert);
  }

  /** Lets go of the channel's rows that a seal ending at message {@code lastMessageId} covers. */
  void sealed(String channel, long lastMessageId) {
    rows.get(channel).removeIf(r -> r.lastMessageId() <= lastMessageId);
  }

  /** Lets go of a partition's rows on every channel. */
  void dropPartition(String partition) {
    rows.values().forEach(list -> list.removeIf(rs -> rs.partition().equals(partition)));
  }

  /** Adds every growing row set, channel by channel, to {@code all}. */
  void addTo(List<RowSet> all) {
    rows.values().forEach(all::addAll);
  }

  /** The lowest tSafe over the channels; 0 when there are none. */
  long tSafe() {
    // A loop rather than a stream: every search asks.
    long min = Long.MAX_VALUE;
    boolean any = false;
    for (long ts : tSafe.values()) {
      min = Math.min(min, ts);
      any = true;
    }
    return any ? min : 0;
  }

  /** Moves every channel's tSafe to {@code tick}, never back. */
  void advanceTSafe(long tick) {
    tSafe.replaceAll((channel, ts) -> Math.max(ts, tick));
  }
}
