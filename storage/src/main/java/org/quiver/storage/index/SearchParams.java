package org.quiver.storage.index;

/**
 * How wide one index search looks. Each method reads the parameter it knows.
 *
 * @param ef HNSW: candidate list size (raised to topK when below)
 * @param nprobe IVF: how many inverted lists are scanned, nearest centroids first (capped at nlist)
 */
public record SearchParams(int ef, int nprobe) {
  public SearchParams {
    if (ef < 1 || nprobe < 1) {
      throw new IllegalArgumentException("ef and nprobe must be >= 1, got " + ef + ", " + nprobe);
    }
  }
}
