package org.quiver.engine.querynode;

import java.util.List;
import org.quiver.engine.expr.Expr;

/** A scan: the rows that pass {@code filter} (null: all), projected to {@code outputFields}. */
public record QueryRequest(String collection, Expr filter, List<String> outputFields, long limit) {
  public QueryRequest {
    outputFields = List.copyOf(outputFields);
  }
}
