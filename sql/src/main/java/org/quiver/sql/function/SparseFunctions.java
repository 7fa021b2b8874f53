package org.quiver.sql.function;

import java.util.Arrays;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.type.SparsevecCasts;

/**
 * pgvector's functions of sparse vectors, for the rows Calcite evaluates itself (every search by
 * a sparse vector today). Each distance walks the non-zero elements of both operands in one merge
 * of their ascending indices and sums in float, as pgvector does, so results agree with it to the
 * bit; norms sum in double, as pgvector's. An operand may be text that stands for a sparse vector
 * (a literal or a parameter), never a dense vector: pgvector has no distance between the two.
 * NULL in, NULL out.
 */
public final class SparseFunctions {
  private SparseFunctions() {}

  /** Whether either operand is a sparse vector, so that these functions answer the call. */
  static boolean applies(Object a, Object b) {
    return a instanceof SparseVectorValue || b instanceof SparseVectorValue;
  }

  /** {@code a <-> b}: Euclidean distance. */
  public static Double l2Distance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    SparseVectorValue x = sparse(a, b);
    SparseVectorValue y = sameDimension(x, sparse(b, a));
    float distance = 0;
    int i = 0;
    int j = 0;
    while (i < x.nonZeros() || j < y.nonZeros()) {
      int xi = i < x.nonZeros() ? x.indexAt(i) : Integer.MAX_VALUE;
      int yj = j < y.nonZeros() ? y.indexAt(j) : Integer.MAX_VALUE;
      float diff = xi == yj ? x.valueAt(i++) - y.valueAt(j++)
          : xi < yj ? x.valueAt(i++) : y.valueAt(j++);
      distance += diff * diff;
    }
    return Math.sqrt(distance);
  }

  /** {@code a <+> b}: taxicab (L1) distance. */
  public static Double l1Distance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    SparseVectorValue x = sparse(a, b);
    SparseVectorValue y = sameDimension(x, sparse(b, a));
    float distance = 0;
    int i = 0;
    int j = 0;
    while (i < x.nonZeros() || j < y.nonZeros()) {
      int xi = i < x.nonZeros() ? x.indexAt(i) : Integer.MAX_VALUE;
      int yj = j < y.nonZeros() ? y.indexAt(j) : Integer.MAX_VALUE;
      float diff = xi == yj ? x.valueAt(i++) - y.valueAt(j++)
          : xi < yj ? x.valueAt(i++) : y.valueAt(j++);
      distance += Math.abs(diff);
    }
    return (double) distance;
  }

  /** The inner product. */
  public static Double innerProduct(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    SparseVectorValue x = sparse(a, b);
    return (double) dot(x, sameDimension(x, sparse(b, a)));
  }

  /** {@code a <#> b}: the negated inner product. */
  public static Double negativeInnerProduct(Object a, Object b) {
    Double ip = innerProduct(a, b);
    return ip == null ? null : -ip;
  }

  /**
   * {@code a <=> b}: one minus the cosine similarity, kept within [0, 2]; NaN when a norm is zero
   * (or the product overflows), as pgvector returns it.
   */
  public static Double cosineDistance(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    SparseVectorValue x = sparse(a, b);
    SparseVectorValue y = sameDimension(x, sparse(b, a));
    double similarity = dot(x, y);
    similarity /= Math.sqrt((double) floatNormSquared(x) * (double) floatNormSquared(y));
    if (similarity > 1) {
      similarity = 1;
    } else if (similarity < -1) {
      similarity = -1;
    }
    return 1 - similarity;
  }

  /** {@code l2_norm(s)}: the Euclidean norm, summed in double. */
  public static Double l2Norm(Object a) {
    if (a == null) {
      return null;
    }
    SparseVectorValue x = sparse(a, null);
    double norm = 0;
    for (int i = 0; i < x.nonZeros(); i++) {
      norm += (double) x.valueAt(i) * x.valueAt(i);
    }
    return Math.sqrt(norm);
  }

  /**
   * {@code l2_normalize(s)}: the sparse vector over its norm, elements that become zero dropped;
   * a zero vector stays zero; 22003 when an element overflows, as in pgvector.
   */
  public static SparseVectorValue l2Normalize(Object a) {
    if (a == null) {
      return null;
    }
    SparseVectorValue x = sparse(a, null);
    double norm = l2Norm(x);
    if (norm == 0) {
      return x;
    }
    int[] indices = new int[x.nonZeros()];
    float[] values = new float[x.nonZeros()];
    int kept = 0;
    for (int i = 0; i < x.nonZeros(); i++) {
      float v = (float) (x.valueAt(i) / norm);
      if (Float.isInfinite(v)) {
        throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
            "value out of range: overflow normalizing element %d of %s", x.indexAt(i) + 1, x);
      }
      if (v != 0) {
        indices[kept] = x.indexAt(i);
        values[kept++] = v;
      }
    }
    return SparseVectorValue.wrap(x.dimension(), Arrays.copyOf(indices, kept),
        Arrays.copyOf(values, kept));
  }

  private static float dot(SparseVectorValue x, SparseVectorValue y) {
    float sum = 0;
    int i = 0;
    int j = 0;
    while (i < x.nonZeros() && j < y.nonZeros()) {
      int xi = x.indexAt(i);
      int yj = y.indexAt(j);
      if (xi == yj) {
        sum += x.valueAt(i++) * y.valueAt(j++);
      } else if (xi < yj) {
        i++;
      } else {
        j++;
      }
    }
    return sum;
  }

  private static float floatNormSquared(SparseVectorValue x) {
    float sum = 0;
    for (int i = 0; i < x.nonZeros(); i++) {
      sum += x.valueAt(i) * x.valueAt(i);
    }
    return sum;
  }

  /**
   * Operand {@code a} as a sparse vector: itself, or text read as one; a dense vector is no
   * operand of these functions (42883 naming both types, as pgvector has no such function).
   */
  private static SparseVectorValue sparse(Object a, Object other) {
    if (a instanceof VectorValue || a instanceof float[]) {
      throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
          "no function of %s and %s: a sparsevec meets a %s only through a cast",
          typeName(a), typeName(other), typeName(a));
    }
    return SparsevecCasts.sparse(a);
  }

  private static String typeName(Object value) {
    return value instanceof SparseVectorValue ? "sparsevec"
        : value instanceof VectorValue v ? v.typeName()
        : value instanceof float[] ? "vector" : "text";
  }

  /** {@code y}, when it has as many dimensions as {@code x}; 22000 naming both otherwise. */
  private static SparseVectorValue sameDimension(SparseVectorValue x, SparseVectorValue y) {
    if (x.dimension() != y.dimension()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different sparsevec dimensions %d and %d", x.dimension(), y.dimension());
    }
    return y;
  }
}
