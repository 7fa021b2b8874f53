package org.quiver.storage.index;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/** Recall at k of an index's answer against the exact distances of every row, for the tests. */
final class RecallWithTies {
  private RecallWithTies() {}

  /**
   * The share of {@code found} that are among the {@code k} nearest of the {@code count} rows that
   * {@code candidate} passes, by {@code distance}, ties included: a row as near as the k-th
   * nearest counts, since either answers the query.
   */
  static double of(int k, int count, IntPredicate candidate, IntToDoubleFunction distance,
      int[] found) {
    double[] exact = IntStream.range(0, count).filter(candidate).mapToDouble(distance)
        .sorted().toArray();
    double kth = exact[Math.min(k, exact.length) - 1];
    return Arrays.stream(found).filter(r -> distance.applyAsDouble(r) <= kth).count()
        / (double) Math.min(k, exact.length);
  }
}
