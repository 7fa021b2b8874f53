package org.quiver.storage.vector;

import java.util.Arrays;

/**
 * One sparse float32 vector as the engine holds it: its dimension, the indices of its non-zero
 * elements (counted from 0, strictly ascending, each below the dimension) and their values
 * (finite, never zero). The arrays are handed over: whoever creates one must not change them
 * afterwards, and whoever reads them must not change what they get.
 *
 * @param dimension the number of dimensions, at least 1
 * @param indices the indices of the non-zero elements
 * @param values their values, {@code values[i]} at {@code indices[i]}
 */
public record SparseVector(int dimension, int[] indices, float[] values) {

  /** Checks the rules above; fails naming the bad index or value. */
  public SparseVector {
    if (dimension < 1) {
      throw new IllegalArgumentException("a sparse vector has at least 1 dimension, got "
          + dimension);
    }
    if (indices.length != values.length) {
      throw new IllegalArgumentException(indices.length + " indices for " + values.length
          + " values");
    }
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= dimension || i > 0 && indices[i] <= indices[i - 1]) {
        throw new IllegalArgumentException("sparse vector index " + indices[i] + " at " + i
            + " is not ascending within [0, " + dimension + ")");
      }
      if (values[i] == 0 || !Float.isFinite(values[i])) {
        throw new IllegalArgumentException("sparse vector value " + values[i] + " at index "
            + indices[i] + " is not a finite non-zero float");
      }
    }
  }

  /** The number of non-zero elements. */
  public int nonZeros() {
    return indices.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseVector v && dimension == v.dimension
        && Arrays.equals(indices, v.indices) && Arrays.equals(values, v.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dimension + Arrays.hashCode(indices)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "SparseVector[dimension=" + dimension + ", indices=" + Arrays.toString(indices)
        + ", values=" + Arrays.toString(values) + "]";
  }
}
