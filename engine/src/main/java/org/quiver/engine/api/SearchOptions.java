package org.quiver.engine.api;

import org.quiver.engine.api.catalog.IndexInfo;

/**
 * How a search may use indexes.
 *
 * @param ef width of a graph search; 0: the index's default, else {@link #DEFAULT_EF}; never
 *     below k + offset
 * @param nprobe inverted lists an IVF search scans; 0: the index's default, else {@link
 *     #DEFAULT_NPROBE}
 * @param exactOnly search every row exactly even where an index exists (for ground truth)
 */
public record SearchOptions(int ef, int nprobe, boolean exactOnly) {
  public static final int DEFAULT_EF = 64;
  public static final int DEFAULT_NPROBE = 8;
  public static final SearchOptions DEFAULT = new SearchOptions(0, 0, false);

  public SearchOptions {
    if (ef < 0 || nprobe < 0) {
      throw new IllegalArgumentException(
          "ef and nprobe must not be negative, got " + ef + ", " + nprobe);
    }
  }

  /** Graph width {@code ef} only, as before IVF. */
  public SearchOptions(int ef, boolean exactOnly) {
    this(ef, 0, exactOnly);
  }

  /**
   * The graph search width for {@code depth} rows through {@code index}: never below the depth,
   * nor below the index's re-rank depth (a quantized search re-ranks that many of its candidates).
   */
  public int efFor(int depth, IndexInfo index) {
    int chosen = ef != 0 ? ef : index != null && index.efSearch() > 0 ? index.efSearch() : DEFAULT_EF;
    return Math.max(Math.max(chosen, depth), index == null ? 0 : index.rerank());
  }

  int efFor(int depth) {
    return efFor(depth, null);
  }

  /** The lists an IVF search of {@code index} probes. */
  public int nprobeFor(IndexInfo index) {
    return nprobe != 0 ? nprobe
        : index != null && index.nprobe() > 0 ? index.nprobe() : DEFAULT_NPROBE;
  }
}
