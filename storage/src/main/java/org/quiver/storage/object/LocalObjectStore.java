package org.quiver.storage.object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.quiver.storage.FileTrees;
import org.quiver.storage.StorageException;

/**
 * An {@link ObjectStore} in a local folder, for a single process and for tests.
 *
 * <p>The object under key {@code k} is the file {@code objects/k}: its bytes followed by a
 * 16-byte trailer (size as 8 bytes, CRC32C as 4, the magic {@code QOB1}), so one rename publishes
 * bytes and checksum together. A put writes a temporary file in {@code tmp/}, syncs it, renames it
 * over the object and syncs the folder, so a crash leaves the old object or the new one. One store
 * at a time may use a folder: opening it clears what a crash left in {@code tmp/}.
 */
public final class LocalObjectStore implements ObjectStore {
  static final int TRAILER = 16;
  private static final int MAGIC = 0x514f4231; // "QOB1"
  private static final int BUFFER = 1 << 20;
  /** How often a rename or a listing is tried again when a concurrent delete pruned a folder. */
  private static final int PRUNED_FOLDER_ATTEMPTS = 10;

  private final Path root;
  private final Path objects;
  private final Path tmp;
  private volatile boolean closed;

  private LocalObjectStore(Path root) {
    this.root = root;
    this.objects = root.resolve("objects");
    this.tmp = root.resolve("tmp");
  }

  /** Opens (creating it if needed) the store kept in {@code root}. */
  public static LocalObjectStore open(Path root) {
    LocalObjectStore store = new LocalObjectStore(root.toAbsolutePath());
    try {
      Files.createDirectories(store.objects);
      FileTrees.deleteRecursively(store.tmp);
      Files.createDirectories(store.tmp);
    } catch (IOException e) {
      throw new StorageException("cannot open object store in " + root, root, e);
    }
    return store;
  }

  /** The file that holds the object under {@code key} (bytes, then trailer), for tests that damage one. */
  public Path fileOf(String key) {
    return objects.resolve(ObjectKeys.check(key));
  }

  @Override
  public ObjectInfo put(String key, Path file) {
    ensureOpen();
    ObjectKeys.check(key);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      return publish(
          key,
          out -> {
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            long size = 0;
            int n;
            while ((n = in.read(buf.clear())) >= 0) {
              buf.flip();
              crc.update(buf.duplicate());
              writeFully(out, buf);
              size += n;
            }
            return new ObjectInfo(key, size, (int) crc.getValue());
          });
    } catch (NoSuchFileException e) {
      throw new StorageException("cannot put " + key + ": no file " + file, file, e);
    } catch (IOException e) {
      throw new StorageException("cannot put " + key + " from " + file + " in " + this, file, e);
    }
  }

  @Override
  public ObjectInfo put(String key, byte[] bytes) {
    ensureOpen();
    ObjectKeys.check(key);
    try {
      return publish(
          key,
          out -> {
            writeFully(out, ByteBuffer.wrap(bytes));
            return new ObjectInfo(key, bytes.length, ObjectKeys.crc32c(bytes));
          });
    } catch (IOException e) {
      throw new StorageException("cannot put " + key + " in " + this, fileOf(key), e);
    }
  }

  /** Writes the body, then the trailer, to a temporary file and renames it over the object. */
  private ObjectInfo publish(String key, Body body) throws IOException {
    Path temp = Files.createTempFile(tmp, "put-", ".tmp");
    try {
      ObjectInfo info;
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        info = body.writeTo(out);
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.BIG_ENDIAN);
        trailer.putLong(info.size()).putInt(info.crc32c()).putInt(MAGIC).flip();
        writeFully(out, trailer);
        out.force(true);
      }
      Path target = objects.resolve(key);
      for (int attempt = 1; ; attempt++) {
        try {
          Files.createDirectories(target.getParent());
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          break;
        } catch (NoSuchFileException e) {
          // A delete pruned the (then empty) parent folder between creating it and the rename.
          if (attempt == PRUNED_FOLDER_ATTEMPTS) {
            throw e;
          }
        } catch (FileAlreadyExistsException e) {
          throw new StorageException(
              "cannot put " + key + ": a part of its folder is an object in " + this, target, e);
        }
      }
      syncDirectory(target.getParent());
      return info;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public ObjectInfo get(String key, Path target) {
    ensureOpen();
    ObjectKeys.check(key);
    Path file = objects.resolve(key);
    Path temp = null;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ObjectInfo recorded = trailer(key, in);
      temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".get-", ".tmp");
      CRC32C crc = new CRC32C();
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        long left = recorded.size();
        long position = 0;
        while (left > 0) {
          buf.clear().limit((int) Math.min(buf.capacity(), left));
          int n = in.read(buf, position);
          if (n < 0) {
            throw new CorruptObjectException(this.toString(), key, "ends early");
          }
          buf.flip();
          crc.update(buf.duplicate());
          writeFully(out, buf);
          position += n;
          left -= n;
        }
        out.force(true);
      }
      checkCrc(recorded, (int) crc.getValue());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      return recorded;
    } catch (NoSuchFileException e) {
      if (e.getFile() != null && Path.of(e.getFile()).equals(file)) {
        throw new ObjectNotFoundException(this.toString(), key);
      }
      throw new StorageException("cannot get " + key + " to " + target, target, e);
    } catch (IOException e) {
      throw new StorageException("cannot get " + key + " to " + target + " from " + this, file, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The failure being reported matters more than a leftover temporary file.
        }
      }
    }
  }

  @Override
  public byte[] getBytes(String key) {
    ensureOpen();
    ObjectKeys.check(key);
    Path file = objects.resolve(key);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ObjectInfo recorded = trailer(key, in);
      if (recorded.size() > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            key + " has " + recorded.size() + " bytes, too many for an array: use get to a file");
      }
      byte[] bytes = new byte[(int) recorded.size()];
      readFully(key, in, ByteBuffer.wrap(bytes), 0);
      checkCrc(recorded, ObjectKeys.crc32c(bytes));
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(this.toString(), key);
    } catch (IOException e) {
      throw new StorageException("cannot get " + key + " from " + this, file, e);
    }
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    ensureOpen();
    ObjectKeys.check(key);
    ObjectKeys.checkRange(key, offset, length);
    Path file = objects.resolve(key);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ObjectInfo recorded = trailer(key, in);
      ObjectKeys.checkRangeInside(key, offset, length, recorded.size());
      byte[] bytes = new byte[length];
      readFully(key, in, ByteBuffer.wrap(bytes), offset);
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(this.toString(), key);
    } catch (IOException e) {
      throw new StorageException("cannot read a range of " + key + " from " + this, file, e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String key) {
    ensureOpen();
    ObjectKeys.check(key);
    Path file = objects.resolve(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      return Optional.of(trailer(key, in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot stat " + key + " in " + this, file, e);
    }
  }

  @Override
  public List<ObjectEntry> list(String prefix) {
    ensureOpen();
    ObjectKeys.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? objects : objects.resolve(prefix.substring(0, slash));
    for (int attempt = 1; ; attempt++) {
      if (!Files.isDirectory(start)) {
        return List.of();
      }
      try {
        List<ObjectEntry> entries = walk(start, prefix);
        entries.sort((a, b) -> ObjectKeys.ORDER.compare(a.key(), b.key()));
        return entries;
      } catch (NoSuchFileException e) {
        // A concurrent delete pruned a folder under the walk: walk again, so that a listing is
        // never silently short.
        if (attempt == PRUNED_FOLDER_ATTEMPTS) {
          throw new StorageException("cannot list " + prefix + " in " + this, start, e);
        }
      } catch (IOException e) {
        throw new StorageException("cannot list " + prefix + " in " + this, start, e);
      }
    }
  }

  private List<ObjectEntry> walk(Path start, String prefix) throws IOException {
    List<ObjectEntry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(file)) {
          continue;
        }
        String key = keyOf(file);
        if (!key.startsWith(prefix)) {
          continue;
        }
        long length;
        try {
          length = Files.size(file);
        } catch (NoSuchFileException deletedMeanwhile) {
          continue;
        }
        if (length < TRAILER) {
          throw new CorruptObjectException(
              this.toString(), key, "file has " + length + " bytes, shorter than its trailer");
        }
        entries.add(new ObjectEntry(key, length - TRAILER));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return entries;
  }

  @Override
  public void delete(String key) {
    ensureOpen();
    ObjectKeys.check(key);
    Path file = objects.resolve(key);
    try {
      if (Files.deleteIfExists(file)) {
        syncDirectory(file.getParent());
        prune(file.getParent());
      }
    } catch (IOException e) {
      throw new StorageException("cannot delete " + key + " in " + this, file, e);
    }
  }

  @Override
  public int deletePrefix(String prefix) {
    int n = 0;
    for (ObjectEntry e : list(prefix)) {
      delete(e.key());
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "folder store " + root;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private String keyOf(Path file) {
    StringBuilder key = new StringBuilder();
    for (Path part : objects.relativize(file)) {
      if (!key.isEmpty()) {
        key.append('/');
      }
      key.append(part);
    }
    return key.toString();
  }

  /** Reads and checks the trailer: the recorded size must match the file's length. */
  private ObjectInfo trailer(String key, FileChannel in) throws IOException {
    long length = in.size();
    if (length < TRAILER) {
      throw new CorruptObjectException(
          this.toString(), key, "file has " + length + " bytes, shorter than its trailer");
    }
    ByteBuffer t = ByteBuffer.allocate(TRAILER).order(ByteOrder.BIG_ENDIAN);
    readFully(key, in, t, length - TRAILER);
    t.flip();
    long size = t.getLong();
    int crc = t.getInt();
    int magic = t.getInt();
    if (magic != MAGIC) {
      throw new CorruptObjectException(this.toString(), key, "trailer has no QOB1 magic");
    }
    if (size != length - TRAILER) {
      throw new CorruptObjectException(
          this.toString(),
          key,
          "holds " + (length - TRAILER) + " bytes, " + size + " were written");
    }
    return new ObjectInfo(key, size, crc);
  }

  private void checkCrc(ObjectInfo recorded, int actual) {
    if (actual != recorded.crc32c()) {
      throw new CorruptObjectException(
          this.toString(),
          recorded.key(),
          "crc32c is " + ObjectKeys.hex(actual) + ", " + recorded.crc32cHex() + " was written");
    }
  }

  /** Removes empty folders from {@code dir} up to (not including) the objects folder. */
  private void prune(Path dir) throws IOException {
    while (dir != null && !dir.equals(objects) && dir.startsWith(objects)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      }
      dir = dir.getParent();
    }
  }

  private void readFully(String key, FileChannel in, ByteBuffer dst, long position)
      throws IOException {
    while (dst.hasRemaining()) {
      int n = in.read(dst, position);
      if (n < 0) {
        throw new CorruptObjectException(this.toString(), key, "ends early");
      }
      position += n;
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      out.write(src);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  @FunctionalInterface
  private interface Body {
    ObjectInfo writeTo(FileChannel out) throws IOException;
  }
}
