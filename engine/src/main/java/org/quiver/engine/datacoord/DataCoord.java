package org.quiver.engine.datacoord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.quiver.engine.rootcoord.IdAllocator;

/**
 * The data coordinator: assigns the id of the growing segment of each (channel, partition) and
 * decides when it is sealed, as the Milvus data service does.
 *
 * <p>An assignment is valid until it expires, {@code sealAge} after it was made: the data node
 * seals a growing segment whose assignment expired even when no new row arrives, so that no
 * channel keeps rows only in the log for long (which bounds the replay after a restart), and the
 * next row of that (channel, partition) gets a new segment id. The other seal policies are the
 * row and byte thresholds.
 */
public final class DataCoord {
  private final IdAllocator ids;
  private final SealPolicy policy;
  private final LongSupplier clock;
  private final Map<Key, Assignment> open = new HashMap<>();

  /** The thresholds at which a growing segment is sealed. */
  public record SealPolicy(int rows, long bytes, long ageMillis) {
    public SealPolicy {
      if (rows < 1 || bytes < 1 || ageMillis < 1) {
        throw new IllegalArgumentException(
            "seal thresholds must be >= 1, got rows " + rows + ", bytes " + bytes + ", age "
                + ageMillis + " ms");
      }
    }
  }

  /** The growing segment of one (channel, partition): its id and when its assignment expires. */
  public record Assignment(long segmentId, String channel, String partition, long assignedAt,
      long expiresAt) {}

  private record Key(String channel, String partition) {}

  public DataCoord(IdAllocator ids, SealPolicy policy) {
    this(ids, policy, System::currentTimeMillis);
  }

  /** With a clock in milliseconds, for tests of expiry. */
  public DataCoord(IdAllocator ids, SealPolicy policy, LongSupplier clock) {
    this.ids = ids;
    this.policy = policy;
    this.clock = clock;
  }

  public SealPolicy policy() {
    return policy;
  }

  /** The growing segment rows of (channel, partition) go to: the open one, or a new one. */
  public synchronized Assignment assign(String channel, String partition) {
    return open.computeIfAbsent(new Key(channel, partition), k -> {
      long now = clock.getAsLong();
      return new Assignment(ids.next(), channel, partition, now, now + policy.ageMillis());
    });
  }

  /** Whether a growing segment holding {@code rows} rows in {@code bytes} bytes must be sealed. */
  public boolean shouldSeal(Assignment segment, int rows, long bytes) {
    return rows >= policy.rows() || bytes >= policy.bytes() || expired(segment);
  }

  /** Whether the assignment's time is up. */
  public boolean expired(Assignment segment) {
    return clock.getAsLong() >= segment.expiresAt();
  }

  /** Closes the assignment of a sealed (or abandoned) segment; the next rows get a new id. */
  public synchronized void sealed(Assignment segment) {
    open.remove(new Key(segment.channel(), segment.partition()), segment);
  }

  /** Forgets the assignments of channels that are no longer followed (a dropped table). */
  public synchronized void forgetChannels(List<String> channels) {
    open.keySet().removeIf(k -> channels.contains(k.channel()));
  }

  /** The open assignments, for statistics. */
  public synchronized List<Assignment> assignments() {
    return List.copyOf(open.values());
  }
}
