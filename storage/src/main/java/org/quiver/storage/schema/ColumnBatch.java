package org.quiver.storage.schema;

import java.util.List;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.column.HeapVectorColumn;
import org.quiver.storage.column.MappedVectorColumn;
import org.quiver.storage.vector.VectorColumn;

/**
 * Rows of one collection held column by column: the unit that log messages and segment files carry.
 *
 * <p>For a scalar field, {@code columns.get(i)} is an {@code Object[]} of the boxed values named by
 * {@link DataType} (null where the value is NULL). For a vector field it is a flat {@code float[]}
 * of {@code rowCount * dimension} floats, row after row, or, for the rows of a sealed segment held
 * for search, a {@link VectorColumn} over the mapped data file.
 */
public record ColumnBatch(CollectionSchema schema, int rowCount, List<Object> columns) {

  public ColumnBatch {
    columns = List.copyOf(columns);
    if (columns.size() != schema.size()) {
      throw new IllegalArgumentException(
          "batch has " + columns.size() + " columns, schema has " + schema.size());
    }
    for (int i = 0; i < columns.size(); i++) {
      FieldSchema f = schema.fields().get(i);
      Object c = columns.get(i);
      int expected = f.isVector() ? rowCount * f.dimension() : rowCount;
      int actual = !f.isVector() ? ((Object[]) c).length
          : c instanceof VectorColumn v ? v.rowCount() * v.dimension() : ((float[]) c).length;
      if (actual != expected) {
        throw new IllegalArgumentException(
            "column " + f.name() + " holds " + actual + " values, expected " + expected);
      }
    }
  }

  /** The values of {@code column} as a typed column. */
  public Column column(int column) {
    FieldSchema f = schema.fields().get(column);
    Object c = columns.get(column);
    if (c instanceof VectorColumn v) {
      return new MappedVectorColumn(v);
    }
    if (f.isVector()) {
      return new HeapVectorColumn(f.dimension(), (float[]) c);
    }
    ColumnBuilder builder = new ColumnBuilder(f, rowCount);
    for (Object value : (Object[]) c) {
      builder.append(value);
    }
    return builder.build();
  }

  public Object[] scalars(int column) {
    return (Object[]) columns.get(column);
  }

  /** A vector column held on the heap; fails for a {@link #mapped} one. */
  public float[] vectors(int column) {
    return (float[]) columns.get(column);
  }

  /** A vector column read in place from a mapped file, or null if it is on the heap. */
  public VectorColumn mapped(int column) {
    return columns.get(column) instanceof VectorColumn v ? v : null;
  }
}
