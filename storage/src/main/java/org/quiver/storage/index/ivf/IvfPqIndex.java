package org.quiver.storage.index.ivf;

import java.util.function.IntPredicate;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.vector.VectorKernels;

/**
 * An open IVF_PQ index: per row, on the heap, a product-quantized code of its residual to its
 * list's centroid ({@code pqM} bytes). A search ranks the rows of the probed lists by their codes
 * and re-ranks the best {@link InvertedLists#rerankDepth} exactly from the segment's vectors, so
 * recall stays
 * close to IVF_FLAT's at a fraction of the memory. Searches are thread-safe.
 *
 * <p>Metrics: L2 probes and quantizes by squared Euclidean distance; cosine does the same on
 * normalised vectors; IP files rows and probes lists by the largest inner product with the
 * centroid. Final distances are always the exact metric.
 */
final class IvfPqIndex implements VectorIndex {
  private static final int ENTRIES = IvfFormat.CODEBOOK_ENTRIES;

  private final InvertedLists lists;
  private final IndexMetric metric;
  private final int dim;
  private final PqCodebooks codebooks;
  private final int pqM;
  /** Per position in list order, {@code pqM} entry numbers. */
  private final byte[] codes;
  /**
   * L2 only: per position in list order, the squared norm of the row's reconstruction (its
   * centroid plus its decoded residual), so that one table per query serves every list.
   */
  private final float[] reconstructionNorms;
  private final SegmentVectors rows;

  IvfPqIndex(InvertedLists lists, IndexMetric metric, int dim, PqCodebooks codebooks,
      byte[] codes, SegmentVectors rows) {
    this.lists = lists;
    this.metric = metric;
    this.dim = dim;
    this.codebooks = codebooks;
    this.pqM = codebooks.subQuantizers();
    this.codes = codes;
    this.rows = rows;
    this.reconstructionNorms = metric == IndexMetric.L2 ? reconstructionNorms() : null;
  }

  private float[] reconstructionNorms() {
    float[] norms = new float[lists.size()];
    float[] x = new float[dim];
    float[] centroids = lists.centroids();
    for (int list = 0; list < lists.nlist(); list++) {
      for (int p = lists.start(list); p < lists.end(list); p++) {
        System.arraycopy(centroids, list * dim, x, 0, dim);
        codebooks.addDecoded(codes, p * pqM, x);
        norms[p] = VectorKernels.normSquared(x, 0, dim);
      }
    }
    return norms;
  }

  @Override
  public IndexMethod method() {
    return IndexMethod.IVF_PQ;
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
    long bytes = lists.heapBytes() + codes.length + codebooks.heapBytes();
    return reconstructionNorms == null ? bytes : bytes + 4L * reconstructionNorms.length;
  }

  /**
   * Ranks the probed rows by their codes, then re-ranks the best
   * {@link InvertedLists#rerankDepth} exactly.
   * One table of inner products between the query's sub-vectors and the codebook entries serves
   * every list: a row's approximate inner product is {@code q.c + sum_j table[j][code_j]}, and its
   * approximate squared L2 distance (less the constant |q|^2) is {@code |x|^2 - 2 q.x} with the
   * reconstruction's norm computed at load.
   */
  @Override
  public int[] search(float[] query, int topK, SearchParams params, IntPredicate accept) {
    float[] probe = lists.probe(query);
    int[] probed = lists.nearest(probe, params.nprobe());
    float[] table = new float[pqM * ENTRIES];
    codebooks.innerProducts(probe, table);
    float[] centroidDots = new float[lists.nlist()];
    for (int list : probed) {
      centroidDots[list] = lists.dotCentroid(probe, list);
    }
    boolean l2 = metric == IndexMetric.L2;
    return lists.rankByCodesThenExactly(probed, accept, (list, p) -> {
      float dot = centroidDots[list];
      for (int j = 0, at = p * pqM; j < pqM; j++) {
        dot += table[j * ENTRIES + (codes[at + j] & 0xff)];
      }
      return l2 ? reconstructionNorms[p] - 2 * dot : -dot;
    }, metric, query, topK, rows);
  }

  @Override
  public void close() {
    // Everything is on the heap: nothing to release.
  }
}
