package org.quiver.storage.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hamming and Jaccard distances of bit strings packed eight bits a byte (the layout of a
 * BINARY_VECTOR column), counted 64 bits at a time with {@link Long#bitCount}, which the JIT turns
 * into one POPCNT instruction. The unused low bits of a string's last byte are zero in both
 * operands, so they never count. Stateless and thread-safe.
 */
public final class BitKernels {
  /** Eight bytes as one long; the order does not matter to a count of bits. */
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BitKernels() {}

  /** The number of bits that differ between {@code bytes} bytes of {@code a} and of {@code b}. */
  public static int hamming(byte[] a, int aOffset, byte[] b, int bOffset, int bytes) {
    int differ = 0;
    int i = 0;
    for (; i + Long.BYTES <= bytes; i += Long.BYTES) {
      differ += Long.bitCount(
          (long) WORDS.get(a, aOffset + i) ^ (long) WORDS.get(b, bOffset + i));
    }
    for (; i < bytes; i++) {
      differ += Integer.bitCount((a[aOffset + i] ^ b[bOffset + i]) & 0xFF);
    }
    return differ;
  }

  /**
   * The Jaccard distance {@code 1 - |a & b| / |a | b|} of {@code bytes} bytes of {@code a} and
   * of {@code b}; 1 when no bit is set in both, as pgvector defines it (two strings of zeros too).
   */
  public static double jaccard(byte[] a, int aOffset, byte[] b, int bOffset, int bytes) {
    long both = 0;
    long either = 0;
    int i = 0;
    for (; i + Long.BYTES <= bytes; i += Long.BYTES) {
      long x = (long) WORDS.get(a, aOffset + i);
      long y = (long) WORDS.get(b, bOffset + i);
      both += Long.bitCount(x & y);
      either += Long.bitCount(x | y);
    }
    for (; i < bytes; i++) {
      int x = a[aOffset + i] & 0xFF;
      int y = b[bOffset + i] & 0xFF;
      both += Integer.bitCount(x & y);
      either += Integer.bitCount(x | y);
    }
    return both == 0 ? 1.0 : 1 - (double) both / either;
  }
}
