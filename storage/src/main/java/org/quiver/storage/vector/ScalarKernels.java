package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Distance kernels in plain Java, used when the Vector API module is absent; same contracts as
 * {@link VectorKernels}.
 */
public final class ScalarKernels {

  private ScalarKernels() {}

  public static float l2Squared(float[] q, float[] data, int offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      float d = q[i] - data[offset + i];
      sum += d * d;
    }
    return sum;
  }

  public static float l1(float[] q, float[] data, int offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += Math.abs(q[i] - data[offset + i]);
    }
    return sum;
  }

  public static float dot(float[] q, float[] data, int offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += q[i] * data[offset + i];
    }
    return sum;
  }

  public static float dotBytes(float[] weights, byte[] codes, int offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += weights[i] * codes[offset + i];
    }
    return sum;
  }

  public static float normSquared(float[] data, int offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      float x = data[offset + i];
      sum += x * x;
    }
    return sum;
  }

  public static float cosineDistance(float[] q, float qNorm, float[] data, int offset, int dim) {
    float dot = 0;
    float xx = 0;
    for (int i = 0; i < dim; i++) {
      float x = data[offset + i];
      dot += q[i] * x;
      xx += x * x;
    }
    return cosine(dot, qNorm, xx);
  }

  /** A float of a mapped Arrow buffer: little-endian, aligned only to 4 bytes by the format. */
  static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  public static float l2Squared(float[] q, MemorySegment data, long offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      float d = q[i] - data.get(FLOAT_LE, offset + (long) i * Float.BYTES);
      sum += d * d;
    }
    return sum;
  }

  public static float l1(float[] q, MemorySegment data, long offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += Math.abs(q[i] - data.get(FLOAT_LE, offset + (long) i * Float.BYTES));
    }
    return sum;
  }

  public static float dot(float[] q, MemorySegment data, long offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += q[i] * data.get(FLOAT_LE, offset + (long) i * Float.BYTES);
    }
    return sum;
  }

  public static float cosineDistance(float[] q, float qNorm, MemorySegment data, long offset,
      int dim) {
    float dot = 0;
    float xx = 0;
    for (int i = 0; i < dim; i++) {
      float x = data.get(FLOAT_LE, offset + (long) i * Float.BYTES);
      dot += q[i] * x;
      xx += x * x;
    }
    return cosine(dot, qNorm, xx);
  }

  /** The cosine distance from its parts, shared by both implementations so they agree on edges. */
  static float cosine(float dot, float qNorm, float xNormSquared) {
    if (Float.isNaN(xNormSquared)) {
      // A NULL row (NullVectors): its distance stays NaN, which no search keeps, also from a
      // zero query, whose distance to every vector is 1.
      return Float.NaN;
    }
    if (qNorm == 0 || xNormSquared == 0) {
      return 1f;
    }
    double similarity = dot / (qNorm * Math.sqrt(xNormSquared));
    // Rounding can push |similarity| past 1; clamping keeps the distance of identical vectors at 0.
    return (float) (1 - Math.clamp(similarity, -1.0, 1.0));
  }

  public static void l2SquaredRows(float[] q, MemorySegment data, long offset, int dim, int rows,
      float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = l2Squared(q, data, offset + (long) r * dim * Float.BYTES, dim);
    }
  }

  public static void dotRows(float[] q, MemorySegment data, long offset, int dim, int rows,
      float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = dot(q, data, offset + (long) r * dim * Float.BYTES, dim);
    }
  }

  public static void cosineDistanceRows(float[] q, float qNorm, MemorySegment data, long offset,
      int dim, int rows, float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = cosineDistance(q, qNorm, data, offset + (long) r * dim * Float.BYTES, dim);
    }
  }

  /** The sum of the floats in {@code [offset, offset + bytes)} of {@code data}. */
  public static float sum(MemorySegment data, long offset, long bytes) {
    float sum = 0;
    for (long at = offset, end = offset + bytes; at + Float.BYTES <= end; at += Float.BYTES) {
      sum += data.get(FLOAT_LE, at);
    }
    return sum;
  }
}
