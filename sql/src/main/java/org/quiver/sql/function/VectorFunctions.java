package org.quiver.sql.function;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.type.VectorCasts;
import org.quiver.storage.vector.VectorKernels;

/**
 * The vector functions of Quiver SQL, for the rows that Calcite evaluates itself (a search the
 * engine answers computes its distances there). Each operand is a vector value, or text or a
 * bound {@code float[]} that stands for one (a literal or a parameter). NULL in, NULL out.
 */
public final class VectorFunctions {
  private VectorFunctions() {}

  /** {@code a <-> b}: Euclidean distance. */
  public static Double l2Distance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = sameDimension(x, elements(b));
    return Math.sqrt(VectorKernels.l2Squared(x, y, 0, x.length));
  }

  /** {@code a <+> b}: taxicab (L1) distance. */
  public static Double l1Distance(Object a, Object b) {
    return a == null || b == null ? null : VectorMath.l1Distance(elements(a), elements(b));
  }

  /** {@code a <=> b}: one minus the cosine similarity. */
  public static Double cosineDistance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = sameDimension(x, elements(b));
    float norm = (float) Math.sqrt(VectorKernels.normSquared(x, 0, x.length));
    return (double) VectorKernels.cosineDistance(x, norm, y, 0, y.length);
  }

  /** {@code a <#> b}: the negated inner product. */
  public static Double negativeInnerProduct(Object a, Object b) {
    Double ip = innerProduct(a, b);
    return ip == null ? null : -ip;
  }

  public static Double innerProduct(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = sameDimension(x, elements(b));
    return (double) VectorKernels.dot(x, y, 0, x.length);
  }

  public static Integer vectorDims(Object a) {
    return a == null ? null : elements(a).length;
  }

  public static Double vectorNorm(Object a) {
    if (a == null) {
      return null;
    }
    float[] x = elements(a);
    return Math.sqrt(VectorKernels.normSquared(x, 0, x.length));
  }

  /** The vector scaled to length 1 (a zero vector stays zero). */
  public static VectorValue l2Normalize(Object a) {
    return a == null ? null : VectorValue.wrap(VectorMath.l2Normalize(elements(a)));
  }

  /** {@code count} elements from the 1-based position {@code start}, as pgvector's subvector. */
  public static VectorValue subvector(Object a, Integer start, Integer count) {
    if (a == null || start == null || count == null) {
      return null;
    }
    return VectorValue.wrap(VectorMath.subvector(elements(a), start, count));
  }

  /** One bit per element, 1 where it is positive, as text ({@code '101'}) until a BIT type exists. */
  public static String binaryQuantize(Object a) {
    return a == null ? null : VectorMath.binaryQuantize(elements(a));
  }

  /** {@code a + b}, element by element. */
  public static VectorValue add(Object a, Object b) {
    return a == null || b == null ? null
        : VectorValue.wrap(VectorMath.add(elements(a), elements(b)));
  }

  /** {@code a - b}, element by element. */
  public static VectorValue subtract(Object a, Object b) {
    return a == null || b == null ? null
        : VectorValue.wrap(VectorMath.subtract(elements(a), elements(b)));
  }

  /** {@code a * b}, element by element. */
  public static VectorValue multiply(Object a, Object b) {
    return a == null || b == null ? null
        : VectorValue.wrap(VectorMath.multiply(elements(a), elements(b)));
  }

  /** {@code a || b}: the elements of a, then those of b. */
  public static VectorValue concat(Object a, Object b) {
    return a == null || b == null ? null
        : VectorValue.wrap(VectorMath.concat(elements(a), elements(b)));
  }

  /** The elements of a vector operand, read only. */
  private static float[] elements(Object operand) {
    return operand instanceof float[] a ? a : VectorCasts.vector(operand).elements();
  }

  private static float[] sameDimension(float[] x, float[] y) {
    if (x.length != y.length) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different vector dimensions %d and %d", x.length, y.length);
    }
    return y;
  }
}
