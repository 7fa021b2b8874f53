package org.quiver.engine.api;

import java.util.ArrayList;
import java.util.List;
import org.quiver.storage.column.Column;

/**
 * Rows returned by a search, a query or one chunk of a scan, held column by column: one typed
 * {@link Column} per output field, in the request's order, each the layout of an Arrow vector of
 * the field's type (so that a record batch is a copy of buffers, not a walk over boxed values).
 * For a search, {@code distances[i]} belongs to row {@code i}, rows are nearest first and a row
 * whose vector is NULL has distance NaN; a query's or a scan's result has no distances.
 *
 * <p>Rows read by a query node may also say where each comes from ({@link #sources}): what a
 * merge of the parts of a table that several query nodes hold needs to put them in the order one
 * process would.
 *
 * <p>Immutable.
 */
public final class ResultRows {
  private final List<String> fields;
  private final List<Column> columns;
  private final int rowCount;
  /** The source of a growing row: after every sealed segment. */
  public static final long GROWING = Long.MAX_VALUE;

  private final double[] distances;
  private final long[] sources;

  /**
   * Rows of {@code fields} whose values are {@code columns}, one per field, all of
   * {@code rowCount} rows; {@code distances} is null or holds one distance per row.
   */
  public ResultRows(List<String> fields, List<Column> columns, int rowCount,
      double[] distances) {
    this(fields, columns, rowCount, distances, null);
  }

  /**
   * As the other constructor, with {@code sources}: null, or one per row, the id of the sealed
   * segment the row comes from or {@link #GROWING}.
   */
  public ResultRows(List<String> fields, List<Column> columns, int rowCount,
      double[] distances, long[] sources) {
    this.fields = List.copyOf(fields);
    this.columns = List.copyOf(columns);
    this.rowCount = rowCount;
    this.distances = distances;
    this.sources = sources;
    if (this.columns.size() != this.fields.size()) {
      throw new IllegalArgumentException(
          this.columns.size() + " columns for " + this.fields.size() + " fields");
    }
    for (int c = 0; c < this.columns.size(); c++) {
      if (this.columns.get(c).size() != rowCount) {
        throw new IllegalArgumentException("column " + this.fields.get(c) + " holds "
            + this.columns.get(c).size() + " rows, expected " + rowCount);
      }
    }
    if (distances != null && distances.length != rowCount) {
      throw new IllegalArgumentException(
          distances.length + " distances for " + rowCount + " rows");
    }
    if (sources != null && sources.length != rowCount) {
      throw new IllegalArgumentException(sources.length + " sources for " + rowCount + " rows");
    }
  }

  public List<String> fields() {
    return fields;
  }

  /** The values of each output field, in {@link #fields}'s order. */
  public List<Column> columns() {
    return columns;
  }

  public int rowCount() {
    return rowCount;
  }

  /** Each row's distance to the query (a search), or null (a query or a scan). */
  public double[] distances() {
    return distances;
  }

  /**
   * Where each row comes from, or null when not known: the id of the sealed segment it was read
   * from, or {@link #GROWING}. A query node reads sealed segments by id, then growing rows, so
   * that ties of a search and the rows of a query come in that order, and a merge of several
   * nodes' rows keeps it.
   */
  public long[] sources() {
    return sources;
  }

  /** The value of field {@code column} in {@code row}, boxed as {@link Column#get} boxes it. */
  public Object value(int column, int row) {
    return columns.get(column).get(row);
  }

  /** Row {@code row}'s values, boxed, one per field. */
  public Object[] row(int row) {
    Object[] values = new Object[columns.size()];
    for (int c = 0; c < values.length; c++) {
      values[c] = columns.get(c).get(row);
    }
    return values;
  }

  /** Every row boxed, for callers that take rows one by one as objects; copies each value. */
  public List<Object[]> rows() {
    List<Object[]> out = new ArrayList<>(rowCount);
    for (int r = 0; r < rowCount; r++) {
      out.add(row(r));
    }
    return out;
  }
}
