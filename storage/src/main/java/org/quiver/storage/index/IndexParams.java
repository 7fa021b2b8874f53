package org.quiver.storage.index;

/**
 * How an index is built. Each method reads the parameters it knows and ignores the others.
 *
 * @param metric the distance the index answers
 * @param m HNSW: maximum neighbours per node
 * @param efConstruction HNSW: candidate list size while building
 * @param nlist IVF: number of inverted lists (k-means centroids); capped at the row count
 * @param pqM IVF_PQ, and HNSW with {@link Quantization#PQ}: number of sub-quantizers, bytes per
 *     code; 0 picks dimension / 4
 * @param seed the seed of the IVF coarse quantizer's k-means and of the sample it trains on, so
 *     the lists are reproducible (IVF_PQ's codebooks, trained by jvector, are not seeded)
 * @param quantization HNSW: the codes the graph search steers by ({@link Quantization#NONE}: none)
 */
public record IndexParams(IndexMetric metric, int m, int efConstruction, int nlist, int pqM,
    long seed, Quantization quantization) {
  public static final int DEFAULT_M = 16;
  public static final int DEFAULT_EF_CONSTRUCTION = 100;
  public static final int DEFAULT_NLIST = 128;

  public IndexParams {
    if (metric == null) {
      throw new IllegalArgumentException("an index needs a metric");
    }
    if (m < 0 || efConstruction < 0 || nlist < 0 || pqM < 0) {
      throw new IllegalArgumentException("index parameters must not be negative");
    }
    quantization = quantization == null ? Quantization.NONE : quantization;
  }

  /** Parameters of an index without quantization. */
  public IndexParams(IndexMetric metric, int m, int efConstruction, int nlist, int pqM,
      long seed) {
    this(metric, m, efConstruction, nlist, pqM, seed, Quantization.NONE);
  }

  /** The defaults for {@code metric}. */
  public static IndexParams defaults(IndexMetric metric) {
    return new IndexParams(metric, DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_NLIST, 0, 42);
  }

  /** Sub-quantizers for vectors of {@code dim} floats: as asked, else dim / 4, within [1, dim]. */
  public int subQuantizers(int dim) {
    return Math.max(1, Math.min(dim, pqM > 0 ? pqM : dim / 4));
  }
}
