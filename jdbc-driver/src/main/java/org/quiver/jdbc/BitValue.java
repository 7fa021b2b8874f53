package org.quiver.jdbc;

import java.util.Arrays;
import java.util.BitSet;

/**
 * An immutable bit string as a SQL value: what a {@code BIT(n)} expression holds (pgvector's
 * binary vectors, PostgreSQL's {@code bit(n)}), and what {@code ResultSet.getObject} returns for a
 * BIT column. Its text form is PostgreSQL's, the bits from the first: {@code 1010}.
 *
 * <p>The bits are packed most significant first: bit 0 (the first written) is the high bit of
 * byte 0, and the unused low bits of the last byte are zero, so that the bytes alone decide
 * equality. Bit strings compare as PostgreSQL compares them: byte by byte as unsigned numbers
 * (so bit by bit, from the first), then the shorter first; {@code equals} and {@code hashCode}
 * agree with that order.
 */
public final class BitValue implements Comparable<BitValue> {
  /** The most bits of a {@code BIT(n)}: pgvector's limit for the bit strings it indexes. */
  public static final int MAX_LENGTH = 64000;

  private final int length;
  private final byte[] bytes;

  private BitValue(int length, byte[] bytes) {
    this.length = length;
    this.bytes = bytes;
  }

  /**
   * The bit string of {@code length} bits packed in {@code bytes} (copied): {@code ceil(length /
   * 8)} bytes whose bits past the length are zero.
   *
   * @throws IllegalArgumentException if the length is below 1 or the bytes do not fit it
   */
  public static BitValue of(int length, byte[] bytes) {
    return wrap(length, bytes.clone());
  }

  /**
   * As {@link #of}, without a copy: the caller hands {@code bytes} over and must not change them
   * afterwards (how the engine's values become SQL values).
   */
  public static BitValue wrap(int length, byte[] bytes) {
    if (length < 1) {
      throw new IllegalArgumentException("a bit string has at least one bit, got " + length);
    }
    if (bytes.length != byteLength(length)) {
      throw new IllegalArgumentException("a bit string of " + length + " bits takes "
          + byteLength(length) + " bytes, got " + bytes.length);
    }
    int unused = padMask(length);
    if ((bytes[bytes.length - 1] & unused) != 0) {
      throw new IllegalArgumentException(
          "the bytes of a bit string of " + length + " bits have bits set past its length");
    }
    return new BitValue(length, bytes);
  }

  /**
   * The bit string of the first {@code length} bits of {@code bits}: bit {@code i} of the string is
   * {@code bits.get(i)}.
   */
  public static BitValue fromBitSet(BitSet bits, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a bit string has at least one bit, got " + length);
    }
    byte[] out = new byte[byteLength(length)];
    for (int i = bits.nextSetBit(0); i >= 0 && i < length; i = bits.nextSetBit(i + 1)) {
      out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
    }
    return new BitValue(length, out);
  }

  /**
   * Parses PostgreSQL's text form, {@code 0}s and {@code 1}s ({@code 1010}); surrounding spaces
   * are ignored.
   *
   * @throws IllegalArgumentException naming the text if it is empty, holds another character or
   *     is longer than {@link #MAX_LENGTH}
   */
  public static BitValue parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid bit string '" + text + "': a bit string has at least one bit");
    }
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("bit string of " + s.length()
          + " bits is longer than the " + MAX_LENGTH + " bits a BIT(n) may have");
    }
    byte[] out = new byte[byteLength(s.length())];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '1') {
        out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      } else if (c != '0') {
        throw new IllegalArgumentException("invalid bit string '" + text + "': \""
            + new String(Character.toChars(s.codePointAt(i))) + "\" is not a valid binary digit");
      }
    }
    return new BitValue(s.length(), out);
  }

  /** Whether a JDBC type name is a bit string's: {@code BIT}, or {@code BIT(n)}. */
  public static boolean isTypeName(String typeName) {
    return typeName != null && (typeName.equalsIgnoreCase("BIT")
        || typeName.regionMatches(true, 0, "BIT(", 0, 4));
  }

  /** The bytes a bit string of {@code length} bits takes: {@code ceil(length / 8)}. */
  public static int byteLength(int length) {
    return (length + 7) >>> 3;
  }

  /** The bits of the last byte that lie past a string of {@code length} bits. */
  private static int padMask(int length) {
    int used = length & 7;
    return used == 0 ? 0 : 0xFF >>> used;
  }

  /** The number of bits. */
  public int length() {
    return length;
  }

  /** Bit {@code index}, counted from 0 at the first (leftmost) bit. */
  public boolean get(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("bit " + index + " of a bit string of " + length);
    }
    return (bytes[index >>> 3] & (0x80 >>> (index & 7))) != 0;
  }

  /** The number of bits set: PostgreSQL's {@code bit_count}. */
  public int bitCount() {
    int count = 0;
    for (byte b : bytes) {
      count += Integer.bitCount(b & 0xFF);
    }
    return count;
  }

  /** A copy of the packed bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /**
   * The packed bytes themselves (not a copy): read them, never change them. For the engine's
   * kernels and writers, which would otherwise copy every value.
   */
  public byte[] bytes() {
    return bytes;
  }

  /** The bits as a {@link BitSet}: bit {@code i} of the string is bit {@code i} of the set. */
  public BitSet toBitSet() {
    BitSet out = new BitSet(length);
    for (int i = 0; i < length; i++) {
      if (get(i)) {
        out.set(i);
      }
    }
    return out;
  }

  @Override
  public int compareTo(BitValue other) {
    int common = Math.min(bytes.length, other.bytes.length);
    for (int i = 0; i < common; i++) {
      int a = bytes[i] & 0xFF;
      int b = other.bytes[i] & 0xFF;
      if (a != b) {
        return a < b ? -1 : 1;
      }
    }
    return Integer.compare(length, other.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BitValue b && length == b.length && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * length + Arrays.hashCode(bytes);
  }

  /** The text form, as PostgreSQL writes it: {@code 1010}. */
  @Override
  public String toString() {
    char[] text = new char[length];
    for (int i = 0; i < length; i++) {
      text[i] = (bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0 ? '1' : '0';
    }
    return new String(text);
  }
}
