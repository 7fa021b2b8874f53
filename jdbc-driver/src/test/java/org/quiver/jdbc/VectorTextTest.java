package org.quiver.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorTextTest {

  @Test
  void formatsAsPgvectorText() {
    assertEquals("[1.0,2.5,-3.0]", VectorText.format(new float[] {1f, 2.5f, -3f}));
  }

  @Test
  void formatsEachValueAsFloatToStringDoes() {
    float[] values = {0f, -0f, 7f, -7f, 10f, 9_999_999f, -9_999_999f, 10_000_000f, 0.1f, -2.5e-7f,
        Float.MIN_VALUE, -Float.MAX_VALUE, 123456.5f, 1e20f};
    StringBuilder expected = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      expected.append(i > 0 ? "," : "").append(Float.toString(values[i]));
    }
    assertEquals(expected.append(']').toString(), VectorText.format(values));
  }

  @Test
  void parsesWithOrWithoutSpacesAndExponents() {
    assertArrayEquals(new float[] {1f, 2.5f, -3f}, VectorText.parse(" [ 1, 2.5 ,-3 ] "));
    assertArrayEquals(new float[] {1e-3f, 2e10f}, VectorText.parse("[1e-3,2E10]"));
  }

  @Test
  void roundTripsEveryFloatExactly() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int n = 0; n < 200; n++) {
      float[] v = new float[1 + random.nextInt(64)];
      for (int i = 0; i < v.length; i++) {
        v[i] = Float.intBitsToFloat(random.nextInt());
        if (!Float.isFinite(v[i])) {
          v[i] = random.nextFloat();
        }
      }
      assertArrayEquals(v, VectorText.parse(VectorText.format(v)), "seed=" + seed);
    }
  }

  @Test
  void abbreviatesLongVectorsForDisplay() {
    float[] long128 = new float[128];
    long128[0] = 0.12f;
    long128[1] = -0.5f;
    assertEquals("[0.12, -0.5, 0.0, 0.0, ... 128 dims]",
        VectorText.abbreviate(VectorText.format(long128)));
    assertEquals("[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]",
        VectorText.abbreviate("[1,2,3,4,5,6,7,8]"));
    assertEquals("[1.0, 2.0, 3.0, 4.0, ... 9 dims]", VectorText.abbreviate("[1,2,3,4,5,6,7,8,9]"));
  }

  @Test
  void rejectsWhatIsNotAVectorNamingIt() {
    for (String bad : new String[] {"", "1,2", "[1,2", "[]", "[ ]", "[1,,2]", "[1,a]", "[NaN]",
        "[Infinity,1]", "[1d]", "[1f, 2]", "[0x1p3]", "[1e]", "[e5]", "[1.2.3]", "[四]"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> VectorText.parse(bad), bad);
      assertTrue(!(e instanceof VectorText.OutOfRange), bad + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void numbersTooLargeForAFloatAreOutOfRangeAndTooSmallOnesZero() {
    for (String[] bad : new String[][] {{"[1e39]", "1e39"}, {"[1, -3.5e38]", "-3.5e38"}}) {
      VectorText.OutOfRange e = assertThrows(VectorText.OutOfRange.class,
          () -> VectorText.parse(bad[0]), bad[0]);
      assertTrue(e.getMessage().contains("\"" + bad[1] + "\" is out of range for type vector"),
          e.getMessage());
    }
    assertArrayEquals(new float[] {Float.MIN_VALUE, 0f, -0f, 0f, 0.5f, 5f, 1f, 3.4e38f},
        VectorText.parse("[1e-45, 0, -0.0, 0e-50, .5, 5., +1, 3.4E38]"));
    // As pgvector's vector_in: below a float's smallest, a number is zero of its sign.
    float[] tiny = VectorText.parse("[1e-46, -1e-46, 0.0000000000000000000000000000000000000000000001]");
    assertArrayEquals(new float[] {0f, -0f, 0f}, tiny);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(tiny[1]));
  }
}
