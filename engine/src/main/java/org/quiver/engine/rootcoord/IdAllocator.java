package org.quiver.engine.rootcoord;

import java.nio.ByteBuffer;
import org.quiver.storage.kv.KvStore;

/**
 * Allocates unique 64-bit ids (collections, fields, segments, assigned row keys) from a window reserved ahead in the
 * KV store, so ids are never reused after a crash.
 */
public final class IdAllocator {
  private static final long WINDOW = 1_000;
  private static final String KEY = "id/window_end";

  private final KvStore kv;
  private long next;
  private long windowEnd;

  public IdAllocator(KvStore kv) {
    this.kv = kv;
    byte[] saved = kv.get(KEY);
    this.next = saved == null ? 1 : ByteBuffer.wrap(saved).getLong();
    this.windowEnd = next;
  }

  public synchronized long next() {
    return allocate(1);
  }

  /** Reserves {@code count} consecutive ids and returns the first. */
  public synchronized long allocate(int count) {
    if (next + count > windowEnd) {
      windowEnd = next + Math.max(count, WINDOW);
      kv.put(KEY, ByteBuffer.allocate(Long.BYTES).putLong(windowEnd).array());
    }
    long first = next;
    next += count;
    return first;
  }
}
