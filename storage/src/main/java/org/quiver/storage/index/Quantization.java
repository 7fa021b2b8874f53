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
  BINARY,
  /**
   * Non-uniform vector quantization (jvector's NVQ): a byte per dimension, each sub-vector of
   * {@link #NVQ_SUBVECTOR_DIMENSIONS} dimensions centred on the segment's mean and mapped through
   * a learned non-uniform curve, plus a few floats per sub-vector: about a quarter of the raw
   * vector, and close enough to it that a shallow re-rank seldom changes the order.
   */
  NVQ;

  /** Dimensions per NVQ sub-vector (at least one sub-vector), each with its own curve. */
  public static final int NVQ_SUBVECTOR_DIMENSIONS = 256;
  /** The floats and counts jvector keeps per NVQ sub-vector besides its bytes. */
  private static final int NVQ_SUBVECTOR_HEADER_BYTES = 28;
  /** The count of sub-vectors jvector writes at the head of each NVQ code. */
  private static final int NVQ_CODE_HEADER_BYTES = 4;

  /** The NVQ sub-vectors of a vector of {@code dimension} floats. */
  public static int nvqSubvectors(int dimension) {
    return Math.max(1, dimension / NVQ_SUBVECTOR_DIMENSIONS);
  }

  /** The name SQL writes it with: {@code none}, {@code pq}, {@code binary}, {@code nvq}. */
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

  /** The SQL names of all quantizations, for messages: {@code none, pq, binary, nvq}. */
  public static String sqlNames() {
    return java.util.Arrays.stream(values()).map(Quantization::sqlName)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Bytes of one vector's code: {@code pqM} for PQ, a bit per dimension in 64-bit words, a byte
   * per dimension and the sub-vectors' headers for NVQ (as jvector's NVQ sizes its codes).
   */
  public int codeBytes(int dimension, int pqM) {
    return switch (this) {
      case NONE -> 0;
      case PQ -> pqM;
      case BINARY -> (dimension + 63) / 64 * Long.BYTES;
      case NVQ -> NVQ_CODE_HEADER_BYTES + dimension
          + nvqSubvectors(dimension) * NVQ_SUBVECTOR_HEADER_BYTES;
    };
  }
}
