package org.quiver.engine.querynode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The deletes of one collection: for each primary key, the timestamps at which it was deleted.
 *
 * <p>MVCC: a row inserted at {@code t} is hidden from a read at {@code T} by a delete at {@code d}
 * when {@code t < d <= T}, so a read before the delete still sees the row, and a row inserted
 * again after the delete is not hidden by it. Recording the same delete twice is harmless.
 * Guarded by the owning collection's lock.
 */
final class DeleteRecords {
  private final Map<Object, long[]> byKey = new HashMap<>();

  void add(Object key, long ts) {
    long[] times = byKey.get(key);
    if (times == null) {
      byKey.put(key, new long[] {ts});
    } else if (Arrays.stream(times).noneMatch(t -> t == ts)) {
      long[] more = Arrays.copyOf(times, times.length + 1);
      more[times.length] = ts;
      byKey.put(key, more);
    }
  }

  /** The number of keys with a delete record. */
  int size() {
    return byKey.size();
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  boolean hides(Object key, long insertTs, long readTs) {
    long[] times = byKey.get(key);
    if (times == null) {
      return false;
    }
    for (long d : times) {
      if (insertTs < d && d <= readTs) {
        return true;
      }
    }
    return false;
  }
}
