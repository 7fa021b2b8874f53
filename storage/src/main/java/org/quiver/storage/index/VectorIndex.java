package org.quiver.storage.index;

import java.io.IOException;
import java.util.function.IntPredicate;

/**
 * An index over the vectors of one sealed segment, open for search. Row {@code i} of the index is
 * row {@code i} of the segment. Searches are thread-safe; {@link #close} must not run concurrently
 * with a search.
 */
public interface VectorIndex extends AutoCloseable {
  IndexMethod method();

  /** The metric the index was built for; it answers no other. */
  IndexMetric metric();

  /** Rows indexed. */
  int size();

  /**
   * The rows nearest to {@code query} among those {@code accept} lets through (null: all), best
   * first, at most {@code topK}.
   */
  int[] search(float[] query, int topK, SearchParams params, IntPredicate accept);

  /** Bytes this index holds on the heap (not counting what it reads from mapped files). */
  long heapBytes();

  @Override
  void close() throws IOException;
}
