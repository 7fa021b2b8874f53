package org.quiver.storage.object;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Immutable files of a cluster (segment and index files) under '/'-separated relative keys, such
 * as {@code segments/12/data.arrow}: a folder for a single process, S3 for a cluster.
 *
 * <p>Every object carries the CRC32C of its bytes, recorded when it is written (the checksum the
 * segment manifests use for their files). A whole-object read ({@link #get(String, Path)}, {@link
 * #getBytes}) checks it and throws {@link CorruptObjectException} naming the key on a mismatch; a
 * range read ({@link #getRange}) cannot check a whole-object checksum, so the format it reads must
 * check its own parts (a segment's manifest lists each file's size and CRC32C).
 *
 * <p>A put replaces the object whole: a reader sees the old bytes or the new ones, never a part.
 * A key is both a file and, as a prefix, a folder only in S3: a folder store cannot hold both
 * {@code a} and {@code a/b}, so callers never write a key that is the folder of another. Every
 * failure is a {@link org.quiver.storage.StorageException} naming the key (a missing object on a
 * read is an {@link ObjectNotFoundException}); invalid keys and ranges are {@link
 * IllegalArgumentException}s. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Stores the content of {@code file} under {@code key}, replacing any object there. The file must
   * not change during the put (an S3 store reads it once for the checksum and again to send it; a
   * change shows up as a corrupt object on the next whole read).
   */
  ObjectInfo put(String key, Path file);

  /** Stores {@code bytes} under {@code key}, replacing any object there. */
  ObjectInfo put(String key, byte[] bytes);

  /**
   * Copies the object to {@code target} (replacing a file there) after checking its size and
   * CRC32C; on a mismatch {@code target} is left untouched. The parent folder of {@code target}
   * must exist.
   *
   * @throws ObjectNotFoundException if there is no such object
   * @throws CorruptObjectException if the bytes do not match the recorded checksum
   */
  ObjectInfo get(String key, Path target);

  /**
   * The whole object, checked like {@link #get(String, Path)}; for objects that fit in an array.
   *
   * @throws ObjectNotFoundException if there is no such object
   * @throws CorruptObjectException if the bytes do not match the recorded checksum
   */
  byte[] getBytes(String key);

  /**
   * {@code length} bytes of the object from {@code offset}, for reading parts of a big file. Not
   * checked against the object's CRC32C (see the class comment).
   *
   * @throws ObjectNotFoundException if there is no such object
   * @throws IllegalArgumentException if the range does not lie inside the object
   */
  byte[] getRange(String key, long offset, int length);

  /** The object's size and CRC32C, or empty if there is no object under {@code key}. */
  Optional<ObjectInfo> stat(String key);

  /** Whether an object is stored under {@code key}. */
  default boolean exists(String key) {
    return stat(key).isPresent();
  }

  /**
   * Every object whose key starts with {@code prefix} (a plain string prefix: {@code "seg/1"}
   * matches {@code seg/1/a} and {@code seg/10/a}; end it with '/' for one folder), in {@link
   * ObjectKeys#ORDER}. The empty prefix lists everything.
   */
  List<ObjectEntry> list(String prefix);

  /** Removes the object under {@code key}; nothing happens if there is none. */
  void delete(String key);

  /**
   * Removes every object {@link #list} would return for {@code prefix}.
   *
   * @return how many objects were removed
   */
  int deletePrefix(String prefix);

  @Override
  void close();
}
