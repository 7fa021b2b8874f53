package org.quiver.storage.vector;

/**
 * Distances between two sparse vectors given as ranges of flat index and value arrays (indices
 * ascending within a range), computed as pgvector computes them: float sums over one merge of the
 * non-zero elements, in index order.
 */
public final class SparseKernels {
  private SparseKernels() {}

  /** The squared Euclidean distance of {@code a[aFrom, aTo)} and {@code b[bFrom, bTo)}. */
  public static float l2Squared(int[] ai, float[] av, int aFrom, int aTo,
      int[] bi, float[] bv, int bFrom, int bTo) {
    float sum = 0;
    int i = aFrom;
    int j = bFrom;
    while (i < aTo || j < bTo) {
      int x = i < aTo ? ai[i] : Integer.MAX_VALUE;
      int y = j < bTo ? bi[j] : Integer.MAX_VALUE;
      float diff = x == y ? av[i++] - bv[j++] : x < y ? av[i++] : bv[j++];
      sum += diff * diff;
    }
    return sum;
  }

  /** The taxicab (L1) distance of the two ranges. */
  public static float l1(int[] ai, float[] av, int aFrom, int aTo,
      int[] bi, float[] bv, int bFrom, int bTo) {
    float sum = 0;
    int i = aFrom;
    int j = bFrom;
    while (i < aTo || j < bTo) {
      int x = i < aTo ? ai[i] : Integer.MAX_VALUE;
      int y = j < bTo ? bi[j] : Integer.MAX_VALUE;
      float diff = x == y ? av[i++] - bv[j++] : x < y ? av[i++] : bv[j++];
      sum += Math.abs(diff);
    }
    return sum;
  }

  /** The inner product of the two ranges. */
  public static float dot(int[] ai, float[] av, int aFrom, int aTo,
      int[] bi, float[] bv, int bFrom, int bTo) {
    float sum = 0;
    int i = aFrom;
    int j = bFrom;
    while (i < aTo && j < bTo) {
      int x = ai[i];
      int y = bi[j];
      if (x == y) {
        sum += av[i++] * bv[j++];
      } else if (x < y) {
        i++;
      } else {
        j++;
      }
    }
    return sum;
  }

  /** The squared Euclidean norm of {@code v[from, to)}, summed in float. */
  public static float normSquared(float[] v, int from, int to) {
    float sum = 0;
    for (int i = from; i < to; i++) {
      sum += v[i] * v[i];
    }
    return sum;
  }

  /**
   * One minus the cosine similarity, kept within [0, 2], of vectors whose inner product is
   * {@code dot} and squared norms {@code aNorm2} and {@code bNorm2}; NaN when a norm is zero.
   */
  public static float cosineDistance(float dot, float aNorm2, float bNorm2) {
    double similarity = dot / Math.sqrt((double) aNorm2 * (double) bNorm2);
    if (similarity > 1) {
      similarity = 1;
    } else if (similarity < -1) {
      similarity = -1;
    }
    return (float) (1 - similarity);
  }
}
