package org.quiver.engine.querynode;

import java.util.List;
import org.quiver.engine.expr.Expr;

/**
 * A scan: the rows that pass {@code filter} (null: all), projected to {@code outputFields}. With
 * {@code keys} (null: none), a key lookup instead: only the rows with these primary keys, found
 * without reading the others, then filtered.
 */
public record QueryRequest(String collection, Expr filter, List<String> outputFields, long limit,
    List<Object> keys) {
  public QueryRequest {
    outputFields = List.copyOf(outputFields);
    keys = keys == null ? null : List.copyOf(keys);
  }

  public QueryRequest(String collection, Expr filter, List<String> outputFields, long limit) {
    this(collection, filter, outputFields, limit, null);
  }
}
