package org.quiver.engine.querynode;

/**
 * How a search may use indexes.
 *
 * @param ef width of a graph search (0: the default, {@link #DEFAULT_EF}); never below k + offset
 * @param exactOnly search every row exactly even where an index exists (for ground truth)
 */
public record SearchOptions(int ef, boolean exactOnly) {
  public static final int DEFAULT_EF = 100;
  public static final SearchOptions DEFAULT = new SearchOptions(0, false);

  public SearchOptions {
    if (ef < 0) {
      throw new IllegalArgumentException("ef must not be negative, got " + ef);
    }
  }

  int efFor(int depth) {
    return Math.max(ef == 0 ? DEFAULT_EF : ef, depth);
  }
}
