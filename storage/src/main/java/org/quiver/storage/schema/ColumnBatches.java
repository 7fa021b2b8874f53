package org.quiver.storage.schema;

import java.util.ArrayList;
import java.util.List;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;

/** Concatenation and selection of column batches of one schema. */
public final class ColumnBatches {
  private ColumnBatches() {}

  public static ColumnBatch concat(CollectionSchema schema, List<ColumnBatch> parts) {
    int rows = parts.stream().mapToInt(ColumnBatch::rowCount).sum();
    List<Column> columns = new ArrayList<>(schema.size());
    for (int c = 0; c < schema.size(); c++) {
      int column = c;
      columns.add(ColumnBuilder.concat(
          schema.fields().get(c), parts.stream().map(p -> p.column(column)).toList()));
    }
    return new ColumnBatch(schema, rows, columns);
  }

  /** The rows of a batch at {@code rows}, as a new heap batch. */
  public static ColumnBatch select(ColumnBatch batch, int[] rows) {
    return new ColumnBatch(batch.schema(), rows.length,
        batch.columns().stream().map(c -> c.select(rows)).toList());
  }
}
