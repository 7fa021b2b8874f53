package org.quiver.engine.api.request;

import java.util.List;
import org.quiver.engine.api.Expr;

/**
 * A scan: the rows that pass {@code filter} (null: all), projected to {@code outputFields}, in
 * {@code partitions} (null: every partition). With {@code keys} (null: none), a key lookup instead:
 * only the rows with these primary keys, found without reading the others, then filtered.
 */
public record QueryRequest(String collection, Expr filter, List<String> outputFields, long limit,
    List<Object> keys, List<String> partitions) {
  public QueryRequest {
    outputFields = List.copyOf(outputFields);
    keys = keys == null ? null : List.copyOf(keys);
    partitions = partitions == null ? null : List.copyOf(partitions);
  }

  public QueryRequest(String collection, Expr filter, List<String> outputFields, long limit) {
    this(collection, filter, outputFields, limit, null, null);
  }
}
