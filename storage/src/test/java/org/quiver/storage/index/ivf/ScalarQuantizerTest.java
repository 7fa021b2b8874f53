package org.quiver.storage.index.ivf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScalarQuantizerTest {
  @Test
  void eachDimensionIsCutBetweenItsSmallestAndLargestValueAndAConstantOneCodesAsZero() {
    // Three vectors of three dimensions; by dimension: 0 to 10, -1 to 1, and the constant 5.
    float[] v = {0, -1, 5, 10, 1, 5, 5, 0, 5};
    ScalarQuantizer q = ScalarQuantizer.train(v, 3, 3);
    byte[] codes = new byte[9];
    for (int i = 0; i < 3; i++) {
      q.encode(v, i * 3, codes, i * 3);
    }
    assertEquals(0, codes[0] & 0xff);
    assertEquals(255, codes[3] & 0xff);
    // 5 of [0, 10] lies half-way between two of the 255 steps: either is within half a step.
    assertEquals(5f, q.decode(0, codes[6] & 0xff), 10f / 255 / 2 + 1e-6);
    assertEquals(0, codes[1] & 0xff);
    assertEquals(255, codes[4] & 0xff);
    assertEquals(0, codes[2] & 0xff);
    assertEquals(0, codes[5] & 0xff);
    assertEquals(5f, q.decode(2, 0));
    assertEquals(10f, q.decode(0, 255), 1e-5);
    assertEquals(0f, q.decode(1, codes[7] & 0xff), 1f / 255);
  }
}
