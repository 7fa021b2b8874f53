package org.quiver.sql.function;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.type.VectorCasts;
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

  /**
   * The Euclidean norm, summed in double as pgvector's vector_norm sums it: a float sum of
   * squares would overflow to infinity for elements past about 1.8e19.
   */
  static double norm(float[] a) {
    double sum = 0;
    for (float x : a) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  /**
   * One minus the cosine similarity, as pgvector computes it: float sums of the products and
   * squares, then the similarity in double over {@code sqrt(|a|^2 |b|^2)}, held within [-1, 1],
   * so parallel vectors are at exactly 0. A zero vector is at distance 1 from everything, as the
   * engine's kernels have it (pgvector gives NaN).
   */
  static double cosineDistance(float[] a, float[] b) {
    float dot = 0;
    float normA = 0;
    float normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    if (normA == 0 || normB == 0) {
      return 1;
    }
    double similarity = dot / Math.sqrt((double) normA * normB);
    return 1 - Math.max(-1, Math.min(1, similarity));
  }

  /** The vector divided by its Euclidean norm; a zero vector stays zero, as in pgvector. */
  static float[] l2Normalize(float[] a) {
    double norm = norm(a);
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

  /** One bit per element, 1 where the element is positive, packed most significant bit first. */
  static byte[] binaryQuantize(float[] a) {
    byte[] bits = new byte[(a.length + 7) >>> 3];
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0) {
        bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    return bits;
  }

  /** {@code a + b} element by element; 22000 if the dimensions differ, 22003 on an overflow. */
  static float[] add(float[] a, float[] b) {
    sameDimension(a, b);
    float[] sum = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      sum[i] = a[i] + b[i];
      checkOverflow(sum[i], i, a[i], "+", b[i]);
    }
    return sum;
  }

  /** {@code a - b} element by element; 22000 if the dimensions differ, 22003 on an overflow. */
  static float[] subtract(float[] a, float[] b) {
    sameDimension(a, b);
    float[] difference = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      difference[i] = a[i] - b[i];
      checkOverflow(difference[i], i, a[i], "-", b[i]);
    }
    return difference;
  }

  /**
   * {@code a * b} element by element; 22000 if the dimensions differ, 22003 when a product
   * overflows or, as in pgvector, underflows to zero from two elements that are not.
   */
  static float[] multiply(float[] a, float[] b) {
    sameDimension(a, b);
    float[] product = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      product[i] = a[i] * b[i];
      checkOverflow(product[i], i, a[i], "*", b[i]);
      if (product[i] == 0 && a[i] != 0 && b[i] != 0) {
        throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
            "value out of range: underflow in element %d (%s * %s)", i + 1, a[i], b[i]);
      }
    }
    return product;
  }

  /** The elements of {@code a} then those of {@code b}; 54000 past the largest dimension. */
  static float[] concat(float[] a, float[] b) {
    VectorCasts.checkDimensionLimit((long) a.length + b.length);
    float[] joined = new float[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static void checkOverflow(float result, int index, float a, String op, float b) {
    if (Float.isInfinite(result)) {
      throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
          "value out of range: overflow in element %d (%s %s %s)", index + 1, a, op, b);
    }
  }

  /** Fails with 22000 naming both dimensions unless they are equal. */
  static void sameDimension(float[] a, float[] b) {
    if (a.length != b.length) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different vector dimensions %d and %d", a.length, b.length);
    }
  }
}
