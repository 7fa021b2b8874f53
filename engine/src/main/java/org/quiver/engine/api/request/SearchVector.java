package org.quiver.engine.api.request;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.vector.SparseVector;

/**
 * The query of a k-NN search, of the kind of the column it searches: float components for a
 * VECTOR or HALFVEC column, packed bits for a BIT column, the non-zero elements of a sparse
 * vector for a SPARSEVEC column.
 */
public sealed interface SearchVector {
  /** A float vector (a HALFVEC column reads it as float32 too). */
  record Floats(float[] values) implements SearchVector {
    public Floats {
      if (values == null) {
        throw new IllegalArgumentException("a float query needs its values");
      }
    }
  }

  /**
   * A bit string of {@code length} bits packed eight a byte, the first bit the high bit of the
   * first byte and the unused low bits of the last byte zero, as a BINARY_VECTOR column stores
   * its rows.
   */
  record Bits(int length, byte[] packed) implements SearchVector {
    public Bits {
      if (length < 1 || packed == null || packed.length != (length + 7) / 8) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "a bit string of %d bits takes %d bytes, got %s", length, (length + 7) / 8,
            packed == null ? "none" : Integer.toString(packed.length));
      }
      int used = length & 7;
      if (used != 0 && (packed[packed.length - 1] & (0xFF >>> used)) != 0) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "a bit string of %d bits has bits set past its length", length);
      }
    }
  }

  /**
   * A sparse vector of {@code dimension} dimensions: the indices of its non-zero elements (from 0,
   * strictly ascending, below the dimension) and their finite non-zero values; 22000 naming the
   * bad index or value otherwise.
   */
  record Sparse(int dimension, int[] indices, float[] values) implements SearchVector {
    public Sparse {
      if (indices == null || values == null) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "a sparse vector query needs its indices and values");
      }
      try {
        new SparseVector(dimension, indices, values);
      } catch (IllegalArgumentException e) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "invalid sparse vector query: %s",
            e.getMessage());
      }
    }

    /** The query as storage's sparse vector (sharing the arrays). */
    public SparseVector vector() {
      return new SparseVector(dimension, indices, values);
    }
  }
}
