package org.quiver.storage.index;

import java.io.IOException;

/**
 * An index of one sealed segment's column, open for search: a {@link VectorIndex} over float
 * vectors, a {@link BitHnswIndex} over bit strings or a {@link SparseHnswIndex} over sparse
 * vectors. Row {@code i} of the index is row {@code i} of the segment. {@link #close} must not run
 * concurrently with a search.
 */
public interface SegmentIndex extends AutoCloseable {
  IndexMethod method();

  /** The metric the index was built for; it answers no other. */
  IndexMetric metric();

  /** Rows indexed. */
  int size();

  /** Bytes this index holds on the heap (not counting what it reads from mapped files). */
  long heapBytes();

  @Override
  void close() throws IOException;
}
