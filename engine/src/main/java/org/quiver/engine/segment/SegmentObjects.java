package org.quiver.engine.segment;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.quiver.storage.FileTrees;
import org.quiver.storage.StorageException;
import org.quiver.storage.object.CorruptObjectException;
import org.quiver.storage.object.ObjectEntry;
import org.quiver.storage.object.ObjectStore;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.SegmentManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment and index folders of a data directory kept in an object store, of which the local
 * folders are a cache ({@code QuiverConfig.segments}). A folder {@code segments/<table>/<partition>
 * /<segment>} (and an index folder {@code .../index-<id>} inside it) is stored file by file under
 * the keys {@code <folder>/<file>}, the same relative paths as on disk.
 *
 * <p>A folder is uploaded once it is complete on disk, its manifest last, and before the catalog
 * records it, so that every segment or index the catalog lists is in the store. A folder the
 * catalog lists but the local cache lacks (a fresh node, a removed cache) is downloaded into a
 * folder of its own under {@value #PARTIAL}, every object checked against the CRC32C recorded when
 * it was written, and only then renamed into place, so a download cut short never looks like a
 * complete folder; the files are then read as local ones are, verified against their manifest.
 *
 * <p>Deleting a folder deletes its objects. Objects of a write that crashed before the catalog
 * recorded it stay in the store (garbage that a later sweep may collect); the local clean-up of
 * such leftovers at start-up never deletes objects. Thread-safe: concurrent readers of one
 * missing folder download it once.
 */
public final class SegmentObjects implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentObjects.class);
  /** The folder of the data directory where downloads are assembled before they are renamed. */
  public static final String PARTIAL = "segments.partial";
  /**
   * The folder of the data directory that caches some files of segment folders: the manifest and
   * delete file of a segment whose rows another query node holds ({@link #fetchFiles}).
   */
  public static final String PARTS = "segments.parts";

  private final ObjectStore store;
  private final Path root;
  private final String location;
  private final Map<String, Object> fetching = new ConcurrentHashMap<>();

  /**
   * @param store where the folders live; closed with this
   * @param dataDirectory the data directory whose {@code segments/} folder is the cache
   * @param location the store's location for messages, without credentials
   */
  public SegmentObjects(ObjectStore store, Path dataDirectory, String location) {
    this.store = store;
    this.root = dataDirectory;
    this.location = location;
    // Downloads a crash cut short.
    FileTrees.deleteRecursively(root.resolve(PARTIAL));
  }

  /** Where the objects live, for messages: no credentials. */
  public String location() {
    return location;
  }

  /**
   * Uploads a complete local folder, its manifest last: for a segment ({@code nested} false) only
   * the files directly in it, for an index every file under it.
   *
   * @throws IOException naming the folder and the store if a file cannot be read or stored
   */
  public void upload(String directory, boolean nested) throws IOException {
    Path dir = root.resolve(directory);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = nested ? Files.walk(dir) : Files.list(dir)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    // The manifest last, so that a reader of the store never sees a manifest without its files.
    files.sort((a, b) -> Boolean.compare(isManifest(dir, a), isManifest(dir, b)));
    for (Path file : files) {
      String key = directory + "/" + relative(dir, file);
      try {
        store.put(key, file);
      } catch (StorageException | IllegalArgumentException e) {
        throw new IOException("cannot store " + file + " as " + key + " in " + location + ": "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * Makes sure a folder the catalog lists is in the local cache, downloading it if its manifest
   * is missing there.
   *
   * @param nested whether the folder's sub-folders are part of it (an index), or belong to others
   *     (a segment, whose index folders are fetched on their own)
   * @return whether it was downloaded
   * @throws CorruptSegmentException naming the file if an object does not match its checksum
   * @throws IOException if the store does not hold the folder or cannot be read
   */
  public boolean fetch(String directory, boolean nested) throws IOException {
    Path dir = root.resolve(directory);
    if (Files.exists(dir.resolve(SegmentManifest.FILE_NAME))) {
      return false;
    }
    Object lock = fetching.computeIfAbsent(directory, d -> new Object());
    synchronized (lock) {
      try {
        if (Files.exists(dir.resolve(SegmentManifest.FILE_NAME))) {
          return false;
        }
        download(directory, dir, nested);
        return true;
      } finally {
        fetching.remove(directory, lock);
      }
    }
  }

  /**
   * Makes sure some files of a segment folder the catalog lists are in the local cache, and says
   * where: the folder itself when it is cached whole, else a folder under {@value #PARTS} that
   * holds only {@code names} (downloaded together, each object checked against its CRC32C, and
   * renamed into place once all are there). For a query node that needs a segment's delete file
   * but not its rows.
   *
   * @throws CorruptSegmentException naming the file if an object does not match its checksum
   * @throws IOException if the store does not hold one of the files or cannot be read
   */
  public Path fetchFiles(String directory, List<String> names) throws IOException {
    Path whole = root.resolve(directory);
    if (Files.exists(whole.resolve(SegmentManifest.FILE_NAME))) {
      return whole;
    }
    Path part = root.resolve(PARTS).resolve(directory);
    if (names.stream().allMatch(n -> Files.exists(part.resolve(n)))) {
      return part;
    }
    Object lock = fetching.computeIfAbsent(PARTS + "/" + directory, d -> new Object());
    synchronized (lock) {
      try {
        if (!names.stream().allMatch(n -> Files.exists(part.resolve(n)))) {
          downloadFiles(directory, part, names);
        }
        return part;
      } finally {
        fetching.remove(PARTS + "/" + directory, lock);
      }
    }
  }

  private void downloadFiles(String directory, Path part, List<String> names) throws IOException {
    Path partial = root.resolve(PARTIAL).resolve(UUID.randomUUID().toString());
    Files.createDirectories(partial);
    try {
      for (String name : names) {
        String key = directory + "/" + name;
        try {
          store.get(key, partial.resolve(name));
        } catch (CorruptObjectException e) {
          throw new CorruptSegmentException(part.resolve(name),
              "object " + key + " in " + location + ": " + e.reason(), e);
        } catch (StorageException e) {
          throw new IOException("cannot fetch " + key + " from " + location + ": "
              + e.getMessage(), e);
        }
      }
      FileTrees.syncDirectory(partial);
      // A part fetched before with other files is replaced whole.
      FileTrees.deleteRecursively(part);
      Files.createDirectories(part.getParent());
      Files.move(partial, part, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.syncDirectory(part.getParent());
    } finally {
      FileTrees.deleteRecursively(partial);
    }
  }

  private void download(String directory, Path dir, boolean nested) throws IOException {
    long start = System.nanoTime();
    String prefix = directory + "/";
    List<ObjectEntry> objects;
    try {
      objects = store.list(prefix).stream()
          .filter(o -> nested || o.key().indexOf('/', prefix.length()) < 0)
          .toList();
    } catch (StorageException e) {
      throw new IOException("cannot list " + prefix + " in " + location + ": " + e.getMessage(),
          e);
    }
    if (objects.stream().noneMatch(o -> o.key().equals(prefix + SegmentManifest.FILE_NAME))) {
      throw new NoSuchFileException(dir.toString(), null, "neither in the local cache nor in "
          + location + " (no object " + prefix + SegmentManifest.FILE_NAME + ")");
    }
    Path partial = root.resolve(PARTIAL).resolve(UUID.randomUUID().toString());
    Files.createDirectories(partial);
    long bytes = 0;
    try {
      for (ObjectEntry o : objects) {
        String name = o.key().substring(prefix.length());
        Path target = partial.resolve(name);
        Files.createDirectories(target.getParent());
        try {
          bytes += store.get(o.key(), target).size();
        } catch (CorruptObjectException e) {
          throw new CorruptSegmentException(dir.resolve(name),
              "object " + o.key() + " in " + location + ": " + e.reason(), e);
        } catch (StorageException e) {
          throw new IOException("cannot fetch " + o.key() + " from " + location + ": "
              + e.getMessage(), e);
        }
      }
      FileTrees.syncDirectory(partial);
      Files.createDirectories(dir.getParent());
      if (!moveWhole(partial, dir)) {
        // The folder exists without its manifest: it holds the index folders fetched before
        // the segment. Move the files in, the manifest last.
        List<Path> files;
        try (Stream<Path> walk = Files.walk(partial)) {
          files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        files.sort((a, b) -> Boolean.compare(isManifest(partial, a), isManifest(partial, b)));
        for (Path file : files) {
          Path target = dir.resolve(relative(partial, file));
          Files.createDirectories(target.getParent());
          Files.move(file, target, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
        FileTrees.syncDirectory(dir);
      }
      FileTrees.syncDirectory(dir.getParent());
    } finally {
      FileTrees.deleteRecursively(partial);
    }
    LOG.info("event=segment_folder_fetched folder={} objects={} bytes={} ms={}", directory,
        objects.size(), bytes, (System.nanoTime() - start) / 1_000_000);
  }

  /** Renames the whole download into place; false if a folder is there already. */
  private static boolean moveWhole(Path partial, Path dir) throws IOException {
    if (Files.exists(dir)) {
      return false;
    }
    try {
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
      return false;
    } catch (IOException e) {
      if (Files.exists(dir)) {
        // Not empty: another folder was made there meanwhile.
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes every object of a folder ({@code segments/<table>}, a partition's or a segment's).
   *
   * @throws IOException naming the store if it cannot
   */
  public void delete(String directory) throws IOException {
    try {
      int n = store.deletePrefix(directory + "/");
      LOG.info("event=segment_objects_deleted folder={} objects={}", directory, n);
    } catch (StorageException e) {
      throw new IOException("cannot delete the objects of " + directory + " from " + location
          + ": " + e.getMessage(), e);
    }
  }

  private static boolean isManifest(Path dir, Path file) {
    return dir.relativize(file).toString().equals(SegmentManifest.FILE_NAME);
  }

  private static String relative(Path dir, Path file) {
    Path rel = dir.relativize(file);
    StringBuilder key = new StringBuilder();
    for (Path part : rel) {
      if (!key.isEmpty()) {
        key.append('/');
      }
      key.append(part);
    }
    return key.toString();
  }

  @Override
  public void close() {
    store.close();
  }
}
