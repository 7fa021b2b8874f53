package org.quiver.storage.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.quiver.storage.FileTrees;
import org.quiver.storage.object.ObjectInfo;
import org.quiver.storage.object.ObjectKeys;

/** File plumbing shared by the segment formats: atomic durable writes and checksum verification. */
final class SegmentIo {

  /** Largest slice handed to CRC32C at once: a ByteBuffer view is limited to 2 GiB. */
  private static final long CRC_CHUNK = 1L << 30;

  private SegmentIo() {}

  /** Writes the body of a file. */
  @FunctionalInterface
  interface Body {
    void writeTo(WritableByteChannel out) throws IOException;
  }

  /**
   * Writes {@code dir/name} so that a crash leaves either the old file or the complete new one:
   * the body goes to a temporary file that is synced, renamed over the final name, and then the
   * directory is synced so the rename itself survives. Callers must not write the same file of the
   * same segment concurrently.
   */
  static FileInfo writeAtomically(Path dir, String name, Body body) throws IOException {
    Path target = dir.resolve(name);
    Files.createDirectories(target.getParent());
    // A fixed temporary name: a leftover from a crash is simply overwritten by the next attempt.
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      long size;
      int crc;
      try (FileChannel file =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ChecksumChannel out = new ChecksumChannel(file);
        body.writeTo(out);
        file.force(true);
        size = out.size;
        crc = (int) out.crc.getValue();
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
      return new FileInfo(name, size, crc);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    FileTrees.syncDirectory(dir);
  }

  static FileInfo describe(Path dir, String name) throws IOException {
    ObjectInfo read = ObjectKeys.describe(name, dir.resolve(name));
    return new FileInfo(name, read.size(), read.crc32c());
  }

  /** Checks that a file exists with the recorded size and checksum. */
  static void verify(Path dir, FileInfo expected) throws CorruptSegmentException {
    Path file = dir.resolve(expected.name());
    FileInfo actual;
    try {
      actual = describe(dir, expected.name());
    } catch (NoSuchFileException e) {
      throw new CorruptSegmentException(file, "file is missing", e);
    } catch (IOException e) {
      throw new CorruptSegmentException(file, "file cannot be read", e);
    }
    check(file, expected, actual.size(), actual.crc32c());
  }

  /**
   * Maps a file and checks it against the manifest before any of it is parsed; the caller parses
   * the same mapped bytes, so what was verified is what is read.
   */
  static MemorySegment mapVerified(Path dir, FileInfo expected, Arena arena) throws IOException {
    Path file = dir.resolve(expected.name());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size != expected.size()) {
        throw new CorruptSegmentException(
            file, "size is " + size + " bytes, manifest says " + expected.size());
      }
      MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      CRC32C crc = new CRC32C();
      for (long off = 0; off < size; off += CRC_CHUNK) {
        crc.update(data.asSlice(off, Math.min(CRC_CHUNK, size - off)).asByteBuffer());
      }
      check(file, expected, size, (int) crc.getValue());
      return data;
    } catch (NoSuchFileException e) {
      throw new CorruptSegmentException(file, "file is missing", e);
    }
  }

  private static void check(Path file, FileInfo expected, long size, int crc)
      throws CorruptSegmentException {
    if (size != expected.size()) {
      throw new CorruptSegmentException(
          file, "size is " + size + " bytes, manifest says " + expected.size());
    }
    if (crc != expected.crc32c()) {
      throw new CorruptSegmentException(
          file,
          "crc32c is " + String.format("%08x", crc) + ", manifest says " + expected.crc32cHex());
    }
  }

  /** Counts and checksums the bytes on their way to a file; closing it leaves the file open. */
  private static final class ChecksumChannel implements WritableByteChannel {
    private final FileChannel file;
    private final CRC32C crc = new CRC32C();
    private long size;
    private boolean open = true;

    ChecksumChannel(FileChannel file) {
      this.file = file;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      ByteBuffer view = src.duplicate();
      int n = file.write(src);
      crc.update(view.limit(view.position() + n));
      size += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  /** A read-only channel over mapped bytes, for Arrow's file reader. */
  static final class MemorySegmentChannel implements SeekableByteChannel {
    private final MemorySegment data;
    private long position;
    private boolean open = true;

    MemorySegmentChannel(MemorySegment data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
      long left = data.byteSize() - position;
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), left);
      dst.put(data.asSlice(position, n).asByteBuffer());
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      if (newPosition < 0) {
        throw new IllegalArgumentException("position must be >= 0, got " + newPosition);
      }
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return data.byteSize();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
