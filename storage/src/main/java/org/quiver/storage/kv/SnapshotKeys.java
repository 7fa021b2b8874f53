package org.quiver.storage.kv;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The key and value layout of the snapshot view that every {@link KvStore} shares.
 *
 * <p>A version of key {@code k} at timestamp {@code ts} is stored under {@code
 * snapshots/<k> U+0000 <ts as 16 lower-case hex digits>}. The separator U+0000 sorts below every
 * other character, so the versions of one key are contiguous and in timestamp order, and a prefix
 * scan of {@code snapshots/<prefix>} meets exactly the versions of the keys under {@code prefix}.
 * The value is one tag byte, {@code 1} followed by the user's value or {@code 0} alone for a
 * removal.
 */
final class SnapshotKeys {
  static final String PREFIX = "snapshots/";
  private static final char SEPARATOR = '\0';
  private static final int TS_DIGITS = 16;
  private static final byte LIVE = 1;
  private static final byte REMOVED = 0;

  private SnapshotKeys() {}

  /** The stored key of the version of {@code key} at {@code ts}. */
  static String versionKey(String key, long ts) {
    return versionPrefix(key) + hex(ts);
  }

  /** The common start of every version of {@code key}. */
  static String versionPrefix(String key) {
    checkKey(key);
    return PREFIX + key + SEPARATOR;
  }

  /** The stored prefix that holds the versions of every key starting with {@code prefix}. */
  static String scanPrefix(String prefix) {
    checkKey(prefix);
    return PREFIX + prefix;
  }

  static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("versioned keys must not contain U+0000: " + key);
    }
  }

  static void checkTimestamp(long ts) {
    if (ts < 0) {
      throw new IllegalArgumentException("timestamp must be >= 0, got " + ts);
    }
  }

  /** The stored entries of one {@link KvStore#multiSaveAt} call; checks the caller's input. */
  static Map<String, byte[]> versions(Map<String, byte[]> puts, Collection<String> removes, long ts) {
    checkTimestamp(ts);
    Set<String> removed = new HashSet<>(removes);
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : puts.entrySet()) {
      if (removed.contains(e.getKey())) {
        throw new IllegalArgumentException("key is both put and removed: " + e.getKey());
      }
      out.put(versionKey(e.getKey(), ts), live(Objects.requireNonNull(e.getValue(), e.getKey())));
    }
    for (String key : removed) {
      out.put(versionKey(key, ts), new byte[] {REMOVED});
    }
    return out;
  }

  static byte[] live(byte[] value) {
    byte[] out = new byte[value.length + 1];
    out[0] = LIVE;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  /** The user's value of a stored version, or null for a removal. */
  static byte[] value(byte[] stored) {
    return stored[0] == REMOVED ? null : Arrays.copyOfRange(stored, 1, stored.length);
  }

  /** The timestamp of a stored version key. */
  static long timestampOf(String storedKey) {
    return Long.parseUnsignedLong(storedKey.substring(storedKey.length() - TS_DIGITS), 16);
  }

  /** The user's key of a stored version key. */
  static String keyOf(String storedKey) {
    return storedKey.substring(PREFIX.length(), storedKey.lastIndexOf(SEPARATOR));
  }

  /**
   * Picks, from stored versions (any order), the latest version of each key at or before {@code
   * ts} and returns the live ones.
   */
  static SortedMap<String, byte[]> asOf(Map<String, byte[]> stored, long ts) {
    checkTimestamp(ts);
    Map<String, Long> bestTs = new HashMap<>();
    Map<String, byte[]> best = new HashMap<>();
    for (Map.Entry<String, byte[]> e : stored.entrySet()) {
      long versionTs = timestampOf(e.getKey());
      if (versionTs > ts) {
        continue;
      }
      String key = keyOf(e.getKey());
      Long seen = bestTs.get(key);
      if (seen == null || versionTs > seen) {
        bestTs.put(key, versionTs);
        best.put(key, e.getValue());
      }
    }
    SortedMap<String, byte[]> out = new TreeMap<>();
    best.forEach((k, v) -> {
      byte[] value = value(v);
      if (value != null) {
        out.put(k, value);
      }
    });
    return out;
  }

  private static String hex(long ts) {
    String digits = Long.toHexString(ts);
    return "0".repeat(TS_DIGITS - digits.length()) + digits;
  }
}
