package org.quiver.storage.kv;

/**
 * One key's change, as a {@link KvStore#watchPrefix watch} reports it.
 *
 * @param value the new value, or null when the key was removed
 */
public record KvChange(String key, byte[] value) {
  public boolean removed() {
    return value == null;
  }
}
