package org.quiver.storage.index.ivf;

import java.util.function.IntPredicate;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.vector.VectorKernels;

/**
 * An open IVF_SQ8 index: per row, on the heap, one byte per dimension ({@link ScalarQuantizer}),
 * a quarter of the raw vector. A search ranks the rows of the probed lists by their codes and
 * re-ranks the best {@link InvertedLists#rerankDepth} exactly from the segment's vectors, as
 * IVF_PQ does. Searches are thread-safe.
 *
 * <p>A code's inner product with the query is {@code q.low + sum_d (q_d * step_d) * code_d}: one
 * weight per dimension, computed once per query, and the sum taken over the codes held as
 * signed bytes ({@code code - 128}, the constant {@code 128 * sum_d w_d} moved into the base) by
 * {@link VectorKernels#dotBytes}, which widens 16 of them to floats at a time. L2 ranks by {@code |x|^2 - 2 q.x} with each
 * row's decoded norm computed at load; cosine by the inner product of normalised vectors (the
 * codes are of the normalised rows); IP by the inner product.
 */
final class IvfSq8Index implements VectorIndex {
  private final InvertedLists lists;
  private final IndexMetric metric;
  private final int dim;
  private final ScalarQuantizer quantizer;
  /**
   * Per position in list order, {@code dim} codes, each held as {@code code - 128} (its top bit
   * flipped at load) so that a signed byte reads it with one constant offset.
   */
  private final byte[] codes;
  /** L2 only: per position in list order, the squared norm of the decoded row. */
  private final float[] decodedNorms;
  private final SegmentVectors rows;

  IvfSq8Index(InvertedLists lists, IndexMetric metric, int dim, ScalarQuantizer quantizer,
      byte[] codes, SegmentVectors rows) {
    this.lists = lists;
    this.metric = metric;
    this.dim = dim;
    this.quantizer = quantizer;
    this.codes = codes;
    this.rows = rows;
    this.decodedNorms = metric == IndexMetric.L2 ? decodedNorms() : null;
    for (int i = 0; i < codes.length; i++) {
      codes[i] ^= (byte) 0x80;
    }
  }

  private float[] decodedNorms() {
    float[] norms = new float[lists.size()];
    for (int p = 0; p < norms.length; p++) {
      float sum = 0;
      for (int d = 0; d < dim; d++) {
        float x = quantizer.decode(d, codes[p * dim + d] & 0xff);
        sum += x * x;
      }
      norms[p] = sum;
    }
    return norms;
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.IVF_SQ8;
  }

  @Override
  public IndexMetric metric() {
    return metric;
  }

  @Override
  public int size() {
    return lists.size();
  }

  @Override
  public long heapBytes() {
    long bytes = lists.heapBytes() + codes.length + quantizer.heapBytes();
    return decodedNorms == null ? bytes : bytes + 4L * decodedNorms.length;
  }

  @Override
  public int[] search(float[] query, int topK, SearchParams params, IntPredicate accept) {
    float[] probe = lists.probe(query);
    int[] probed = lists.nearest(probe, params.nprobe());
    float[] weights = new float[dim];
    float base = 0;
    for (int d = 0; d < dim; d++) {
      weights[d] = probe[d] * quantizer.steps()[d];
      base += probe[d] * quantizer.lows()[d] + 128 * weights[d];
    }
    boolean l2 = metric == IndexMetric.L2;
    float constant = base;
    return lists.rankByCodesThenExactly(probed, accept, (list, p) -> {
      float dot = constant + VectorKernels.dotBytes(weights, codes, p * dim, dim);
      return l2 ? decodedNorms[p] - 2 * dot : -dot;
    }, metric, query, topK, rows);
  }

  @Override
  public void close() {
    // Everything is on the heap: nothing to release.
  }
}
