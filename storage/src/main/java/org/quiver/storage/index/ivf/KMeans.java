package org.quiver.storage.index.ivf;

import java.util.Arrays;
import java.util.Random;
import org.quiver.storage.vector.VectorKernels;

/**
 * Seeded k-means by squared Euclidean distance, the coarse quantizer of the IVF indexes:
 * k-means++ seeding and a few Lloyd iterations on a random sample, then every point assigned to
 * its nearest centroid with the SIMD kernels.
 */
final class KMeans {
  /** Lloyd iterations; centroids move little after this on the data indexes see. */
  static final int ITERATIONS = 10;
  /** Training points per centroid (FAISS uses 39 to 256); the sample is capped at the data. */
  static final int POINTS_PER_CENTROID = 40;

  private KMeans() {}

  /**
   * Trains {@code k} centroids of {@code dim} floats on {@code count} points stored row after row
   * in {@code data}; fewer points than centroids make the points themselves the centroids (the
   * rest copies of the first, which ties never pick).
   */
  static float[] train(float[] data, int dim, int count, int k, long seed) {
    Random random = new Random(seed);
    float[] sample = sample(data, dim, count, Math.min(count, k * POINTS_PER_CENTROID), random);
    int n = sample.length / dim;
    float[] centroids = new float[k * dim];
    if (n == 0) {
      return centroids;
    }
    if (n <= k) {
      System.arraycopy(sample, 0, centroids, 0, n * dim);
      for (int c = n; c < k; c++) {
        System.arraycopy(sample, 0, centroids, c * dim, dim);
      }
      return centroids;
    }
    seedPlusPlus(sample, dim, n, centroids, k, random);
    int[] assignment = new int[n];
    double[] sums = new double[k * dim];
    int[] sizes = new int[k];
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      assign(sample, dim, n, centroids, k, assignment);
      Arrays.fill(sums, 0);
      Arrays.fill(sizes, 0);
      for (int i = 0; i < n; i++) {
        int c = assignment[i];
        sizes[c]++;
        for (int d = 0; d < dim; d++) {
          sums[c * dim + d] += sample[i * dim + d];
        }
      }
      for (int c = 0; c < k; c++) {
        if (sizes[c] == 0) {
          // An empty cluster restarts on a random point rather than staying useless.
          System.arraycopy(sample, random.nextInt(n) * dim, centroids, c * dim, dim);
          continue;
        }
        for (int d = 0; d < dim; d++) {
          centroids[c * dim + d] = (float) (sums[c * dim + d] / sizes[c]);
        }
      }
    }
    return centroids;
  }

  /** For each point, the index of its nearest centroid (ties: the lower index). */
  static void assign(float[] data, int dim, int count, float[] centroids, int k, int[] out) {
    float[] point = new float[dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(data, i * dim, point, 0, dim);
      out[i] = nearest(point, centroids, k, dim);
    }
  }

  /** The index of the centroid nearest to {@code point} (ties: the lower index). */
  static int nearest(float[] point, float[] centroids, int k, int dim) {
    if (dim < SMALL_DIM) {
      return nearestSmall(point, centroids, k, dim);
    }
    int best = 0;
    float bestDistance = Float.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      float d = VectorKernels.l2Squared(point, centroids, c * dim, dim);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  /**
   * Below this many dimensions a plain loop beats the SIMD kernel, whose vector set-up and lane
   * reduction would be spent on a scalar tail.
   */
  private static final int SMALL_DIM = 16;

  private static int nearestSmall(float[] point, float[] centroids, int k, int dim) {
    int best = 0;
    float bestDistance = Float.POSITIVE_INFINITY;
    for (int c = 0, at = 0; c < k; c++, at += dim) {
      float d = 0;
      for (int x = 0; x < dim; x++) {
        float diff = point[x] - centroids[at + x];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static float distance(float[] point, float[] data, int offset, int dim) {
    if (dim >= SMALL_DIM) {
      return VectorKernels.l2Squared(point, data, offset, dim);
    }
    float d = 0;
    for (int x = 0; x < dim; x++) {
      float diff = point[x] - data[offset + x];
      d += diff * diff;
    }
    return d;
  }

  /** k-means++: each next centre drawn with probability proportional to its squared distance. */
  private static void seedPlusPlus(float[] sample, int dim, int n, float[] centroids, int k,
      Random random) {
    System.arraycopy(sample, random.nextInt(n) * dim, centroids, 0, dim);
    float[] nearest = new float[n];
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    float[] centre = new float[dim];
    for (int c = 1; c < k; c++) {
      System.arraycopy(centroids, (c - 1) * dim, centre, 0, dim);
      double total = 0;
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], distance(centre, sample, i * dim, dim));
        total += nearest[i];
      }
      int pick = random.nextInt(n);
      if (total > 0) {
        double target = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
          target -= nearest[i];
          if (target <= 0) {
            pick = i;
            break;
          }
        }
      }
      System.arraycopy(sample, pick * dim, centroids, c * dim, dim);
    }
  }

  /** {@code size} distinct points drawn at random (all of them, in order, when size == count). */
  private static float[] sample(float[] data, int dim, int count, int size, Random random) {
    if (size >= count) {
      return Arrays.copyOf(data, count * dim);
    }
    // Partial Fisher-Yates over the row numbers.
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = i;
    }
    float[] out = new float[size * dim];
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(count - i);
      int t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
      System.arraycopy(data, rows[i] * dim, out, i * dim, dim);
    }
    return out;
  }
}
