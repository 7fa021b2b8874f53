package org.quiver.storage.object;

import java.util.Objects;

/**
 * One object of a listing: its key and size. A listing does not carry checksums (S3 returns none
 * without a request per object); {@link ObjectStore#stat} does.
 */
public record ObjectEntry(String key, long size) {

  public ObjectEntry {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("object size must be >= 0, got " + size);
    }
  }
}
