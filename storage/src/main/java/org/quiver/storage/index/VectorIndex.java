package org.quiver.storage.index;

import java.util.function.IntPredicate;

/**
 * An index over the float vectors of one sealed segment, open for search. Row {@code i} of the
 * index is row {@code i} of the segment. Searches are thread-safe; {@link #close} must not run
 * concurrently with a search.
 */
public interface VectorIndex extends SegmentIndex {
  /**
   * The rows nearest to {@code query} among those {@code accept} lets through (null: all), best
   * first, at most {@code topK}.
   */
  int[] search(float[] query, int topK, SearchParams params, IntPredicate accept);
}
