package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance kernels on the JDK Vector API; same contracts as {@link VectorKernels}.
 *
 * <p>Loading this class needs the module {@code jdk.incubator.vector} at run time. Each kernel is
 * one loop over a {@code static final} species with a scalar tail: a species passed as a parameter,
 * or kernels reached through a shared lambda, measured slower than the scalar code.
 */
public final class SimdKernels {

  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private SimdKernels() {}

  /** The species in use, for logs: for example "simd 512-bit, 16 lanes". */
  public static String describe() {
    return "simd " + SPECIES.vectorBitSize() + "-bit, " + SPECIES.length() + " lanes";
  }

  /** Two accumulators, in the same order as the mapped-segment kernel below (same results). */
  public static float l2Squared(float[] q, float[] data, int offset, int dim) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    int lanes = SPECIES.length();
    int i = 0;
    for (int bound = dim - 2 * lanes; i <= bound; i += 2 * lanes) {
      FloatVector d0 = FloatVector.fromArray(SPECIES, q, i)
          .sub(FloatVector.fromArray(SPECIES, data, offset + i));
      FloatVector d1 = FloatVector.fromArray(SPECIES, q, i + lanes)
          .sub(FloatVector.fromArray(SPECIES, data, offset + i + lanes));
      acc0 = d0.fma(d0, acc0);
      acc1 = d1.fma(d1, acc1);
    }
    for (int bound = SPECIES.loopBound(dim); i < bound; i += lanes) {
      FloatVector d = FloatVector.fromArray(SPECIES, q, i)
          .sub(FloatVector.fromArray(SPECIES, data, offset + i));
      acc0 = d.fma(d, acc0);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float d = q[i] - data[offset + i];
      sum += d * d;
    }
    return sum;
  }

  public static float l1(float[] q, float[] data, int offset, int dim) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int lanes = SPECIES.length();
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += lanes) {
      acc = acc.add(FloatVector.fromArray(SPECIES, q, i)
          .sub(FloatVector.fromArray(SPECIES, data, offset + i)).abs());
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += Math.abs(q[i] - data[offset + i]);
    }
    return sum;
  }

  public static float dot(float[] q, float[] data, int offset, int dim) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      acc =
          FloatVector.fromArray(SPECIES, q, i)
              .fma(FloatVector.fromArray(SPECIES, data, offset + i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += q[i] * data[offset + i];
    }
    return sum;
  }

  /** Bytes as wide as {@link #SPECIES} has float lanes; null below 8 lanes (no such shape). */
  private static final VectorSpecies<Byte> BYTES = SPECIES.length() >= 8
      ? VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.length() * Byte.SIZE)) : null;

  public static float dotBytes(float[] weights, byte[] codes, int offset, int dim) {
    if (BYTES == null) {
      return ScalarKernels.dotBytes(weights, codes, offset, dim);
    }
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      FloatVector x = (FloatVector) ByteVector.fromArray(BYTES, codes, offset + i)
          .convertShape(VectorOperators.B2F, SPECIES, 0);
      acc = x.fma(FloatVector.fromArray(SPECIES, weights, i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += weights[i] * codes[offset + i];
    }
    return sum;
  }

  public static float normSquared(float[] data, int offset, int dim) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, data, offset + i);
      acc = x.fma(x, acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float x = data[offset + i];
      sum += x * x;
    }
    return sum;
  }

  public static float cosineDistance(float[] q, float qNorm, float[] data, int offset, int dim) {
    FloatVector dotAcc = FloatVector.zero(SPECIES);
    FloatVector xxAcc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, data, offset + i);
      dotAcc = FloatVector.fromArray(SPECIES, q, i).fma(x, dotAcc);
      xxAcc = x.fma(x, xxAcc);
    }
    float dot = dotAcc.reduceLanes(VectorOperators.ADD);
    float xx = xxAcc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float x = data[offset + i];
      dot += q[i] * x;
      xx += x * x;
    }
    return ScalarKernels.cosine(dot, qNorm, xx);
  }

  /**
   * Two accumulators: the FMAs of one step do not wait for each other, so a scan of mapped
   * segments is bound by loads rather than by the latency of one FMA chain.
   */
  public static float l2Squared(float[] q, MemorySegment data, long offset, int dim) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    int lanes = SPECIES.length();
    int i = 0;
    for (int bound = dim - 2 * lanes; i <= bound; i += 2 * lanes) {
      FloatVector d0 = FloatVector.fromArray(SPECIES, q, i).sub(FloatVector.fromMemorySegment(
          SPECIES, data, offset + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN));
      FloatVector d1 = FloatVector.fromArray(SPECIES, q, i + lanes).sub(
          FloatVector.fromMemorySegment(SPECIES, data, offset + (long) (i + lanes) * Float.BYTES,
              ByteOrder.LITTLE_ENDIAN));
      acc0 = d0.fma(d0, acc0);
      acc1 = d1.fma(d1, acc1);
    }
    for (int bound = SPECIES.loopBound(dim); i < bound; i += lanes) {
      FloatVector d = FloatVector.fromArray(SPECIES, q, i).sub(FloatVector.fromMemorySegment(
          SPECIES, data, offset + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN));
      acc0 = d.fma(d, acc0);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float d = q[i] - data.get(ScalarKernels.FLOAT_LE, offset + (long) i * Float.BYTES);
      sum += d * d;
    }
    return sum;
  }

  public static float l1(float[] q, MemorySegment data, long offset, int dim) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      acc = acc.add(FloatVector.fromArray(SPECIES, q, i).sub(FloatVector.fromMemorySegment(
          SPECIES, data, offset + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN)).abs());
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += Math.abs(q[i] - data.get(ScalarKernels.FLOAT_LE, offset + (long) i * Float.BYTES));
    }
    return sum;
  }

  public static float dot(float[] q, MemorySegment data, long offset, int dim) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, q, i).fma(FloatVector.fromMemorySegment(SPECIES, data,
          offset + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += q[i] * data.get(ScalarKernels.FLOAT_LE, offset + (long) i * Float.BYTES);
    }
    return sum;
  }

  public static float cosineDistance(float[] q, float qNorm, MemorySegment data, long offset,
      int dim) {
    FloatVector dotAcc = FloatVector.zero(SPECIES);
    FloatVector xxAcc = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dim); i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromMemorySegment(SPECIES, data,
          offset + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN);
      dotAcc = FloatVector.fromArray(SPECIES, q, i).fma(x, dotAcc);
      xxAcc = x.fma(x, xxAcc);
    }
    float dot = dotAcc.reduceLanes(VectorOperators.ADD);
    float xx = xxAcc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      float x = data.get(ScalarKernels.FLOAT_LE, offset + (long) i * Float.BYTES);
      dot += q[i] * x;
      xx += x * x;
    }
    return ScalarKernels.cosine(dot, qNorm, xx);
  }

  /**
   * {@link #l2Squared(float[], MemorySegment, long, int)} for {@code rows} consecutive vectors from
   * byte {@code offset}, into {@code out[0..rows)}. Four rows share each load of the query, with
   * one FMA chain each: a scan is then bound by memory rather than by the per-row chain and
   * reduction (measured: two chains per row, as the one-row kernel has, were slower here). The
   * sums therefore run in another order than the one-row kernel's and may differ from it in the
   * last bits; every exact scan uses this kernel, so scans agree with each other.
   *
   * <p>The four rows of a step are a quarter of the block apart (rows r, r + n/4, r + n/2 and
   * r + 3n/4 of n), not neighbours: the loads then form four long sequential streams through the
   * block, which the hardware prefetcher follows, where four neighbouring rows made four streams
   * of one row each (8 cache lines at 128-d) that end before it has caught on. Measured with
   * {@code quiver bench scan}, three runs each, back to back: the engine's exact scan went from
   * 0.68-0.70 to 0.75-0.78 of the read bandwidth. Which rows share a step changes no row's sum.
   */
  public static void l2SquaredRows(float[] q, MemorySegment data, long offset, int dim, int rows,
      float[] out) {
    int lanes = SPECIES.length();
    long stride = (long) dim * Float.BYTES;
    int bound = SPECIES.loopBound(dim);
    int quarter = rows / 4;
    long span = quarter * stride;
    for (int r = 0; r < quarter; r++) {
      long at = offset + r * stride;
      FloatVector a0 = FloatVector.zero(SPECIES);
      FloatVector a1 = FloatVector.zero(SPECIES);
      FloatVector a2 = FloatVector.zero(SPECIES);
      FloatVector a3 = FloatVector.zero(SPECIES);
      for (int i = 0; i < bound; i += lanes) {
        FloatVector qa = FloatVector.fromArray(SPECIES, q, i);
        long x = at + (long) i * Float.BYTES;
        FloatVector d = qa.sub(load(data, x));
        a0 = d.fma(d, a0);
        d = qa.sub(load(data, x + span));
        a1 = d.fma(d, a1);
        d = qa.sub(load(data, x + 2 * span));
        a2 = d.fma(d, a2);
        d = qa.sub(load(data, x + 3 * span));
        a3 = d.fma(d, a3);
      }
      out[r] = l2Tail(q, data, at, bound, dim, a0.reduceLanes(VectorOperators.ADD));
      out[r + quarter] = l2Tail(q, data, at + span, bound, dim,
          a1.reduceLanes(VectorOperators.ADD));
      out[r + 2 * quarter] = l2Tail(q, data, at + 2 * span, bound, dim,
          a2.reduceLanes(VectorOperators.ADD));
      out[r + 3 * quarter] = l2Tail(q, data, at + 3 * span, bound, dim,
          a3.reduceLanes(VectorOperators.ADD));
    }
    for (int r = 4 * quarter; r < rows; r++) {
      out[r] = l2Squared(q, data, offset + r * stride, dim);
    }
  }

  /**
   * {@link #dot(float[], MemorySegment, long, int)} for {@code rows} consecutive vectors, four
   * rows a quarter of the block apart per query load (as {@link #l2SquaredRows}), each summed in
   * the one-row kernel's order.
   */
  public static void dotRows(float[] q, MemorySegment data, long offset, int dim, int rows,
      float[] out) {
    int lanes = SPECIES.length();
    long stride = (long) dim * Float.BYTES;
    int bound = SPECIES.loopBound(dim);
    int quarter = rows / 4;
    long span = quarter * stride;
    for (int r = 0; r < quarter; r++) {
      long at = offset + r * stride;
      FloatVector a0 = FloatVector.zero(SPECIES);
      FloatVector a1 = FloatVector.zero(SPECIES);
      FloatVector a2 = FloatVector.zero(SPECIES);
      FloatVector a3 = FloatVector.zero(SPECIES);
      for (int i = 0; i < bound; i += lanes) {
        FloatVector qa = FloatVector.fromArray(SPECIES, q, i);
        long x = at + (long) i * Float.BYTES;
        a0 = qa.fma(load(data, x), a0);
        a1 = qa.fma(load(data, x + span), a1);
        a2 = qa.fma(load(data, x + 2 * span), a2);
        a3 = qa.fma(load(data, x + 3 * span), a3);
      }
      out[r] = dotTail(q, data, at, bound, dim, a0.reduceLanes(VectorOperators.ADD));
      out[r + quarter] = dotTail(q, data, at + span, bound, dim,
          a1.reduceLanes(VectorOperators.ADD));
      out[r + 2 * quarter] = dotTail(q, data, at + 2 * span, bound, dim,
          a2.reduceLanes(VectorOperators.ADD));
      out[r + 3 * quarter] = dotTail(q, data, at + 3 * span, bound, dim,
          a3.reduceLanes(VectorOperators.ADD));
    }
    for (int r = 4 * quarter; r < rows; r++) {
      out[r] = dot(q, data, offset + r * stride, dim);
    }
  }

  /**
   * {@link #cosineDistance(float[], float, MemorySegment, long, int)} for {@code rows} consecutive
   * vectors, four rows a quarter of the block apart per query load (as {@link #l2SquaredRows}),
   * each summed in the one-row kernel's order.
   */
  public static void cosineDistanceRows(float[] q, float qNorm, MemorySegment data, long offset,
      int dim, int rows, float[] out) {
    int lanes = SPECIES.length();
    long stride = (long) dim * Float.BYTES;
    int bound = SPECIES.loopBound(dim);
    int quarter = bound == dim ? rows / 4 : 0;
    long span = quarter * stride;
    // Widths that are not a whole number of vectors (rare) go row by row below.
    for (int r = 0; r < quarter; r++) {
      long at = offset + r * stride;
      FloatVector d0 = FloatVector.zero(SPECIES);
      FloatVector n0 = FloatVector.zero(SPECIES);
      FloatVector d1 = FloatVector.zero(SPECIES);
      FloatVector n1 = FloatVector.zero(SPECIES);
      FloatVector d2 = FloatVector.zero(SPECIES);
      FloatVector n2 = FloatVector.zero(SPECIES);
      FloatVector d3 = FloatVector.zero(SPECIES);
      FloatVector n3 = FloatVector.zero(SPECIES);
      for (int i = 0; i < bound; i += lanes) {
        FloatVector qa = FloatVector.fromArray(SPECIES, q, i);
        long x = at + (long) i * Float.BYTES;
        FloatVector v = load(data, x);
        d0 = qa.fma(v, d0);
        n0 = v.fma(v, n0);
        v = load(data, x + span);
        d1 = qa.fma(v, d1);
        n1 = v.fma(v, n1);
        v = load(data, x + 2 * span);
        d2 = qa.fma(v, d2);
        n2 = v.fma(v, n2);
        v = load(data, x + 3 * span);
        d3 = qa.fma(v, d3);
        n3 = v.fma(v, n3);
      }
      out[r] = ScalarKernels.cosine(d0.reduceLanes(VectorOperators.ADD), qNorm,
          n0.reduceLanes(VectorOperators.ADD));
      out[r + quarter] = ScalarKernels.cosine(d1.reduceLanes(VectorOperators.ADD), qNorm,
          n1.reduceLanes(VectorOperators.ADD));
      out[r + 2 * quarter] = ScalarKernels.cosine(d2.reduceLanes(VectorOperators.ADD), qNorm,
          n2.reduceLanes(VectorOperators.ADD));
      out[r + 3 * quarter] = ScalarKernels.cosine(d3.reduceLanes(VectorOperators.ADD), qNorm,
          n3.reduceLanes(VectorOperators.ADD));
    }
    for (int r = 4 * quarter; r < rows; r++) {
      out[r] = cosineDistance(q, qNorm, data, offset + r * stride, dim);
    }
  }

  /** The one-row kernel's scalar tail of an L2 sum: the floats from {@code from} to {@code dim}. */
  private static float l2Tail(float[] q, MemorySegment data, long offset, int from, int dim,
      float sum) {
    for (int i = from; i < dim; i++) {
      float d = q[i] - data.get(ScalarKernels.FLOAT_LE, offset + (long) i * Float.BYTES);
      sum += d * d;
    }
    return sum;
  }

  /** The one-row kernel's scalar tail of an inner product. */
  private static float dotTail(float[] q, MemorySegment data, long offset, int from, int dim,
      float sum) {
    for (int i = from; i < dim; i++) {
      sum += q[i] * data.get(ScalarKernels.FLOAT_LE, offset + (long) i * Float.BYTES);
    }
    return sum;
  }

  private static FloatVector load(MemorySegment data, long offset) {
    return FloatVector.fromMemorySegment(SPECIES, data, offset, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The sum of the {@code bytes / 4} floats from byte {@code offset} of {@code data}: a pure read
   * of memory at full width, the yardstick for a scan's bandwidth. Four accumulators keep the
   * adds independent so the loop is bound by loads, not by the latency of one add chain.
   */
  public static float sum(MemorySegment data, long offset, long bytes) {
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    long step = (long) SPECIES.vectorByteSize();
    long end = offset + bytes;
    long at = offset;
    for (; at + 4 * step <= end; at += 4 * step) {
      a0 = a0.add(FloatVector.fromMemorySegment(SPECIES, data, at, ByteOrder.LITTLE_ENDIAN));
      a1 = a1.add(FloatVector.fromMemorySegment(SPECIES, data, at + step, ByteOrder.LITTLE_ENDIAN));
      a2 = a2.add(FloatVector.fromMemorySegment(SPECIES, data, at + 2 * step,
          ByteOrder.LITTLE_ENDIAN));
      a3 = a3.add(FloatVector.fromMemorySegment(SPECIES, data, at + 3 * step,
          ByteOrder.LITTLE_ENDIAN));
    }
    float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    for (; at + Float.BYTES <= end; at += Float.BYTES) {
      sum += data.get(ScalarKernels.FLOAT_LE, at);
    }
    return sum;
  }
}
