package org.quiver.engine.segment;

import java.util.ArrayList;
import java.util.List;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/** Concatenation of column batches of one schema. */
public final class ColumnBatches {
  private ColumnBatches() {}

  public static ColumnBatch concat(CollectionSchema schema, List<ColumnBatch> parts) {
    int rows = parts.stream().mapToInt(ColumnBatch::rowCount).sum();
    List<Object> columns = new ArrayList<>(schema.size());
    for (int c = 0; c < schema.size(); c++) {
      FieldSchema field = schema.fields().get(c);
      if (field.isVector()) {
        float[] all = new float[rows * field.dimension()];
        int at = 0;
        for (ColumnBatch part : parts) {
          float[] v = part.vectors(c);
          System.arraycopy(v, 0, all, at, v.length);
          at += v.length;
        }
        columns.add(all);
      } else {
        Object[] all = new Object[rows];
        int at = 0;
        for (ColumnBatch part : parts) {
          Object[] v = part.scalars(c);
          System.arraycopy(v, 0, all, at, v.length);
          at += v.length;
        }
        columns.add(all);
      }
    }
    return new ColumnBatch(schema, rows, columns);
  }
}
