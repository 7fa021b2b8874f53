package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The elements of float16 vectors (IEEE 754 binary16, pgvector's halfvec): in memory they are
 * floats that float16 holds exactly, in files and the log little-endian float16. The one place
 * that converts between the two, so that a value read back is the value stored.
 *
 * <p>The loops are plain Java over arrays, which C2 vectorizes (F16C on x86). A NULL
 * vector's NaN floats encode to float16 NaN and decode back to NaN, so the NULL mark of
 * {@link NullVectors} survives. Stateless and thread-safe.
 */
public final class HalfFloats {
  /** A float16 element as files and the log hold it. */
  public static final ValueLayout.OfShort SHORT_LE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private HalfFloats() {}

  /** {@code x} rounded to the nearest float16 (ties to even), as a float. */
  public static float round(float x) {
    return Float.float16ToFloat(Float.floatToFloat16(x));
  }

  /** Rounds {@code values[from..to)} to float16 in place. */
  public static void round(float[] values, int from, int to) {
    for (int i = from; i < to; i++) {
      values[i] = round(values[i]);
    }
  }

  /**
   * Decodes {@code count} float16 elements from byte {@code offset} of {@code src} into
   * {@code out} from {@code at}.
   */
  public static void decode(MemorySegment src, long offset, float[] out, int at, int count) {
    // One bulk copy of the bits, then a loop over a plain array that C2 vectorizes. Reading the
    // segment element by element through its var handle was not inlined where a graph search
    // scores candidates (deep in jvector's searcher), and cost 7x the float32 search.
    short[] bits = new short[Math.min(count, DECODE_BLOCK)];
    for (int done = 0; done < count; done += bits.length) {
      int n = Math.min(bits.length, count - done);
      MemorySegment.copy(src, SHORT_LE, offset + (long) done * Short.BYTES, bits, 0, n);
      for (int i = 0; i < n; i++) {
        out[at + done + i] = Float.float16ToFloat(bits[i]);
      }
    }
  }

  /** The most elements {@link #decode} copies at a time (1 KB of bits). */
  private static final int DECODE_BLOCK = 512;

  /**
   * Encodes {@code values[from..from + count)} as float16 from byte {@code offset} of
   * {@code dst}.
   */
  public static void encode(float[] values, int from, int count, MemorySegment dst, long offset) {
    for (int i = 0; i < count; i++) {
      dst.set(SHORT_LE, offset + (long) i * Short.BYTES, Float.floatToFloat16(values[from + i]));
    }
  }

  /** Whether the float16 element at byte {@code offset} of {@code src} is NaN. */
  public static boolean isNaN(MemorySegment src, long offset) {
    return Float.isNaN(Float.float16ToFloat(src.get(SHORT_LE, offset)));
  }
}
