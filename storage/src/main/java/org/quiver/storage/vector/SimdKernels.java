package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
