package org.quiver.engine.api.request;

import java.util.List;

/**
 * Exact k-NN of many queries at once: {@code template} gives everything but the query, which
 * each of {@code queries} takes in turn. Float vectors are compared in one pass over the table;
 * bit strings and sparse vectors one query at a time, all at the batch's timestamp.
 */
public record BatchSearchRequest(SearchRequest template, List<SearchVector> queries) {
  public BatchSearchRequest {
    queries = List.copyOf(queries);
  }
}
