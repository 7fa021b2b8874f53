package org.quiver.sql.function;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.type.HalfVectors;

/**
 * pgvector's {@code SUM} and {@code AVG} of vectors, in the shape Calcite's enumerable convention
 * runs a user-defined aggregate: static {@code init}, {@code add} and {@code result} methods over
 * an accumulator. NULL inputs are skipped; no input at all gives NULL.
 */
public final class VectorAggregates {
  private VectorAggregates() {}

  /**
   * {@code SUM(v)}: summed in float, element by element, as pgvector's {@code vector_add}; a sum of
   * halfvecs is rounded to float16 at each step, as pgvector's {@code halfvec_add}.
   */
  public static final class Sum {
    private float[] sum;
    private boolean half;

    private Sum() {}

    public static Sum init() {
      return new Sum();
    }

    public static Sum add(Sum accumulator, VectorValue value) {
      if (value == null) {
        return accumulator;
      }
      float[] x = value.elements();
      if (accumulator.sum == null) {
        accumulator.sum = x.clone();
        accumulator.half = value.isHalf();
      } else {
        float[] sum = VectorMath.add(accumulator.sum, x);
        accumulator.sum = accumulator.half
            ? HalfVectors.ofResult(sum, accumulator.sum, x, false).elements() : sum;
      }
      return accumulator;
    }

    public static VectorValue result(Sum accumulator) {
      if (accumulator.sum == null) {
        return null;
      }
      float[] sum = accumulator.sum.clone();
      return accumulator.half ? VectorValue.wrapHalf(sum) : VectorValue.wrap(sum);
    }
  }

  /**
   * {@code AVG(v)}: summed in double, as pgvector's {@code vector_accum}, and divided at the end.
   * A mean lies between the smallest and the largest element, so it always fits a float.
   */
  public static final class Average {
    private double[] sum;
    private long count;
    private boolean half;

    private Average() {}

    public static Average init() {
      return new Average();
    }

    public static Average add(Average accumulator, VectorValue value) {
      if (value == null) {
        return accumulator;
      }
      float[] x = value.elements();
      if (accumulator.sum == null) {
        accumulator.sum = new double[x.length];
        accumulator.half = value.isHalf();
      } else if (accumulator.sum.length != x.length) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "expected %d dimensions, not %d",
            accumulator.sum.length, x.length);
      }
      for (int i = 0; i < x.length; i++) {
        accumulator.sum[i] += x[i];
      }
      accumulator.count++;
      return accumulator;
    }

    public static VectorValue result(Average accumulator) {
      if (accumulator.count == 0) {
        return null;
      }
      float[] mean = new float[accumulator.sum.length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (float) (accumulator.sum[i] / accumulator.count);
      }
      return accumulator.half ? HalfVectors.of(mean) : VectorValue.wrap(mean);
    }
  }
}
