package org.quiver.engine.querynode;

import org.quiver.storage.index.IndexMetric;

/**
 * A distance between vectors, as the SQL operators define it (pgvector's semantics): smaller is
 * nearer for every metric, so top-k is always "the k smallest".
 */
public enum Metric {
  /** Euclidean distance, {@code <->}. */
  L2,
  /** One minus the cosine similarity, {@code <=>}. */
  COSINE,
  /** The negated inner product, {@code <#>}. */
  NEGATIVE_DOT;

  /**
   * The index metric that orders rows as this one does, and whose kernels compute it: squared L2
   * for L2 (the same order; the root is taken for the result), IP's negated dot, cosine.
   */
  public IndexMetric index() {
    return switch (this) {
      case L2 -> IndexMetric.L2;
      case COSINE -> IndexMetric.COSINE;
      case NEGATIVE_DOT -> IndexMetric.IP;
    };
  }
}
