package org.quiver.engine.api.request;

import java.util.List;

/**
 * Exact k-NN of many query vectors in one pass: {@code template} gives everything but the query
 * vector, which each of {@code queries} takes in turn.
 */
public record BatchSearchRequest(SearchRequest template, List<float[]> queries) {}
