package org.quiver.storage.index;

import java.util.Locale;

/**
 * How a graph index keeps its vectors in memory for the search: not at all ({@link #NONE}: every
 * candidate is scored against the full vectors, read where they lie), or as compressed codes that
 * steer the search, after which the best candidates are re-ranked against the full vectors.
 */
public enum Quantization {
  /** No codes: candidates are scored against the full vectors. */
  NONE,
  /**
   * Product quantization (jvector's): each vector as one byte per sub-space, a sub-space being
   * {@code dimension / pq_m} consecutive dimensions with 256 trained centroids.
   */
  PQ;

  /** The name SQL writes it with: {@code none}, {@code pq}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
