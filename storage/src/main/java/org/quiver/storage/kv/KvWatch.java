package org.quiver.storage.kv;

/** A running {@link KvStore#watchPrefix watch}; closing it stops the calls to its listener. */
public interface KvWatch extends AutoCloseable {
  @Override
  void close();
}
