package org.quiver.engine.querynode;

import java.util.List;
import org.quiver.engine.expr.Expr;

/**
 * A k-nearest-neighbour search: the {@code k} rows nearest to {@code query} by {@code metric}
 * among those that pass {@code filter} (null: all rows), skipping the first {@code offset}.
 */
public record SearchRequest(
    String collection,
    String vectorField,
    float[] query,
    Metric metric,
    int k,
    int offset,
    Expr filter,
    List<String> outputFields) {

  public SearchRequest {
    outputFields = List.copyOf(outputFields);
  }
}
