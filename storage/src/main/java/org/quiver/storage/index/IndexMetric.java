package org.quiver.storage.index;

import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import java.util.Arrays;
import java.util.Locale;

/** The metric a vector index is built for. The numbers are persisted in the catalog. */
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
