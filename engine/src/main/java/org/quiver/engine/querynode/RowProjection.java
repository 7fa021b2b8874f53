package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.FieldSchema;

/**
 * The columns every read path returns: rows picked from row sets, in the order picked, projected
 * onto a read's output columns. Picks are kept as runs of row numbers per row set, and each run
 * becomes a typed selection of each output column ({@link Column#select}), so no value is boxed
 * on the way to a {@link ResultRows}. Call {@link #add} with the collection's read lock held (or
 * the row sets' mappings pinned) until {@link #result}, since a sealed segment's vectors are read
 * from its mapping. Not thread-safe.
 */
final class RowProjection {
  private final List<String> fields;
  private final FieldSchema[] outputFields;
  private final int[] outputs;
  /** The rows picked, as runs per row set. */
  private final RowRuns<RowSet> picks = new RowRuns<>();

  /** A projection of {@code schema}'s columns at {@code outputs}, named {@code fields}. */
  RowProjection(CollectionSchema schema, List<String> fields, int[] outputs) {
    this.fields = fields;
    this.outputs = outputs;
    this.outputFields = new FieldSchema[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      outputFields[i] = schema.fields().get(outputs[i]);
    }
  }

  /** The column positions of {@code fields}; 42703 naming the first that does not exist. */
  static int[] outputIndexes(CollectionInfo info, List<String> fields) {
    int[] indexes = new int[fields.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = info.schema().indexOf(fields.get(i));
      if (indexes[i] < 0) {
        throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
            "column \"%s\" does not exist in table \"%s\"", fields.get(i), info.name());
      }
    }
    return indexes;
  }

  /** Picks row {@code row} of {@code rs}. */
  void add(RowSet rs, int row) {
    picks.add(rs, row);
  }

  /** The rows picked so far. */
  int size() {
    return picks.size();
  }

  /**
   * The picked rows' output columns, with {@code distances} (null, or one per row) and where each
   * row comes from.
   */
  ResultRows result(double[] distances) {
    int runs = picks.runs();
    long[] sources = new long[picks.size()];
    for (int r = 0, at = 0; r < runs; r++) {
      long segment = picks.source(r).segmentId();
      int n = picks.rows(r).length;
      Arrays.fill(sources, at, at + n, segment == RowSet.GROWING ? ResultRows.GROWING : segment);
      at += n;
    }
    List<Column> columns = new ArrayList<>(outputs.length);
    for (int i = 0; i < outputs.length; i++) {
      List<Column> parts = new ArrayList<>(runs);
      for (int r = 0; r < runs; r++) {
        parts.add(picks.source(r).rows().column(outputs[i]).select(picks.rows(r)));
      }
      columns.add(parts.size() == 1 ? parts.get(0)
          : ColumnBuilder.concat(outputFields[i], parts));
    }
    return new ResultRows(fields, columns, picks.size(), distances, sources);
  }
}
