package org.quiver.storage.object;

import org.quiver.storage.StorageException;

/** A read named a key that holds no object. */
public class ObjectNotFoundException extends StorageException {
  private final String key;

  public ObjectNotFoundException(String store, String key) {
    super("no object " + key + " in " + store, null);
    this.key = key;
  }

  /** The key that was read. */
  public String key() {
    return key;
  }
}
