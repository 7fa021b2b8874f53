package org.quiver.storage.index;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of vector index. The numbers are persisted in the catalog. */
public enum IndexMethod {
  /** No structure: exact search, the oracle for the others. */
  FLAT(1),
  /** A hierarchical navigable small-world graph (jvector). */
  HNSW(2),
  /** Inverted lists over a k-means coarse quantizer; exact distances within the probed lists. */
  IVF_FLAT(3),
  /** Inverted lists with product-quantized codes, re-ranked exactly from the raw vectors. */
  IVF_PQ(4),
  /**
   * Inverted lists with one byte per dimension (scalar quantization between each dimension's
   * smallest and largest value), re-ranked exactly from the raw vectors.
   */
  IVF_SQ8(5);

  private final int number;

  IndexMethod(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static IndexMethod ofNumber(int number) {
    return Arrays.stream(values()).filter(m -> m.number == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown index method number " + number));
  }

  /** The method named {@code name}, or null. */
  public static IndexMethod ofName(String name) {
    return Arrays.stream(values())
        .filter(m -> m.name().equals(name.toUpperCase(Locale.ROOT)))
        .findFirst()
        .orElse(null);
  }
}
