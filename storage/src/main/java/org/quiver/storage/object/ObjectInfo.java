package org.quiver.storage.object;

import java.util.Objects;

/**
 * An object as its store records it.
 *
 * @param key the object's key, relative to the store's root
 * @param size length in bytes
 * @param crc32c CRC32C of the whole object, the checksum segment manifests use for their files
 */
public record ObjectInfo(String key, long size, int crc32c) {

  public ObjectInfo {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("object size must be >= 0, got " + size);
    }
  }

  /** The CRC32C as 8 lower-case hex digits, as segment manifests and object metadata store it. */
  public String crc32cHex() {
    return ObjectKeys.hex(crc32c);
  }
}
