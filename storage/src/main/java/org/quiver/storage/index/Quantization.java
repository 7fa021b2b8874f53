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
  PQ,
  /**
   * Binary quantization: one bit per dimension, the sign of the vector once centred on the
   * segment's mean, compared by Hamming distance (jvector's codes): 1/32 of the raw vector. Coarse
   * below a few hundred dimensions; meant for large embeddings, with a deep re-rank.
   */
  BINARY;

  /** The name SQL writes it with: {@code none}, {@code pq}, {@code binary}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The quantization SQL names {@code name} (any case), or null. */
  public static Quantization ofSqlName(String name) {
    for (Quantization q : values()) {
      if (q.sqlName().equals(name.toLowerCase(Locale.ROOT))) {
        return q;
      }
    }
    return null;
  }

  /** The SQL names of all quantizations, for messages: {@code none, pq, binary}. */
  public static String sqlNames() {
    return java.util.Arrays.stream(values()).map(Quantization::sqlName)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Bytes of one vector's code: {@code pqM} for PQ, a bit per dimension in 64-bit words. */
  public int codeBytes(int dimension, int pqM) {
    return switch (this) {
      case NONE -> 0;
      case PQ -> pqM;
      case BINARY -> (dimension + 63) / 64 * Long.BYTES;
    };
  }
}
