package org.quiver.storage.schema;

import java.util.List;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.FloatVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.vector.VectorColumn;

/**
 * Rows of one collection held column by column: the unit that log messages and segment files carry.
 *
 * <p>Column {@code i} is the typed {@link Column} of field {@code i}: primitive values and a NULL
 * bitmap for a scalar field; for a vector field a {@link FloatVectorColumn}, on the heap or, for
 * the rows of a sealed segment held for search, read in place from the mapped data file. A NOT
 * NULL column may hold NULL here: the engine checks NOT NULL (and assigns keys) before the log.
 */
public record ColumnBatch(CollectionSchema schema, int rowCount, List<Column> columns) {

  public ColumnBatch {
    columns = List.copyOf(columns);
    if (columns.size() != schema.size()) {
      throw new IllegalArgumentException(
          "batch has " + columns.size() + " columns, schema has " + schema.size());
    }
    for (int i = 0; i < columns.size(); i++) {
      FieldSchema f = schema.fields().get(i);
      Column c = columns.get(i);
      if (c.type() != f.type()) {
        throw new IllegalArgumentException(
            "column " + f.name() + " holds " + c.type() + " values, expected " + f.type());
      }
      if (c.size() != rowCount) {
        throw new IllegalArgumentException(
            "column " + f.name() + " holds " + c.size() + " rows, expected " + rowCount);
      }
      if (f.isVector() && ((FloatVectorColumn) c).dimension() != f.dimension()) {
        throw new IllegalArgumentException("column " + f.name() + " holds vectors of "
            + ((FloatVectorColumn) c).dimension() + " floats, expected " + f.dimension());
      }
      if (c instanceof SparseVectorColumn s && s.dimension() != f.dimension()) {
        throw new IllegalArgumentException("column " + f.name() + " holds sparse vectors of "
            + s.dimension() + " dimensions, expected " + f.dimension());
      }
      if (c instanceof BinaryVectorColumn b && b.bits() != f.dimension()) {
        throw new IllegalArgumentException("column " + f.name() + " holds bit strings of "
            + b.bits() + " bits, expected " + f.dimension());
      }
    }
  }

  public Column column(int column) {
    return columns.get(column);
  }

  /** This batch with column {@code column} replaced by {@code values}. */
  public ColumnBatch withColumn(int column, Column values) {
    List<Column> changed = new java.util.ArrayList<>(columns);
    changed.set(column, values);
    return new ColumnBatch(schema, rowCount, changed);
  }

  /** The value at {@code row} of {@code column}, boxed as {@link Column#get} boxes it. */
  public Object value(int column, int row) {
    return columns.get(column).get(row);
  }

  /**
   * The primary key of each row, boxed ({@link Long} or {@link String}): keys meet hash maps,
   * channels and delete records as objects.
   */
  public Object[] primaryKeys() {
    Column keys = columns.get(schema.primaryKeyIndex());
    Object[] out = new Object[rowCount];
    for (int r = 0; r < rowCount; r++) {
      out[r] = keys.get(r);
    }
    return out;
  }

  /** The column of a vector field; fails for a scalar one. */
  public FloatVectorColumn vectorColumn(int column) {
    if (!(columns.get(column) instanceof FloatVectorColumn v)) {
      throw new IllegalArgumentException(
          "column " + schema.fields().get(column).name() + " is not a vector column");
    }
    return v;
  }

  /**
   * A vector column's floats on the heap, row after row: the column's own array (not to be
   * changed), or a copy of a {@link #mapped} one.
   */
  public float[] vectors(int column) {
    return vectorColumn(column).flat();
  }

  /** A vector column read in place from a mapped file, or null if it is on the heap. */
  public VectorColumn mapped(int column) {
    return vectorColumn(column).mapped();
  }
}
