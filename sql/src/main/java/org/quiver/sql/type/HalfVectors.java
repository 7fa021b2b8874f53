package org.quiver.sql.type;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.VectorValue;
import org.quiver.storage.vector.HalfFloats;

/**
 * Halfvec values from floats: each element rounded to the nearest float16 (held as the float of
 * equal value), as pgvector converts a vector or an array to a halfvec and rounds what halfvec
 * arithmetic computes in float.
 */
public final class HalfVectors {
  private HalfVectors() {}

  /**
   * The halfvec of {@code elements} (which are not changed), as a cast makes it: 22003 naming the
   * first element too large for float16; elements too small become zero, as in pgvector.
   */
  public static VectorValue of(float[] elements) {
    float[] half = new float[elements.length];
    for (int i = 0; i < half.length; i++) {
      half[i] = HalfFloats.round(elements[i]);
      if (Float.isInfinite(half[i])) {
        throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
            "\"%s\" is out of range for type halfvec (element %d)", elements[i], i + 1);
      }
    }
    return VectorValue.wrapHalf(half);
  }

  /**
   * The halfvec that arithmetic computed in float as {@code result} (rounded in place and taken
   * over): 22003 on an element float16 cannot hold, and, when {@code product}, on one that
   * underflows to zero from non-zero factors {@code a} and {@code b}, as pgvector's halfvec_mul.
   */
  public static VectorValue ofResult(float[] result, float[] a, float[] b, boolean product) {
    for (int i = 0; i < result.length; i++) {
      float rounded = HalfFloats.round(result[i]);
      if (Float.isInfinite(rounded)) {
        throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
            "value out of range: overflow in element %d of a halfvec (%s)", i + 1, result[i]);
      }
      if (product && rounded == 0 && a[i] != 0 && b[i] != 0) {
        throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
            "value out of range: underflow in element %d of a halfvec (%s * %s)", i + 1, a[i],
            b[i]);
      }
      result[i] = rounded;
    }
    return VectorValue.wrapHalf(result);
  }
}
