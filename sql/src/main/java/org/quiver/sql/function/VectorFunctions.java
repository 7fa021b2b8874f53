package org.quiver.sql.function;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.type.HalfVectors;
import org.quiver.sql.type.SparsevecCasts;
import org.quiver.sql.type.VectorCasts;
import org.quiver.storage.vector.VectorKernels;

/**
 * The vector functions of Quiver SQL, for the rows that Calcite evaluates itself (a search the
 * engine answers computes its distances there). Each operand is a vector or halfvec value, or text
 * or a bound {@code float[]} that stands for one (a literal or a parameter); text beside a halfvec
 * is read as a halfvec. Distances are computed in float for both kinds, as pgvector computes them;
 * a function that returns a vector returns a halfvec for halfvec operands. Distances with a sparse
 * vector operand are {@link SparseFunctions}'. NULL in, NULL out.
 */
public final class VectorFunctions {
  private VectorFunctions() {}

  /** {@code a <-> b}: Euclidean distance. */
  public static Double l2Distance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (SparseFunctions.applies(a, b)) {
      return SparseFunctions.l2Distance(a, b);
    }
    float[] x = elements(a);
    float[] y = sameDimension(a, x, elements(b, a));
    return Math.sqrt(VectorKernels.l2Squared(x, y, 0, x.length));
  }

  /** {@code a <+> b}: taxicab (L1) distance. */
  public static Double l1Distance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (SparseFunctions.applies(a, b)) {
      return SparseFunctions.l1Distance(a, b);
    }
    float[] x = elements(a);
    return VectorMath.l1Distance(x, sameDimension(a, x, elements(b, a)));
  }

  /** {@code a <=> b}: one minus the cosine similarity. */
  public static Double cosineDistance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (SparseFunctions.applies(a, b)) {
      return SparseFunctions.cosineDistance(a, b);
    }
    float[] x = elements(a);
    return VectorMath.cosineDistance(x, sameDimension(a, x, elements(b, a)));
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
    if (SparseFunctions.applies(a, b)) {
      return SparseFunctions.innerProduct(a, b);
    }
    float[] x = elements(a);
    float[] y = sameDimension(a, x, elements(b, a));
    return (double) VectorKernels.dot(x, y, 0, x.length);
  }

  /**
   * {@code vector_cmp(a, b)}: -1, 0 or 1 as {@code a} sorts before, with or after {@code b}, the
   * order of ORDER BY and the comparison operators (pgvector's btree support function).
   */
  public static Integer vectorCmp(Object a, Object b) {
    return a == null || b == null ? null
        : VectorCasts.compare(VectorCasts.vector(a), VectorCasts.vector(b));
  }

  /** {@code halfvec_cmp(a, b)}: as {@link #vectorCmp}, text read as halfvecs. */
  public static Integer halfvecCmp(Object a, Object b) {
    return a == null || b == null ? null
        : VectorCasts.compare(VectorCasts.halfvec(a), VectorCasts.halfvec(b));
  }

  /** {@code sparsevec_cmp(a, b)}: as {@link #vectorCmp}, for sparse vectors and their text. */
  public static Integer sparsevecCmp(Object a, Object b) {
    return a == null || b == null ? null
        : SparsevecCasts.compare(SparsevecCasts.sparse(a), SparsevecCasts.sparse(b));
  }

  public static Integer vectorDims(Object a) {
    return a == null ? null : elements(a).length;
  }

  /**
   * {@code l2_norm(v)}: pgvector's name of the norm for halfvecs and sparse vectors, here for
   * every kind of vector.
   */
  public static Double l2Norm(Object a) {
    return a instanceof SparseVectorValue ? SparseFunctions.l2Norm(a) : vectorNorm(a);
  }

  public static Double vectorNorm(Object a) {
    if (a == null) {
      return null;
    }
    return VectorMath.norm(elements(a));
  }

  /** The vector scaled to length 1 (a zero vector stays zero). */
  public static VectorValue l2Normalize(Object a) {
    return a == null ? null : result(a, VectorMath.l2Normalize(elements(a)));
  }

  /** {@code count} elements from the 1-based position {@code start}, as pgvector's subvector. */
  public static VectorValue subvector(Object a, Integer start, Integer count) {
    if (a == null || start == null || count == null) {
      return null;
    }
    return result(a, VectorMath.subvector(elements(a), start, count));
  }

  /** One bit per element, 1 where it is positive: a {@code BIT(n)} of a vector of n elements. */
  public static BitValue binaryQuantize(Object a) {
    if (a == null) {
      return null;
    }
    float[] x = elements(a);
    return BitValue.wrap(x.length, VectorMath.binaryQuantize(x));
  }

  /** {@code a + b}, element by element. */
  public static VectorValue add(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = sameDimension(a, x, elements(b, a));
    return arithmeticResult(a, VectorMath.add(x, y), x, y, false);
  }

  /** {@code a - b}, element by element. */
  public static VectorValue subtract(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = sameDimension(a, x, elements(b, a));
    return arithmeticResult(a, VectorMath.subtract(x, y), x, y, false);
  }

  /** {@code a * b}, element by element. */
  public static VectorValue multiply(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = sameDimension(a, x, elements(b, a));
    return arithmeticResult(a, VectorMath.multiply(x, y), x, y, true);
  }

  /** {@code a || b}: the elements of a, then those of b. */
  public static VectorValue concat(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = elements(a);
    float[] y = elements(b, a);
    VectorCasts.checkDimensionLimit(kind(a), (long) x.length + y.length);
    return result(a, VectorMath.concat(x, y));
  }

  private static boolean isHalf(Object operand) {
    return operand instanceof VectorValue v && v.isHalf();
  }

  private static VectorSqlType.Kind kind(Object operand) {
    return isHalf(operand) ? VectorSqlType.Kind.HALFVEC : VectorSqlType.Kind.VECTOR;
  }

  /** The elements of a vector operand, read only. */
  private static float[] elements(Object operand) {
    return operand instanceof float[] a ? a : VectorCasts.vector(operand).elements();
  }

  /** The elements of operand {@code b}, read as a halfvec when {@code a} is one. */
  private static float[] elements(Object b, Object a) {
    return isHalf(a) && !(b instanceof float[]) ? VectorCasts.halfvec(b).elements()
        : elements(b);
  }

  /** {@code elements} as a value of {@code like}'s kind: a halfvec rounds them. */
  private static VectorValue result(Object like, float[] elements) {
    return isHalf(like) ? HalfVectors.of(elements) : VectorValue.wrap(elements);
  }

  private static VectorValue arithmeticResult(Object like, float[] result, float[] a, float[] b,
      boolean product) {
    return isHalf(like) ? HalfVectors.ofResult(result, a, b, product) : VectorValue.wrap(result);
  }

  /** {@code y}, when it has as many elements as {@code x}; 22000 naming both otherwise. */
  private static float[] sameDimension(Object a, float[] x, float[] y) {
    if (x.length != y.length) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different %s dimensions %d and %d", kind(a).typeName(), x.length, y.length);
    }
    return y;
  }
}
