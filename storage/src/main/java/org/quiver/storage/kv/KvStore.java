package org.quiver.storage.kv;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;

/**
 * A durable, ordered key-value store: the catalog, the TSO window and checkpoints live here.
 *
 * <p>Every write returns only after it is durable (synced). Implementations are thread-safe.
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

  @Override
  void close();
}
