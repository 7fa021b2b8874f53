package org.quiver.storage.index;

import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import org.quiver.storage.vector.VectorKernels;

/**
 * The distance vectors are compared by, for a search and for the index built for it: smaller is
 * nearer for every metric (IP is the negated inner product, pgvector's {@code <#>}; L2 ranks by
 * the squared distance and a search reports its root). The numbers are persisted in the catalog.
 */
public enum IndexMetric {
  /** Euclidean distance. */
  L2(1, VectorSimilarityFunction.EUCLIDEAN),
  /** Inner product (larger is nearer). */
  IP(2, VectorSimilarityFunction.DOT_PRODUCT),
  /** Cosine similarity. */
  COSINE(3, VectorSimilarityFunction.COSINE);

  private final int number;
  private final VectorSimilarityFunction similarity;

  IndexMetric(int number, VectorSimilarityFunction similarity) {
    this.number = number;
    this.similarity = similarity;
  }

  public int number() {
    return number;
  }

  VectorSimilarityFunction similarity() {
    return similarity;
  }

  /**
   * The distance by this metric, smaller is nearer: squared Euclidean distance, negated inner
   * product, or cosine distance, from {@code q} to the vector at {@code offset} of {@code data}.
   *
   * @param qNorm the Euclidean norm of {@code q} (used by cosine only)
   */
  public float distance(float[] q, float qNorm, float[] data, int offset, int dim) {
    return switch (this) {
      case L2 -> VectorKernels.l2Squared(q, data, offset, dim);
      case IP -> -VectorKernels.dot(q, data, offset, dim);
      case COSINE -> VectorKernels.cosineDistance(q, qNorm, data, offset, dim);
    };
  }

  /** As {@link #distance(float[], float, float[], int, int)}, at byte {@code offset} of a mapped file. */
  public float distance(float[] q, float qNorm, MemorySegment data, long offset, int dim) {
    return switch (this) {
      case L2 -> VectorKernels.l2Squared(q, data, offset, dim);
      case IP -> -VectorKernels.dot(q, data, offset, dim);
      case COSINE -> VectorKernels.cosineDistance(q, qNorm, data, offset, dim);
    };
  }

  /**
   * The distances to {@code rows} vectors stored one after another from byte {@code offset} of
   * {@code data}, into {@code out}: {@link VectorKernels#l2SquaredRows} and its siblings.
   */
  public void distances(float[] q, float qNorm, MemorySegment data, long offset, int dim,
      int rows, float[] out) {
    switch (this) {
      case L2 -> VectorKernels.l2SquaredRows(q, data, offset, dim, rows, out);
      case COSINE -> VectorKernels.cosineDistanceRows(q, qNorm, data, offset, dim, rows, out);
      case IP -> {
        VectorKernels.dotRows(q, data, offset, dim, rows, out);
        for (int i = 0; i < rows; i++) {
          out[i] = -out[i];
        }
      }
    }
  }

  /**
   * A {@link #distance} as the similarity jvector's own function for this metric gives the same
   * pair (larger is nearer): {@code 1 / (1 + d)} of the squared Euclidean distance,
   * {@code (1 + dot) / 2} and {@code (1 + cos) / 2}, so a graph search scored by Quiver's kernels
   * ranks and compares candidates on the scale jvector scored them on while building.
   */
  public float similarity(float distance) {
    return switch (this) {
      case L2 -> 1 / (1 + distance);
      case IP -> (1 - distance) / 2;
      case COSINE -> 1 - distance / 2;
    };
  }

  public static IndexMetric ofNumber(int number) {
    return Arrays.stream(values()).filter(m -> m.number == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown index metric number " + number));
  }

  /** The metric named {@code name} (l2, ip, cosine), or null. */
  public static IndexMetric ofName(String name) {
    return Arrays.stream(values())
        .filter(m -> m.name().equals(name.toUpperCase(Locale.ROOT)))
        .findFirst()
        .orElse(null);
  }
}
