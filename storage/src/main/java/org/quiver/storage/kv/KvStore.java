package org.quiver.storage.kv;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A durable, ordered key-value store: the catalog, the TSO window and checkpoints live here.
 *
 * <p>Every write returns only after it is durable (synced). Implementations are thread-safe.
 *
 * <p>Besides plain keys the store keeps a snapshot view, as Milvus's SnapShotKV does: {@link
 * #saveAt} and {@link #multiSaveAt} write versions of keys stamped with a timestamp, and {@link
 * #loadAt} and {@link #scanPrefixAt} read the version that was current at a timestamp. Versions
 * live under the reserved prefix {@code snapshots/} (see docs/formats.md), apart from plain keys;
 * their keys must not contain the character U+0000.
 */
public interface KvStore extends AutoCloseable {

  /** The value of {@code key}, or null. */
  byte[] get(String key);

  void put(String key, byte[] value);

  void delete(String key);

  /** Applies all puts and removes in one atomic, durable write. */
  void multiSave(Map<String, byte[]> puts, Collection<String> removes);

  /** All entries whose key starts with {@code prefix}, in key order. */
  SortedMap<String, byte[]> scanPrefix(String prefix);

  /**
   * Sets {@code key} to {@code update} if and only if its current value equals {@code expected},
   * atomically with respect to every other write.
   *
   * @param expected the value the key must hold, or null if it must be absent
   * @param update the new value, or null to delete the key
   * @return whether the key was changed
   */
  boolean compareAndSwap(String key, byte[] expected, byte[] update);

  /** Saves a version of {@code key} stamped {@code ts}; a later version at the same ts replaces it. */
  default void saveAt(String key, byte[] value, long ts) {
    multiSaveAt(Map.of(key, value), List.of(), ts);
  }

  /**
   * Saves versions of the {@code puts} and deletion marks for the {@code removes}, all stamped
   * {@code ts}, in one atomic, durable write.
   */
  void multiSaveAt(Map<String, byte[]> puts, Collection<String> removes, long ts);

  /**
   * The value {@code key} had as of {@code ts}: its version with the greatest timestamp {@code <=
   * ts}, or null if there is none or that version is a removal.
   */
  byte[] loadAt(String key, long ts);

  /** Every key starting with {@code prefix} that had a value as of {@code ts}, with that value. */
  SortedMap<String, byte[]> scanPrefixAt(String prefix, long ts);

  @Override
  void close();
}
