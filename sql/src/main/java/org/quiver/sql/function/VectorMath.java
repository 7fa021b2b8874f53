package org.quiver.sql.function;

import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.storage.vector.VectorKernels;

/**
 * pgvector's vector functions over {@code float[]}, as pgvector defines them; the SQL functions
 * in {@link VectorFunctions} convert their arguments and results around these.
 */
final class VectorMath {
  private VectorMath() {}

  /** Taxicab (L1) distance; fails with 22000 if the dimensions differ. */
  static double l1Distance(float[] a, float[] b) {
    sameDimension(a, b);
    return VectorKernels.l1(a, b, 0, a.length);
  }

  /** The vector divided by its Euclidean norm; a zero vector stays zero, as in pgvector. */
  static float[] l2Normalize(float[] a) {
    double norm = Math.sqrt(VectorKernels.normSquared(a, 0, a.length));
    float[] normalized = new float[a.length];
    if (norm > 0) {
      for (int i = 0; i < a.length; i++) {
        normalized[i] = (float) (a[i] / norm);
      }
    }
    return normalized;
  }

  /**
   * The {@code count} elements from the 1-based position {@code start}, clipped to the vector as
   * SQL's SUBSTRING clips a string; fails with 22000 if nothing is left.
   */
  static float[] subvector(float[] a, int start, int count) {
    long end = (long) start + count;
    long from = Math.max(start, 1);
    long to = Math.min(end, a.length + 1L);
    if (to - from < 1) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "subvector(%d, %d) of a vector of %d dimensions has no element; a vector must have "
              + "at least 1 dimension", start, count, a.length);
    }
    float[] sub = new float[(int) (to - from)];
    System.arraycopy(a, (int) from - 1, sub, 0, sub.length);
    return sub;
  }

  /** One bit per element, 1 where the element is positive, as the text of a bit string. */
  static String binaryQuantize(float[] a) {
    char[] bits = new char[a.length];
    for (int i = 0; i < a.length; i++) {
      bits[i] = a[i] > 0 ? '1' : '0';
    }
    return new String(bits);
  }

  /** Fails with 22000 naming both dimensions unless they are equal. */
  static void sameDimension(float[] a, float[] b) {
    if (a.length != b.length) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different vector dimensions %d and %d", a.length, b.length);
    }
  }
}
