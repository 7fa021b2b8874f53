package org.quiver.engine.querynode;

import java.util.PriorityQueue;

/**
 * Keeps the {@code k} nearest candidates seen so far across row sets; ties go to the earlier
 * candidate so results are deterministic.
 */
final class TopKCollector {
  record Hit(double distance, RowSet rowSet, int row, long order) {}

  private final int k;
  private final PriorityQueue<Hit> heap;
  private long seen;

  TopKCollector(int k) {
    this.k = k;
    // Sized by use, not by k: k may be far larger than the table.
    this.heap = new PriorityQueue<>(Math.max(1, Math.min(k, 1024)), (a, b) -> {
      int c = Double.compare(b.distance, a.distance);
      return c != 0 ? c : Long.compare(b.order, a.order);
    });
  }

  /**
   * The largest distance that can still enter: +infinity while fewer than k are held (a distance
   * that overflowed to infinity is still a row's distance, and one of k nearest when fewer are
   * nearer), then just below the farthest held (ties go to the earlier candidate). A candidate
   * enters when {@code distance <= limit()}, which no NaN (a NULL vector's) passes.
   */
  double limit() {
    return heap.size() < k ? Double.POSITIVE_INFINITY : Math.nextDown(heap.peek().distance);
  }

  void offer(double distance, RowSet rowSet, int row) {
    long order = seen++;
    if (heap.size() < k) {
      heap.add(new Hit(distance, rowSet, row, order));
    } else if (distance < heap.peek().distance) {
      heap.poll();
      heap.add(new Hit(distance, rowSet, row, order));
    }
  }

  int size() {
    return heap.size();
  }

  /** The held candidates, nearest first. */
  Hit[] sorted() {
    Hit[] hits = heap.toArray(new Hit[0]);
    java.util.Arrays.sort(hits, (a, b) -> {
      int c = Double.compare(a.distance, b.distance);
      return c != 0 ? c : Long.compare(a.order, b.order);
    });
    return hits;
  }
}
