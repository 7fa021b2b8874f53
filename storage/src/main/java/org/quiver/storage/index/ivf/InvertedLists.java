package org.quiver.storage.index.ivf;

import java.util.function.IntPredicate;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.vector.TopK;
import org.quiver.storage.vector.VectorKernels;

/**
 * The coarse quantizer of an IVF index and the rows it files under each centroid: list {@code l}
 * holds the positions {@code [listStart[l], listStart[l + 1])}, and position {@code p} is segment
 * row {@code rowIds[p]}. Immutable once built; shared by the writer and both index kinds.
 */
final class InvertedLists {
  private final IndexMetric metric;
  private final int dim;
  private final int nlist;
  private final float[] centroids;
  private final int[] listStart;
  private final int[] rowIds;

  InvertedLists(IndexMetric metric, int dim, float[] centroids, int[] listStart, int[] rowIds) {
    this.metric = metric;
    this.dim = dim;
    this.nlist = listStart.length - 1;
    this.centroids = centroids;
    this.listStart = listStart;
    this.rowIds = rowIds;
  }

  /**
   * The query as the quantizer sees it: for cosine, whose lists and codes hold directions, its
   * normalised copy; for the other metrics the query itself. Every scanner's search starts here,
   * so this is where a query of the wrong dimension is refused.
   */
  float[] probe(float[] query) {
    if (query.length != dim) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the index " + dim);
    }
    if (metric != IndexMetric.COSINE) {
      return query;
    }
    float[] probe = query.clone();
    normalise(probe, 0, dim);
    return probe;
  }

  /** Scales the vector at {@code offset} to unit length (a zero vector stays zero). */
  static void normalise(float[] v, int offset, int dim) {
    float norm = (float) Math.sqrt(VectorKernels.normSquared(v, offset, dim));
    if (norm > 0) {
      for (int d = 0; d < dim; d++) {
        v[offset + d] /= norm;
      }
    }
  }

  /**
   * The list a point belongs to: the centroid nearest to it by the metric's quantizer distance
   * (the largest inner product for IP, else the smallest squared Euclidean distance).
   */
  static int nearestList(IndexMetric metric, float[] point, float[] centroids, int nlist,
      int dim) {
    if (metric != IndexMetric.IP) {
      return KMeans.nearest(point, centroids, nlist, dim);
    }
    int best = 0;
    float bestDot = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < nlist; c++) {
      float dot = VectorKernels.dot(point, centroids, c * dim, dim);
      if (dot > bestDot) {
        bestDot = dot;
        best = c;
      }
    }
    return best;
  }

  /**
   * The {@code n} lists whose centroids are nearest to {@code probe} by the same distance as
   * {@link #nearestList}, nearest first.
   */
  int[] nearest(float[] probe, int n) {
    TopK best = new TopK(Math.min(n, nlist));
    for (int c = 0; c < nlist; c++) {
      float d = metric == IndexMetric.IP
          ? -VectorKernels.dot(probe, centroids, c * dim, dim)
          : VectorKernels.l2Squared(probe, centroids, c * dim, dim);
      if (d <= best.threshold()) {
        best.offer(d, c);
      }
    }
    return drain(best);
  }

  /** The rows of {@code top}, nearest first. */
  /** An approximate distance, smaller is nearer, of the row at {@code position} of {@code list}. */
  @FunctionalInterface
  interface CodeDistance {
    float distance(int list, int position);
  }

  /**
   * The quantized methods' search: ranks the rows of the {@code probed} lists that
   * {@code accept} lets through (null: all) by their codes, then re-ranks the best
   * {@link #rerankDepth} exactly from the segment's vectors; the {@code topK} nearest rows, best
   * first.
   */
  int[] rankByCodesThenExactly(int[] probed, IntPredicate accept, CodeDistance codes,
      IndexMetric metric, float[] query, int topK, SegmentVectors rows) {
    TopK candidates = new TopK(rerankDepth(topK));
    for (int list : probed) {
      for (int p = start(list), end = end(list); p < end; p++) {
        int row = row(p);
        if (accept != null && !accept.test(row)) {
          continue;
        }
        float d = codes.distance(list, p);
        if (d <= candidates.threshold()) {
          candidates.offer(d, row);
        }
      }
    }
    SegmentVectors.Scorer exact = rows.scorer(metric, query);
    TopK top = new TopK(topK);
    for (int row : drain(candidates)) {
      top.offer(exact.distance(row), row);
    }
    return drain(top);
  }

  /** How many candidates ranked by their codes a quantized method re-ranks exactly for {@code topK}. */
  static int rerankDepth(int topK) {
    return Math.max(10 * topK, 100);
  }

  static int[] drain(TopK top) {
    int[] out = new int[top.size()];
    top.drainSorted(new float[out.length], out);
    return out;
  }

  /** The inner product of {@code probe} with list {@code list}'s centroid. */
  float dotCentroid(float[] probe, int list) {
    return VectorKernels.dot(probe, centroids, list * dim, dim);
  }

  int nlist() {
    return nlist;
  }

  int size() {
    return rowIds.length;
  }

  int start(int list) {
    return listStart[list];
  }

  int end(int list) {
    return listStart[list + 1];
  }

  /** The segment row at position {@code p} in list order. */
  int row(int p) {
    return rowIds[p];
  }

  float[] centroids() {
    return centroids;
  }

  /** Bytes held on the heap: centroids, list starts and row numbers. */
  long heapBytes() {
    return 4L * (centroids.length + listStart.length + rowIds.length);
  }
}
