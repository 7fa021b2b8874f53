package org.quiver.jdbc;

/**
 * An immutable vector as a SQL value: what a {@code VECTOR(n)} or {@code HALFVEC(n)} expression
 * holds inside the engine's SQL layer, ordered as pgvector orders vectors (element by element, then
 * the shorter first). A halfvec's elements are floats that float16 holds exactly; it knows it is
 * one, so that what is computed from it is rounded back to float16 and errors name its type.
 * Elements compare as numbers, as pgvector's {@code <} and {@code >} do: {@code -0.0} equals
 * {@code 0.0} (and hashes alike, so GROUP BY and DISTINCT put them in one group), though each
 * vector keeps the element it was given.
 *
 * <p>It wraps its array without copying: whoever wraps an array hands it over and must not change
 * it afterwards, and whoever reads {@link #elements()} must not change what it gets.
 */
public final class VectorValue implements Comparable<VectorValue> {
  private final float[] elements;
  private final boolean half;

  private VectorValue(float[] elements, boolean half) {
    this.elements = elements;
    this.half = half;
  }

  /** The vector of {@code elements}, which the caller hands over (no copy is made). */
  public static VectorValue wrap(float[] elements) {
    return new VectorValue(elements, false);
  }

  /**
   * The halfvec of {@code elements}, which the caller hands over (no copy is made) and which must
   * all be values that float16 holds exactly.
   */
  public static VectorValue wrapHalf(float[] elements) {
    return new VectorValue(elements, true);
  }

  /** Parses the text form {@code [1,2.5]}; throws IllegalArgumentException naming bad text. */
  public static VectorValue parse(String text) {
    return new VectorValue(VectorText.parse(text), false);
  }

  /** Whether this is a halfvec: float16 elements. */
  public boolean isHalf() {
    return half;
  }

  /** The name of this value's type as pgvector's messages write it: vector or halfvec. */
  public String typeName() {
    return half ? "halfvec" : "vector";
  }

  /** The elements themselves (not a copy): read them, never change them. */
  public float[] elements() {
    return elements;
  }

  public int dimension() {
    return elements.length;
  }

  @Override
  public int compareTo(VectorValue other) {
    int common = Math.min(elements.length, other.elements.length);
    for (int i = 0; i < common; i++) {
      if (elements[i] < other.elements[i]) {
        return -1;
      }
      if (elements[i] > other.elements[i]) {
        return 1;
      }
    }
    return Integer.compare(elements.length, other.elements.length);
  }

  /** Equal elements make equal values, whatever the type: SQL never compares the two kinds. */
  @Override
  public boolean equals(Object o) {
    return o instanceof VectorValue v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (float e : elements) {
      // 0.0f + e turns -0.0 into 0.0, so equal vectors hash alike.
      hash = 31 * hash + Float.floatToIntBits(0.0f + e);
    }
    return hash;
  }

  /** The text form, as pgvector writes it. */
  @Override
  public String toString() {
    return VectorText.format(elements);
  }
}
