package org.quiver.storage;

/**
 * An I/O failure of a storage engine (RocksDB, the file system) surfaced through an interface that
 * declares no checked exceptions, such as {@link org.quiver.storage.kv.KvStore}.
 */
public class StorageException extends RuntimeException {

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
