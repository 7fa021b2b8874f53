package org.quiver.storage.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorKernelsTest {

  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private static final int[] DIMS = {1, 3, 16, 17, 128, 784};
  private static final double EPS = Math.ulp(1f);

  @Test
  void runsTheSimdKernelsWhenTheModuleIsPresent() {
    // Surefire passes --add-modules jdk.incubator.vector, so these tests exercise the SIMD path.
    assertTrue(VectorKernels.implementation().startsWith("simd"), VectorKernels.implementation());
  }

  @Test
  void sumOfAMemoryRangeMatchesTheScalarSumAtAnyLengthAndOffset() {
    Random random = new Random(SEED);
    ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    try (Arena arena = Arena.ofConfined()) {
      for (int n : new int[] {0, 1, 7, 64, 65, 1000, 4099}) {
        long base = random.nextInt(8);
        MemorySegment data = arena.allocate(base + (long) n * Float.BYTES);
        double expected = 0;
        for (int i = 0; i < n; i++) {
          // Small integers: every partial sum is exact in float, whatever the order of adds.
          float v = random.nextInt(17) - 8;
          data.set(le, base + (long) i * Float.BYTES, v);
          expected += v;
        }
        assertEquals(expected, VectorKernels.sum(data, base, (long) n * Float.BYTES), 0.0, "n=" + n);
        assertEquals(expected, ScalarKernels.sum(data, base, (long) n * Float.BYTES), 0.0, "n=" + n);
      }
    }
  }

  @Test
  void memorySegmentKernelsEqualTheArrayKernels() {
    Random random = new Random(SEED);
    ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    try (Arena arena = Arena.ofConfined()) {
      for (int dim : DIMS) {
        for (int trial = 0; trial < 20; trial++) {
          float[] q = randomVector(random, dim, 1f);
          float[] data = randomVector(random, 3 * dim, 1f);
          int row = random.nextInt(3);
          // Any byte offset, so unaligned reads are covered too.
          long base = random.nextInt(8);
          MemorySegment mapped = arena.allocate(base + (long) data.length * Float.BYTES);
          for (int i = 0; i < data.length; i++) {
            mapped.set(le, base + (long) i * Float.BYTES, data[i]);
          }
          long offset = base + (long) row * dim * Float.BYTES;
          float qNorm = (float) Math.sqrt(ScalarKernels.normSquared(q, 0, dim));
          String where = "dim " + dim + " trial " + trial + " seed " + SEED;
          assertEquals(ScalarKernels.l2Squared(q, data, row * dim, dim),
              ScalarKernels.l2Squared(q, mapped, offset, dim), "scalar l2 " + where);
          assertEquals(ScalarKernels.dot(q, data, row * dim, dim),
              ScalarKernels.dot(q, mapped, offset, dim), "scalar dot " + where);
          assertEquals(ScalarKernels.cosineDistance(q, qNorm, data, row * dim, dim),
              ScalarKernels.cosineDistance(q, qNorm, mapped, offset, dim), "scalar cos " + where);
          assertEquals(SimdKernels.l2Squared(q, data, row * dim, dim),
              SimdKernels.l2Squared(q, mapped, offset, dim), "simd l2 " + where);
          assertEquals(SimdKernels.dot(q, data, row * dim, dim),
              SimdKernels.dot(q, mapped, offset, dim), "simd dot " + where);
          assertEquals(SimdKernels.cosineDistance(q, qNorm, data, row * dim, dim),
              SimdKernels.cosineDistance(q, qNorm, mapped, offset, dim), "simd cos " + where);
          assertEquals(VectorKernels.l2Squared(q, data, row * dim, dim),
              VectorKernels.l2Squared(q, mapped, offset, dim), "l2 " + where);
          assertEquals(ScalarKernels.l1(q, data, row * dim, dim),
              ScalarKernels.l1(q, mapped, offset, dim), "scalar l1 " + where);
          assertEquals(SimdKernels.l1(q, data, row * dim, dim),
              SimdKernels.l1(q, mapped, offset, dim), "simd l1 " + where);
          assertEquals(VectorKernels.l1(q, data, row * dim, dim),
              VectorKernels.l1(q, mapped, offset, dim), "l1 " + where);
          assertEquals(VectorKernels.dot(q, data, row * dim, dim),
              VectorKernels.dot(q, mapped, offset, dim), "dot " + where);
          assertEquals(VectorKernels.cosineDistance(q, qNorm, data, row * dim, dim),
              VectorKernels.cosineDistance(q, qNorm, mapped, offset, dim), "cos " + where);
        }
      }
    }
  }

  @Test
  void aDotProductWithSignedBytesAgreesWithADoublePrecisionReference() {
    Random random = new Random(SEED);
    for (int dim : DIMS) {
      float[] weights = new float[dim];
      byte[] codes = new byte[dim + 7];
      for (int i = 0; i < dim; i++) {
        weights[i] = (float) random.nextGaussian();
      }
      random.nextBytes(codes);
      for (int offset : new int[] {0, 7}) {
        double reference = 0;
        double scale = 0;
        for (int i = 0; i < dim; i++) {
          reference += (double) weights[i] * codes[offset + i];
          scale += Math.abs((double) weights[i] * codes[offset + i]);
        }
        float simd = VectorKernels.dotBytes(weights, codes, offset, dim);
        assertEquals(reference, simd, 1e-5 * scale + 1e-4, "dim " + dim + " offset " + offset);
        assertEquals(reference, ScalarKernels.dotBytes(weights, codes, offset, dim),
            1e-5 * scale + 1e-4, "scalar, dim " + dim + " offset " + offset);
      }
    }
  }

  @Test
  void kernelsAgreeWithADoublePrecisionReference() {
    Random random = new Random(SEED);
    for (int dim : DIMS) {
      for (int trial = 0; trial < 50; trial++) {
        float scale = (float) Math.pow(10, random.nextInt(7) - 3);
        int offset = random.nextInt(4) * dim + random.nextInt(3);
        float[] q = randomVector(random, dim, scale);
        float[] data = randomVector(random, offset + dim + random.nextInt(3), scale);
        String where = "dim " + dim + " trial " + trial + " seed " + SEED;

        double l2 = 0;
        double l1 = 0;
        double dot = 0;
        double dotAbs = 0;
        double qq = 0;
        double xx = 0;
        for (int i = 0; i < dim; i++) {
          double d = (double) q[i] - data[offset + i];
          l2 += d * d;
          l1 += Math.abs(d);
          dot += (double) q[i] * data[offset + i];
          dotAbs += Math.abs((double) q[i] * data[offset + i]);
          qq += (double) q[i] * q[i];
          xx += (double) data[offset + i] * data[offset + i];
        }
        double bound = 2 * dim * EPS;
        assertClose(
            "l2 " + where,
            l2,
            l2 * bound,
            ScalarKernels.l2Squared(q, data, offset, dim),
            SimdKernels.l2Squared(q, data, offset, dim),
            VectorKernels.l2Squared(q, data, offset, dim));
        assertClose(
            "l1 " + where,
            l1,
            l1 * bound,
            ScalarKernels.l1(q, data, offset, dim),
            SimdKernels.l1(q, data, offset, dim),
            VectorKernels.l1(q, data, offset, dim));
        assertClose(
            "dot " + where,
            dot,
            dotAbs * bound,
            ScalarKernels.dot(q, data, offset, dim),
            SimdKernels.dot(q, data, offset, dim),
            VectorKernels.dot(q, data, offset, dim));
        assertClose(
            "norm " + where,
            xx,
            xx * bound,
            ScalarKernels.normSquared(data, offset, dim),
            SimdKernels.normSquared(data, offset, dim),
            VectorKernels.normSquared(data, offset, dim));

        double cosine = 1 - dot / (Math.sqrt(qq) * Math.sqrt(xx));
        float qNorm = (float) Math.sqrt(qq);
        double cosBound = 4 * dim * EPS * dotAbs / (Math.sqrt(qq) * Math.sqrt(xx)) + 1e-6;
        assertClose(
            "cosine " + where,
            cosine,
            cosBound,
            ScalarKernels.cosineDistance(q, qNorm, data, offset, dim),
            SimdKernels.cosineDistance(q, qNorm, data, offset, dim),
            VectorKernels.cosineDistance(q, qNorm, data, offset, dim));
      }
    }
  }

  @Test
  void cosineEdges() {
    float[] x = {3, 4, 0};
    float[] zero = new float[3];
    assertEquals(1f, VectorKernels.cosineDistance(x, 5f, zero, 0, 3));
    assertEquals(1f, VectorKernels.cosineDistance(zero, 0f, x, 0, 3));
    assertEquals(1f, ScalarKernels.cosineDistance(zero, 0f, zero, 0, 3));
    // A NULL row (NaN) stays NaN, which no search keeps, also from a zero query.
    float[] nullRow = {Float.NaN, Float.NaN, Float.NaN};
    assertTrue(Float.isNaN(VectorKernels.cosineDistance(zero, 0f, nullRow, 0, 3)));
    assertTrue(Float.isNaN(ScalarKernels.cosineDistance(zero, 0f, nullRow, 0, 3)));
    assertTrue(Float.isNaN(VectorKernels.cosineDistance(x, 5f, nullRow, 0, 3)));
    assertEquals(0f, VectorKernels.cosineDistance(x, 5f, x, 0, 3));
    assertEquals(2f, VectorKernels.cosineDistance(x, 5f, new float[] {-3, -4, 0}, 0, 3));
    float[] many = new float[784];
    Arrays.fill(many, 0.1f);
    float norm = (float) Math.sqrt(VectorKernels.normSquared(many, 0, 784));
    float self = VectorKernels.cosineDistance(many, norm, many, 0, 784);
    assertTrue(self >= 0 && self < 1e-6, "distance to itself " + self);
  }

  @Test
  void readingPastTheArrayFails() {
    float[] q = new float[17];
    float[] data = new float[20];
    assertThrows(IndexOutOfBoundsException.class, () -> SimdKernels.l2Squared(q, data, 4, 17));
    assertThrows(IndexOutOfBoundsException.class, () -> ScalarKernels.l2Squared(q, data, 4, 17));
  }

  @Test
  void rowBlockKernelsEqualTheOneRowKernelsForEveryRowCountAndWidth() {
    Random random = new Random(SEED);
    ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    try (Arena arena = Arena.ofConfined()) {
      for (int dim : new int[] {1, 3, 16, 17, 25, 32, 48, 100, 128, 784}) {
        for (int rows : new int[] {0, 1, 3, 4, 5, 8, 13}) {
          float[] q = randomVector(random, dim, 1f);
          long base = random.nextInt(8);
          MemorySegment data = arena.allocate(base + (long) rows * dim * Float.BYTES);
          for (int i = 0; i < rows * dim; i++) {
            data.set(le, base + (long) i * Float.BYTES, random.nextFloat() * 2 - 1);
          }
          float qNorm = (float) Math.sqrt(ScalarKernels.normSquared(q, 0, dim));
          float[] l2 = new float[rows];
          float[] dot = new float[rows];
          float[] cos = new float[rows];
          float[] scalarL2 = new float[rows];
          VectorKernels.l2SquaredRows(q, data, base, dim, rows, l2);
          VectorKernels.dotRows(q, data, base, dim, rows, dot);
          VectorKernels.cosineDistanceRows(q, qNorm, data, base, dim, rows, cos);
          ScalarKernels.l2SquaredRows(q, data, base, dim, rows, scalarL2);
          for (int r = 0; r < rows; r++) {
            long offset = base + (long) r * dim * Float.BYTES;
            String where = "dim " + dim + " rows " + rows + " row " + r + " seed " + SEED;
            float expectedL2 = VectorKernels.l2Squared(q, data, offset, dim);
            assertEquals(expectedL2, l2[r], 1e-5 * Math.max(1, expectedL2), "l2 " + where);
            assertEquals(expectedL2, scalarL2[r], 1e-4 * Math.max(1, expectedL2), "scalar " + where);
            float expectedDot = VectorKernels.dot(q, data, offset, dim);
            assertEquals(expectedDot, dot[r], 1e-5 * Math.max(1, Math.abs(expectedDot)),
                "dot " + where);
            assertEquals(VectorKernels.cosineDistance(q, qNorm, data, offset, dim), cos[r], 1e-5,
                "cos " + where);
          }
        }
      }
    }
  }

  private static float[] randomVector(Random random, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian() * scale;
    }
    return v;
  }

  /** Checks the scalar, SIMD and dispatched results of one kernel against the reference. */
  private static void assertClose(
      String what, double expected, double tolerance, float scalar, float simd, float dispatched) {
    float[] results = {scalar, simd, dispatched};
    String[] names = {"scalar", "simd", "dispatched"};
    for (int i = 0; i < results.length; i++) {
      assertTrue(
          Math.abs(results[i] - expected) <= tolerance + Double.MIN_NORMAL,
          names[i] + " " + what + ": expected " + expected + " +- " + tolerance + ", got "
              + results[i]);
    }
  }
}
