package org.quiver.storage.object;

import org.quiver.storage.StorageException;

/**
 * An object's bytes do not match the size or CRC32C recorded when it was written (or carry no
 * record at all): they must not be used.
 */
public class CorruptObjectException extends StorageException {
  private final String key;
  private final String reason;

  public CorruptObjectException(String store, String key, String reason) {
    super("corrupt object " + key + " in " + store + ": " + reason, null);
    this.key = key;
    this.reason = reason;
  }

  /** The key of the object that failed its check. */
  public String key() {
    return key;
  }

  /** What is wrong with the object, without its key. */
  public String reason() {
    return reason;
  }
}
