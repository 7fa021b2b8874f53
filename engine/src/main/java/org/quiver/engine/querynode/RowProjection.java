package org.quiver.engine.querynode;

import java.util.Arrays;
import java.util.List;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;

/**
 * Projects a row of a row set onto a read's output columns, the values every read path returns.
 * Stateless; call {@link #project} with the collection's read lock held (or the row set's mapping
 * pinned), since a sealed segment's vectors are read from its mapping.
 */
final class RowProjection {
  private RowProjection() {}

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

  static Object[] project(ColumnBatch rows, int row, int[] outputs) {
    Object[] values = new Object[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      int c = outputs[i];
      FieldSchema field = rows.schema().fields().get(c);
      if (field.isVector()) {
        int dim = field.dimension();
        VectorColumn mapped = rows.mapped(c);
        float[] vector = mapped != null ? mapped.row(row)
            : Arrays.copyOfRange(rows.vectors(c), row * dim, (row + 1) * dim);
        values[i] = NullVectors.isNull(vector, 0, dim) ? null : vector;
      } else {
        values[i] = rows.value(c, row);
      }
    }
    return values;
  }
}
