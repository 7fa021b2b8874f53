package org.quiver.storage.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time bit kernels against a count of one bit at a time, at every tail length. */
class BitKernelsTest {
  @Test
  void hammingAndJaccardMatchABitByBitCount() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int bytes = 1; bytes <= 40; bytes++) {
      byte[] a = new byte[bytes + 3];
      byte[] b = new byte[bytes + 5];
      random.nextBytes(a);
      random.nextBytes(b);
      int differ = 0;
      int both = 0;
      int either = 0;
      for (int i = 0; i < bytes * 8; i++) {
        boolean x = (a[3 + i / 8] & (0x80 >>> (i % 8))) != 0;
        boolean y = (b[5 + i / 8] & (0x80 >>> (i % 8))) != 0;
        differ += x != y ? 1 : 0;
        both += x && y ? 1 : 0;
        either += x || y ? 1 : 0;
      }
      assertEquals(differ, BitKernels.hamming(a, 3, b, 5, bytes), "seed=" + seed);
      assertEquals(both == 0 ? 1.0 : 1 - (double) both / either,
          BitKernels.jaccard(a, 3, b, 5, bytes), 1e-12, "seed=" + seed);
    }
  }

  @Test
  void twoStringsOfZerosAreAtJaccardDistanceOneAsInPgvector() {
    assertEquals(1.0, BitKernels.jaccard(new byte[9], 0, new byte[9], 0, 9));
    assertEquals(0, BitKernels.hamming(new byte[9], 0, new byte[9], 0, 9));
  }
}
