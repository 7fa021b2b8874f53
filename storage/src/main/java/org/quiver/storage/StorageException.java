package org.quiver.storage;

import java.nio.file.Path;

/**
 * An I/O failure of a storage engine (RocksDB, the file system) surfaced through an interface that
 * declares no checked exceptions, such as {@link org.quiver.storage.kv.KvStore}.
 */
public class StorageException extends RuntimeException {
  private final Path path;

  public StorageException(String message, Throwable cause) {
    this(message, null, cause);
  }

  public StorageException(String message, Path path, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The directory or file the failed operation wrote or read; null when not known. */
  public Path path() {
    return path;
  }
}
