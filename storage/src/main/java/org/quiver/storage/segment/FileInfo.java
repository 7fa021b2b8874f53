package org.quiver.storage.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a segment as its manifest records it.
 *
 * @param name path relative to the segment directory, with '/' as separator (index files live in
 *     sub-directories such as {@code index-7/graph})
 * @param size length in bytes
 * @param crc32c CRC32C of the whole file
 */
public record FileInfo(String name, long size, int crc32c) {

  public FileInfo {
    Objects.requireNonNull(name, "name");
    if (!isSafeName(name)) {
      throw new IllegalArgumentException(
          "file name must be a relative path inside the segment, got '" + name + "'");
    }
    if (size < 0) {
      throw new IllegalArgumentException("file size must be >= 0, got " + size);
    }
  }

  /** Measures and checksums a file already written in the segment directory. */
  public static FileInfo of(Path dir, String name) throws IOException {
    return SegmentIo.describe(dir, name);
  }

  /** The CRC32C as 8 lower-case hex digits, as the manifest stores it. */
  public String crc32cHex() {
    return String.format("%08x", crc32c);
  }

  private static boolean isSafeName(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("\\")) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
