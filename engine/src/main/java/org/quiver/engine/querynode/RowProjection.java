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
import org.quiver.storage.schema.ColumnBatch;
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
  /** The row sets' columns the runs pick from, one per run. */
  private final List<ColumnBatch> runSources = new ArrayList<>();
  /** Where each run's rows come from ({@link ResultRows#sources}), one per run. */
  private final List<Long> runOrigins = new ArrayList<>();
  /** The row numbers of each run, in pick order; the last one grows. */
  private final List<int[]> runRows = new ArrayList<>();
  private int lastRunSize;
  private int size;

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
    ColumnBatch rows = rs.rows();
    int last = runSources.size() - 1;
    if (last < 0 || runSources.get(last) != rows) {
      finishRun();
      runSources.add(rows);
      runOrigins.add(rs.segmentId() == RowSet.GROWING ? ResultRows.GROWING : rs.segmentId());
      runRows.add(new int[8]);
      last++;
    }
    int[] run = runRows.get(last);
    if (lastRunSize == run.length) {
      run = Arrays.copyOf(run, run.length * 2);
      runRows.set(last, run);
    }
    run[lastRunSize++] = row;
    size++;
  }

  /** The rows picked so far. */
  int size() {
    return size;
  }

  /**
   * The picked rows' output columns, with {@code distances} (null, or one per row) and where each
   * row comes from.
   */
  ResultRows result(double[] distances) {
    finishRun();
    long[] sources = new long[size];
    for (int r = 0, at = 0; r < runSources.size(); r++) {
      int n = runRows.get(r).length;
      Arrays.fill(sources, at, at + n, runOrigins.get(r));
      at += n;
    }
    List<Column> columns = new ArrayList<>(outputs.length);
    for (int i = 0; i < outputs.length; i++) {
      List<Column> parts = new ArrayList<>(runSources.size());
      for (int r = 0; r < runSources.size(); r++) {
        parts.add(runSources.get(r).column(outputs[i]).select(runRows.get(r)));
      }
      columns.add(parts.size() == 1 ? parts.get(0)
          : ColumnBuilder.concat(outputFields[i], parts));
    }
    return new ResultRows(fields, columns, size, distances, sources);
  }

  private void finishRun() {
    int last = runRows.size() - 1;
    if (last >= 0 && runRows.get(last).length != lastRunSize) {
      runRows.set(last, Arrays.copyOf(runRows.get(last), lastRunSize));
    }
    lastRunSize = 0;
  }
}
