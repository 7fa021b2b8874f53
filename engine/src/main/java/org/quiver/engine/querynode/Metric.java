package org.quiver.engine.querynode;

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
  NEGATIVE_DOT
}
