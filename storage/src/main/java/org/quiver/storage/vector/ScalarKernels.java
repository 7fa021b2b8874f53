package org.quiver.storage.vector;

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

  public static float dot(float[] q, float[] data, int offset, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += q[i] * data[offset + i];
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

  /** The cosine distance from its parts, shared by both implementations so they agree on edges. */
  static float cosine(float dot, float qNorm, float xNormSquared) {
    if (qNorm == 0 || xNormSquared == 0) {
      return 1f;
    }
    double similarity = dot / (qNorm * Math.sqrt(xNormSquared));
    // Rounding can push |similarity| past 1; clamping keeps the distance of identical vectors at 0.
    return (float) (1 - Math.clamp(similarity, -1.0, 1.0));
  }
}
