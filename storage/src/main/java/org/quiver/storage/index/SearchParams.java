package org.quiver.storage.index;

/**
 * How wide one index search looks. Each method reads the parameter it knows.
 *
 * @param ef HNSW: candidate list size (raised to topK when below)
 * @param nprobe IVF: how many inverted lists are scanned, nearest centroids first (capped at nlist)
 * @param rerank HNSW with codes: how many of the candidates, best by their codes, are re-ranked
 *     against the full vectors (0: every one of the ef; at least topK)
 */
public record SearchParams(int ef, int nprobe, int rerank) {
  public SearchParams {
    if (ef < 1 || nprobe < 1 || rerank < 0) {
      throw new IllegalArgumentException("ef and nprobe must be >= 1 and rerank >= 0, got " + ef
          + ", " + nprobe + ", " + rerank);
    }
  }

  /** Every candidate re-ranked. */
  public SearchParams(int ef, int nprobe) {
    this(ef, nprobe, 0);
  }
}
