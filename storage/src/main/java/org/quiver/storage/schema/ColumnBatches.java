package org.quiver.storage.schema;

import java.util.ArrayList;
import java.util.List;

/** Concatenation and selection of column batches of one schema. */
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

  /** The rows of a heap batch at {@code rows} (ascending indexes), as a new batch. */
  public static ColumnBatch select(ColumnBatch batch, int[] rows) {
    CollectionSchema schema = batch.schema();
    List<Object> columns = new ArrayList<>(schema.size());
    for (int c = 0; c < schema.size(); c++) {
      FieldSchema field = schema.fields().get(c);
      if (field.isVector()) {
        int dim = field.dimension();
        float[] from = batch.vectors(c);
        float[] to = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(from, rows[i] * dim, to, i * dim, dim);
        }
        columns.add(to);
      } else {
        Object[] from = batch.scalars(c);
        Object[] to = new Object[rows.length];
        for (int i = 0; i < rows.length; i++) {
          to[i] = from[rows[i]];
        }
        columns.add(to);
      }
    }
    return new ColumnBatch(schema, rows.length, columns);
  }
}
