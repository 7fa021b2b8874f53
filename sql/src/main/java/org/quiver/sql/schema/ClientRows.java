package org.quiver.sql.schema;

import java.util.ArrayList;
import java.util.List;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/**
 * The one way rows of client values become the engine's column batches, for INSERT ... VALUES,
 * JDBC batches, COPY and Arrow ingest: each value is converted and checked by
 * {@link SqlTypes#toEngine} (the SQLSTATEs and messages of every door) and appended to the typed
 * column of its field.
 *
 * <p>A client row holds the values of some columns in its own order; {@code sourceOf} says where
 * each table column's value is, a table column the row lacks (and the hidden row id) being NULL.
 * NOT NULL is not checked here: the engine checks it for every write before the log, and assigns
 * the keys it owns. Not thread-safe.
 */
public final class ClientRows {
  private final CollectionSchema schema;
  /** Per table column, the index of its value in a client row, or -1 for NULL. */
  private final int[] sourceOf;
  private final int expectedRows;
  private List<ColumnBuilder> columns;
  private int rowCount;

  private ClientRows(CollectionSchema schema, int[] sourceOf, int expectedRows) {
    if (sourceOf.length != schema.size()) {
      throw new IllegalArgumentException(
          sourceOf.length + " sources for the " + schema.size() + " columns of " + schema);
    }
    this.schema = schema;
    this.sourceOf = sourceOf.clone();
    this.expectedRows = expectedRows;
    this.columns = newColumns();
  }

  /** Rows that hold every SQL column in table order (the hidden row id's place unused). */
  public static ClientRows inTableOrder(CollectionSchema schema, int expectedRows) {
    int[] sourceOf = new int[schema.size()];
    for (int c = 0; c < sourceOf.length; c++) {
      sourceOf[c] = schema.fields().get(c).hidden() ? -1 : c;
    }
    return new ClientRows(schema, sourceOf, expectedRows);
  }

  /** Rows whose value {@code i} is for the table column named {@code names.get(i)}. */
  public static ClientRows named(CollectionSchema schema, List<String> names, int expectedRows) {
    int[] sourceOf = new int[schema.size()];
    for (int c = 0; c < sourceOf.length; c++) {
      FieldSchema f = schema.fields().get(c);
      sourceOf[c] = f.hidden() ? -1 : names.indexOf(f.name());
    }
    return new ClientRows(schema, sourceOf, expectedRows);
  }

  /** The rows in {@code rows} as one batch, in table order; {@code rows} are numbered from 1. */
  public static ColumnBatch batchInTableOrder(CollectionSchema schema, List<Object[]> rows) {
    ClientRows batch = inTableOrder(schema, rows.size());
    for (Object[] row : rows) {
      batch.add(row);
    }
    return batch.drain();
  }

  /**
   * The engine value of table column {@code column} from a client row, converted and checked;
   * fails with the data exception of {@link SqlTypes#toEngine}, naming {@code rowNumber}.
   */
  public Object convert(int column, Object[] clientRow, int rowNumber) {
    int source = sourceOf[column];
    return source < 0 ? null
        : SqlTypes.toEngine(schema.fields().get(column), clientRow[source], rowNumber);
  }

  /**
   * Converts every value of a client row, as {@link #convert} does, and appends the row; a value
   * that fails leaves the batch without the row. Rows are numbered from 1 since the last drain.
   */
  public void add(Object[] clientRow) {
    Object[] row = new Object[schema.size()];
    for (int c = 0; c < row.length; c++) {
      row[c] = convert(c, clientRow, rowCount + 1);
    }
    addConverted(row);
  }

  /** Appends a row of engine values in table order, each as {@link #convert} returned it. */
  public void addConverted(Object[] row) {
    for (int c = 0; c < row.length; c++) {
      columns.get(c).append(row[c]);
    }
    rowCount++;
  }

  /** The number of rows added since the last drain. */
  public int rowCount() {
    return rowCount;
  }

  /** The rows added since the last drain, as a batch; the next row starts a new one. */
  public ColumnBatch drain() {
    List<Column> built = columns.stream().map(ColumnBuilder::build).toList();
    ColumnBatch batch = new ColumnBatch(schema, rowCount, built);
    columns = newColumns();
    rowCount = 0;
    return batch;
  }

  private List<ColumnBuilder> newColumns() {
    List<ColumnBuilder> out = new ArrayList<>(schema.size());
    for (FieldSchema f : schema.fields()) {
      out.add(ColumnBuilder.deferringNotNull(f, expectedRows));
    }
    return out;
  }
}
