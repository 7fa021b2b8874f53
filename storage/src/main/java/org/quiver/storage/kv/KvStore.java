package org.quiver.storage.kv;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;

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

  /**
   * Calls {@code listener} with the changes to keys under {@code prefix} that writes made after
   * this call returns: once per write (a {@link #multiSave} is one call), in the order the writes
   * were made, each call's changes in key order; by any writer of the store, in this process or
   * (for a shared store) another. The listener runs on a thread of the store's, not the writer's.
   */
  KvWatch watchPrefix(String prefix, Consumer<List<KvChange>> listener);

  /**
   * Claims {@code name} for this store alone until it is closed, so that two engines never write
   * one catalog: a store kept in one process's files (RocksDB, which locks them) is exclusive
   * already and does nothing; a shared store records the claim so that it lapses with the
   * claimant's session.
   *
   * @param owner who claims, named in the error another claimant gets
   * @throws IllegalStateException naming the current owner when another holds the claim
   */
  default void claimExclusive(String name, String owner) {}

  /**
   * Writes {@code key} for as long as this store stays open in a live process, so that others
   * can tell which processes are up (a cluster's sessions): a shared store writes it under the
   * lease its claims use, so that it lapses with the process and goes at {@link #close}. A store
   * kept in one process's files has no other reader, and this is an ordinary {@link #put}.
   */
  default void putForSession(String key, byte[] value) {
    put(key, value);
  }

  @Override
  void close();
}
