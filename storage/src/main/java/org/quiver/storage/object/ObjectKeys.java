package org.quiver.storage.object;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.zip.CRC32C;

/** Rules for keys and the checksum every object store shares. */
public final class ObjectKeys {

  /**
   * The order of keys in a listing: by their UTF-8 bytes, unsigned, as S3 lists them (it differs
   * from {@link String#compareTo} only for characters outside the Basic Multilingual Plane).
   */
  public static final Comparator<String> ORDER =
      (a, b) ->
          java.util.Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private static final int MAX_KEY_BYTES = 900;

  private ObjectKeys() {}

  /**
   * Checks that {@code key} is a relative, '/'-separated name: not empty, no empty, "." or ".."
   * part, no leading or trailing '/', no backslash or control character, at most 900 UTF-8 bytes
   * (S3 allows 1024 for the whole key, which also carries the store's root prefix).
   *
   * @return the key
   * @throws IllegalArgumentException naming the key if it breaks a rule
   */
  public static String check(String key) {
    if (key == null) {
      throw new IllegalArgumentException("object key must not be null");
    }
    if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
      throw new IllegalArgumentException(
          "object key must be a relative '/'-separated name, got '" + key + "'");
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw new IllegalArgumentException(
            "object key must not contain control characters, got '" + key + "'");
      }
    }
    for (String part : key.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException(
            "object key must not have empty, '.' or '..' parts, got '" + key + "'");
      }
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "object key must be at most " + MAX_KEY_BYTES + " UTF-8 bytes, got '" + key + "'");
    }
    return key;
  }

  /**
   * Checks a listing prefix: empty (everything) or the start of a valid key, so it may end with
   * '/' but must not start with one.
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("object key prefix must not be null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String asKey = prefix.endsWith("/") ? prefix + "x" : prefix;
    try {
      check(asKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "object key prefix must be the start of a valid key, got '" + prefix + "'", e);
    }
    return prefix;
  }

  /** Checks a range request: offset and length not negative. */
  static void checkRange(String key, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "range of " + key + " must have offset >= 0 and length >= 0, got offset " + offset
              + " length " + length);
    }
  }

  /** Throws if the range does not lie inside an object of {@code size} bytes. */
  public static void checkRangeInside(String key, long offset, int length, long size) {
    checkRange(key, offset, length);
    if (offset + length > size) {
      throw new IllegalArgumentException(
          "range offset " + offset + " length " + length + " lies beyond the end of " + key
              + " (" + size + " bytes)");
    }
  }

  /** 8 lower-case hex digits. */
  public static String hex(int crc32c) {
    return String.format("%08x", crc32c);
  }

  /** Parses 8 hex digits written by {@link #hex}. */
  public static int parseHex(String hex) {
    if (hex == null || hex.length() != 8) {
      throw new NumberFormatException("a CRC32C is 8 hex digits, got '" + hex + "'");
    }
    return Integer.parseUnsignedInt(hex, 16);
  }

  /** The CRC32C of bytes. */
  public static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  /** The size and CRC32C of a file's whole content, read once. */
  public static ObjectInfo describe(String key, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      CRC32C crc = new CRC32C();
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
      long size = 0;
      int n;
      while ((n = ch.read(buf.clear())) >= 0) {
        crc.update(buf.flip());
        size += n;
      }
      return new ObjectInfo(key, size, (int) crc.getValue());
    }
  }
}
