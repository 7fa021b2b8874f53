package org.quiver.storage.vector;

/**
 * Keeps the k candidates with the smallest distance among those offered: a bounded max-heap of
 * (distance, row) pairs in two primitive arrays.
 *
 * <p>Candidates are ordered by distance ({@link Float#compare}, so NaN sorts last) and then by row,
 * smaller first, so that ties resolve the same way whatever the order of offers. Not thread-safe:
 * use one per scanning thread and merge.
 */
public final class TopK {

  private final int k;
  private final float[] distances;
  private final int[] rows;
  private int size;

  public TopK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
    this.distances = new float[k];
    this.rows = new int[k];
  }

  public int k() {
    return k;
  }

  public int size() {
    return size;
  }

  /**
   * The distance a candidate must not exceed to have a chance of entering: the largest distance
   * kept once k candidates are held, before that +Infinity. Scans use it to skip work.
   */
  public float threshold() {
    return size < k ? Float.POSITIVE_INFINITY : distances[0];
  }

  /** Offers a candidate; returns whether it is now among the k best. */
  public boolean offer(float distance, int row) {
    if (size < k) {
      int i = size++;
      distances[i] = distance;
      rows[i] = row;
      siftUp(i);
      return true;
    }
    if (!worse(distances[0], rows[0], distance, row)) {
      return false;
    }
    distances[0] = distance;
    rows[0] = row;
    siftDown(0);
    return true;
  }

  /**
   * Moves the kept candidates into the arrays, best first, and empties this heap.
   *
   * @return how many were written (the number held, at most k)
   */
  public int drainSorted(float[] distancesOut, int[] rowsOut) {
    int n = size;
    if (distancesOut.length < n || rowsOut.length < n) {
      throw new IllegalArgumentException("output arrays hold fewer than " + n + " entries");
    }
    for (int i = n - 1; i >= 0; i--) {
      distancesOut[i] = distances[0];
      rowsOut[i] = rows[0];
      size--;
      if (size > 0) {
        distances[0] = distances[size];
        rows[0] = rows[size];
        siftDown(0);
      }
    }
    return n;
  }

  /** Whether (d1, r1) ranks after (d2, r2). */
  private static boolean worse(float d1, int r1, float d2, int r2) {
    int c = Float.compare(d1, d2);
    return c > 0 || (c == 0 && r1 > r2);
  }

  private void siftUp(int i) {
    float d = distances[i];
    int r = rows[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(d, r, distances[parent], rows[parent])) {
        break;
      }
      distances[i] = distances[parent];
      rows[i] = rows[parent];
      i = parent;
    }
    distances[i] = d;
    rows[i] = r;
  }

  private void siftDown(int i) {
    float d = distances[i];
    int r = rows[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      int right = child + 1;
      if (right < size && worse(distances[right], rows[right], distances[child], rows[child])) {
        child = right;
      }
      if (!worse(distances[child], rows[child], d, r)) {
        break;
      }
      distances[i] = distances[child];
      rows[i] = rows[child];
      i = child;
    }
    distances[i] = d;
    rows[i] = r;
  }
}
