package org.quiver.storage.vector;

import java.lang.foreign.MemorySegment;

/**
 * The distance kernels every search uses: SIMD through the JDK Vector API when the module
 * {@code jdk.incubator.vector} is in the boot layer (the launcher passes {@code --add-modules
 * jdk.incubator.vector}), otherwise plain Java.
 *
 * <p>Each kernel reads {@code dim} floats of {@code q} from index 0 and of {@code data} from
 * {@code offset}, so one flat array can hold many vectors. The {@link MemorySegment} variants read
 * {@code dim} little-endian floats from byte {@code offset} of a mapped file ({@link
 * VectorColumn}). The choice is a {@code static final}
 * boolean that the JIT folds away; there is no other indirection in the hot path. Thread-safe.
 */
public final class VectorKernels {

  private static final boolean SIMD =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorKernels() {}

  /** Whether the kernels run on the JDK Vector API (its module is in the boot layer). */
  public static boolean usesSimd() {
    return SIMD;
  }

  /** Which implementation runs, for logs: "scalar" or for example "simd 512-bit, 16 lanes". */
  public static String implementation() {
    return SIMD ? SimdKernels.describe() : "scalar";
  }

  /** Squared Euclidean distance. */
  public static float l2Squared(float[] q, float[] data, int offset, int dim) {
    return SIMD
        ? SimdKernels.l2Squared(q, data, offset, dim)
        : ScalarKernels.l2Squared(q, data, offset, dim);
  }

  /** Taxicab (L1) distance: the sum of the elements' absolute differences. */
  public static float l1(float[] q, float[] data, int offset, int dim) {
    return SIMD ? SimdKernels.l1(q, data, offset, dim) : ScalarKernels.l1(q, data, offset, dim);
  }

  /** Inner product. */
  public static float dot(float[] q, float[] data, int offset, int dim) {
    return SIMD ? SimdKernels.dot(q, data, offset, dim) : ScalarKernels.dot(q, data, offset, dim);
  }

  /** Squared Euclidean norm of one vector. */
  public static float normSquared(float[] data, int offset, int dim) {
    return SIMD
        ? SimdKernels.normSquared(data, offset, dim)
        : ScalarKernels.normSquared(data, offset, dim);
  }

  /**
   * Cosine distance {@code 1 - q.x / (|q| |x|)}, in [0, 2].
   *
   * <p>If either vector is zero the distance is 1.0 (as for orthogonal vectors) rather than NaN, so
   * that zero vectors sort in the middle of a result instead of poisoning comparisons.
   *
   * @param qNorm the Euclidean norm of {@code q} (not squared), computed once per query
   */
  public static float cosineDistance(float[] q, float qNorm, float[] data, int offset, int dim) {
    return SIMD
        ? SimdKernels.cosineDistance(q, qNorm, data, offset, dim)
        : ScalarKernels.cosineDistance(q, qNorm, data, offset, dim);
  }

  /** Squared Euclidean distance to the vector at byte {@code offset} of {@code data}. */
  public static float l2Squared(float[] q, MemorySegment data, long offset, int dim) {
    return SIMD
        ? SimdKernels.l2Squared(q, data, offset, dim)
        : ScalarKernels.l2Squared(q, data, offset, dim);
  }

  /** Taxicab (L1) distance to the vector at byte {@code offset} of {@code data}. */
  public static float l1(float[] q, MemorySegment data, long offset, int dim) {
    return SIMD ? SimdKernels.l1(q, data, offset, dim) : ScalarKernels.l1(q, data, offset, dim);
  }

  /** Inner product with the vector at byte {@code offset} of {@code data}. */
  public static float dot(float[] q, MemorySegment data, long offset, int dim) {
    return SIMD ? SimdKernels.dot(q, data, offset, dim) : ScalarKernels.dot(q, data, offset, dim);
  }

  /** Cosine distance to the vector at byte {@code offset} of {@code data}, as above. */
  public static float cosineDistance(float[] q, float qNorm, MemorySegment data, long offset,
      int dim) {
    return SIMD
        ? SimdKernels.cosineDistance(q, qNorm, data, offset, dim)
        : ScalarKernels.cosineDistance(q, qNorm, data, offset, dim);
  }

  /**
   * Squared Euclidean distances to the {@code rows} vectors stored one after another from byte
   * {@code offset} of {@code data}, into {@code out[0..rows)}: a scan's inner loop, several rows
   * per query load. Each distance is the one-row kernel's up to rounding (the sums may run in
   * another order).
   */
  public static void l2SquaredRows(float[] q, MemorySegment data, long offset, int dim, int rows,
      float[] out) {
    if (SIMD) {
      SimdKernels.l2SquaredRows(q, data, offset, dim, rows, out);
    } else {
      ScalarKernels.l2SquaredRows(q, data, offset, dim, rows, out);
    }
  }

  /** Inner products with {@code rows} consecutive vectors, as {@link #l2SquaredRows}. */
  public static void dotRows(float[] q, MemorySegment data, long offset, int dim, int rows,
      float[] out) {
    if (SIMD) {
      SimdKernels.dotRows(q, data, offset, dim, rows, out);
    } else {
      ScalarKernels.dotRows(q, data, offset, dim, rows, out);
    }
  }

  /** Cosine distances to {@code rows} consecutive vectors, as {@link #l2SquaredRows}. */
  public static void cosineDistanceRows(float[] q, float qNorm, MemorySegment data, long offset,
      int dim, int rows, float[] out) {
    if (SIMD) {
      SimdKernels.cosineDistanceRows(q, qNorm, data, offset, dim, rows, out);
    } else {
      ScalarKernels.cosineDistanceRows(q, qNorm, data, offset, dim, rows, out);
    }
  }

  /**
   * The sum of the floats in {@code [offset, offset + bytes)} of {@code data}: a sequential read at
   * the machine's full width, which the benchmark tool times to compare a scan's bandwidth with.
   */
  public static float sum(MemorySegment data, long offset, long bytes) {
    return SIMD ? SimdKernels.sum(data, offset, bytes) : ScalarKernels.sum(data, offset, bytes);
  }

  /**
   * The inner product of {@code weights} with {@code dim} signed bytes of {@code codes} from
   * {@code offset}: scalar-quantized codes scored against a query's per-dimension weights.
   */
  public static float dotBytes(float[] weights, byte[] codes, int offset, int dim) {
    return SIMD
        ? SimdKernels.dotBytes(weights, codes, offset, dim)
        : ScalarKernels.dotBytes(weights, codes, offset, dim);
  }
}
