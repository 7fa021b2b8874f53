package org.quiver.sql.function;

import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.jdbc.VectorText;
import org.quiver.storage.vector.VectorKernels;

/**
 * The vector functions of Quiver SQL over vector text, for the rows that Calcite evaluates itself
 * (a search the engine answers computes its distances there). NULL in, NULL out.
 */
public final class VectorFunctions {
  private VectorFunctions() {}

  /** {@code a <-> b}: Euclidean distance. */
  public static Double l2Distance(String a, String b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = parse(a);
    float[] y = sameDimension(x, parse(b));
    return Math.sqrt(VectorKernels.l2Squared(x, y, 0, x.length));
  }

  /** {@code a <+> b}: taxicab (L1) distance. */
  public static Double l1Distance(String a, String b) {
    return a == null || b == null ? null : VectorMath.l1Distance(parse(a), parse(b));
  }

  /** {@code a <=> b}: one minus the cosine similarity. */
  public static Double cosineDistance(String a, String b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = parse(a);
    float[] y = sameDimension(x, parse(b));
    float norm = (float) Math.sqrt(VectorKernels.normSquared(x, 0, x.length));
    return (double) VectorKernels.cosineDistance(x, norm, y, 0, y.length);
  }

  /** {@code a <#> b}: the negated inner product. */
  public static Double negativeInnerProduct(String a, String b) {
    Double ip = innerProduct(a, b);
    return ip == null ? null : -ip;
  }

  public static Double innerProduct(String a, String b) {
    if (a == null || b == null) {
      return null;
    }
    float[] x = parse(a);
    float[] y = sameDimension(x, parse(b));
    return (double) VectorKernels.dot(x, y, 0, x.length);
  }

  public static Integer vectorDims(String a) {
    return a == null ? null : parse(a).length;
  }

  public static Double vectorNorm(String a) {
    if (a == null) {
      return null;
    }
    float[] x = parse(a);
    return Math.sqrt(VectorKernels.normSquared(x, 0, x.length));
  }

  /** The vector scaled to length 1 (a zero vector stays zero). */
  public static String l2Normalize(String a) {
    return a == null ? null : VectorText.format(VectorMath.l2Normalize(parse(a)));
  }

  /** {@code count} elements from the 1-based position {@code start}, as pgvector's subvector. */
  public static String subvector(String a, Integer start, Integer count) {
    if (a == null || start == null || count == null) {
      return null;
    }
    return VectorText.format(VectorMath.subvector(parse(a), start, count));
  }

  /** One bit per element, 1 where it is positive, as text ({@code '101'}) until a BIT type exists. */
  public static String binaryQuantize(String a) {
    return a == null ? null : VectorMath.binaryQuantize(parse(a));
  }

  static float[] parse(String text) {
    try {
      return VectorText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new QuiverException(e instanceof VectorText.OutOfRange
          ? ErrorCode.NUMERIC_OUT_OF_RANGE : ErrorCode.DATA_EXCEPTION, e.getMessage());
    }
  }

  private static float[] sameDimension(float[] x, float[] y) {
    if (x.length != y.length) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different vector dimensions %d and %d", x.length, y.length);
    }
    return y;
  }
}
