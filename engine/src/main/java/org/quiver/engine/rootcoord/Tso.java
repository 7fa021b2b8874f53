package org.quiver.engine.rootcoord;

import java.nio.ByteBuffer;
import org.quiver.storage.kv.KvStore;

/**
 * The timestamp oracle: hands out hybrid timestamps ({@code physical ms << 18 | logical}) that are
 * strictly increasing, also across restarts.
 *
 * <p>As in Milvus, the oracle persists the end of a window of physical time ahead of what it has
 * issued; after a crash it restarts above that window, so no timestamp is ever issued twice. The
 * window makes the KV write rare (once per {@link #WINDOW_MS}) instead of once per timestamp.
 */
public final class Tso {
  public static final int LOGICAL_BITS = 18;
  private static final long LOGICAL_MAX = (1L << LOGICAL_BITS) - 1;
  static final long WINDOW_MS = 3_000;
  private static final String KEY = "tso/window_end";

  private final KvStore kv;
  private long physical;
  private long logical;
  private long windowEnd;

  public Tso(KvStore kv) {
    this.kv = kv;
    byte[] saved = kv.get(KEY);
    long savedEnd = saved == null ? 0 : ByteBuffer.wrap(saved).getLong();
    this.physical = Math.max(System.currentTimeMillis(), savedEnd);
    this.logical = -1;
    reserve();
  }

  /** The next timestamp, greater than every timestamp issued before. */
  public synchronized long next() {
    long now = System.currentTimeMillis();
    if (now > physical) {
      physical = now;
      logical = 0;
    } else if (++logical > LOGICAL_MAX) {
      physical++;
      logical = 0;
    }
    if (physical >= windowEnd) {
      reserve();
    }
    return compose(physical, logical);
  }

  /**
   * Records, on a clean stop, the last physical time issued, so the next start does not skip the
   * rest of the window ahead (after a crash it must, not knowing what was issued).
   */
  public synchronized void close() {
    windowEnd = physical + 1;
    kv.put(KEY, ByteBuffer.allocate(Long.BYTES).putLong(windowEnd).array());
  }

  private void reserve() {
    windowEnd = physical + WINDOW_MS;
    kv.put(KEY, ByteBuffer.allocate(Long.BYTES).putLong(windowEnd).array());
  }

  public static long compose(long physicalMillis, long logical) {
    return physicalMillis << LOGICAL_BITS | logical;
  }

  public static long physicalMillis(long ts) {
    return ts >>> LOGICAL_BITS;
  }
}
