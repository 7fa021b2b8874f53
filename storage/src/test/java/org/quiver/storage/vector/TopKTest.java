package org.quiver.storage.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());

  private record Candidate(float distance, int row) {}

  @Test
  void keepsTheSmallestLikeSortingDoes() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 300; trial++) {
      int n = random.nextInt(2000);
      int k = 1 + random.nextInt(60);
      List<Candidate> candidates = new ArrayList<>();
      for (int row = 0; row < n; row++) {
        // Few distinct distances, so ties are common and the row order must break them.
        float d = random.nextInt(50) == 0 ? Float.NaN : random.nextInt(25) / 4f - 1;
        candidates.add(new Candidate(d, row));
      }
      Collections.shuffle(candidates, random);
      TopK top = new TopK(k);
      for (Candidate c : candidates) {
        top.offer(c.distance(), c.row());
      }
      List<Candidate> sorted = new ArrayList<>(candidates);
      sorted.sort(
          Comparator.comparing(Candidate::distance, Float::compare)
              .thenComparingInt(Candidate::row));
      int expected = Math.min(k, n);
      String where = "trial " + trial + " n " + n + " k " + k + " seed " + SEED;
      assertEquals(expected, top.size(), where);
      float threshold = n >= k ? sorted.get(k - 1).distance() : Float.POSITIVE_INFINITY;
      assertEquals(threshold, top.threshold(), where);

      float[] distances = new float[k];
      int[] rows = new int[k];
      assertEquals(expected, top.drainSorted(distances, rows), where);
      float[] wantDistances = new float[k];
      int[] wantRows = new int[k];
      for (int i = 0; i < expected; i++) {
        wantDistances[i] = sorted.get(i).distance();
        wantRows[i] = sorted.get(i).row();
      }
      assertArrayEquals(wantDistances, distances, where);
      assertArrayEquals(wantRows, rows, where);
      assertEquals(0, top.size(), where);
    }
  }

  @Test
  void offerReportsWhetherTheCandidateIsKept() {
    TopK top = new TopK(2);
    assertEquals(true, top.offer(5, 1));
    assertEquals(true, top.offer(3, 2));
    assertEquals(false, top.offer(5, 3));
    assertEquals(true, top.offer(5, 0));
    assertEquals(5f, top.threshold());
    assertThrows(IllegalArgumentException.class, () -> new TopK(0));
  }
}
