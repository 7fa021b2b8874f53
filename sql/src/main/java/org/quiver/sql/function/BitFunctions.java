package org.quiver.sql.function;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.BitValue;
import org.quiver.sql.type.BitCasts;

/**
 * pgvector's functions of bit strings, and PostgreSQL's {@code bit_count}, for the rows Calcite
 * evaluates itself (every search by a bit-string distance today). Each operand is a bit string, or
 * text that stands for one (a literal or a parameter). Both distances count bits with
 * {@link Long#bitCount} over the packed bytes read eight at a time, which the JIT compiles to the
 * processor's population count. NULL in, NULL out.
 */
public final class BitFunctions {
  private BitFunctions() {}

  /** {@code a <~> b}: the number of bits that differ, as a double, as pgvector returns it. */
  public static Double hammingDistance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    BitValue bitsA = BitCasts.bit(a);
    byte[] x = bitsA.bytes();
    byte[] y = sameLength(bitsA, BitCasts.bit(b)).bytes();
    long differ = 0;
    int i = 0;
    for (; i + Long.BYTES <= x.length; i += Long.BYTES) {
      differ += Long.bitCount(word(x, i) ^ word(y, i));
    }
    for (; i < x.length; i++) {
      differ += Integer.bitCount((x[i] ^ y[i]) & 0xFF);
    }
    return (double) differ;
  }

  /**
   * {@code a <%> b}: one minus the bits set in both over the bits set in either; 1 when no bit is
   * set in both (also when none is set at all), as pgvector computes it.
   */
  public static Double jaccardDistance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    BitValue bitsA = BitCasts.bit(a);
    byte[] x = bitsA.bytes();
    byte[] y = sameLength(bitsA, BitCasts.bit(b)).bytes();
    long both = 0;
    long inX = 0;
    long inY = 0;
    int i = 0;
    for (; i + Long.BYTES <= x.length; i += Long.BYTES) {
      long wx = word(x, i);
      long wy = word(y, i);
      both += Long.bitCount(wx & wy);
      inX += Long.bitCount(wx);
      inY += Long.bitCount(wy);
    }
    for (; i < x.length; i++) {
      both += Integer.bitCount(x[i] & y[i] & 0xFF);
      inX += Integer.bitCount(x[i] & 0xFF);
      inY += Integer.bitCount(y[i] & 0xFF);
    }
    return both == 0 ? 1.0 : 1 - (double) both / (double) (inX + inY - both);
  }

  /** PostgreSQL's {@code bit_count(b)}: the number of bits set. */
  public static Long bitCount(Object a) {
    return a == null ? null : (long) BitCasts.bit(a).bitCount();
  }

  /** {@code b}, when it has as many bits as {@code a}; 22000 naming both lengths otherwise. */
  private static BitValue sameLength(BitValue a, BitValue b) {
    if (a.length() != b.length()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different bit lengths %d and %d", a.length(), b.length());
    }
    return b;
  }

  /** Eight bytes from {@code at} as one long, the first the most significant. */
  private static long word(byte[] bytes, int at) {
    return (bytes[at] & 0xFFL) << 56 | (bytes[at + 1] & 0xFFL) << 48
        | (bytes[at + 2] & 0xFFL) << 40 | (bytes[at + 3] & 0xFFL) << 32
        | (bytes[at + 4] & 0xFFL) << 24 | (bytes[at + 5] & 0xFFL) << 16
        | (bytes[at + 6] & 0xFFL) << 8 | (bytes[at + 7] & 0xFFL);
  }
}
