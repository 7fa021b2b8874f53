package org.quiver.engine.querynode;

import java.util.List;
import org.quiver.engine.expr.Expr;

/**
 * A scan: the rows that pass {@code filter} (null: all), projected to {@code outputFields}, in
 * {@code partitions} (null: every partition).
 */
public record QueryRequest(String collection, Expr filter, List<String> outputFields, long limit,
    List<String> partitions) {
  public QueryRequest {
    outputFields = List.copyOf(outputFields);
    partitions = partitions == null ? null : List.copyOf(partitions);
  }

  public QueryRequest(String collection, Expr filter, List<String> outputFields, long limit) {
    this(collection, filter, outputFields, limit, null);
  }
}
