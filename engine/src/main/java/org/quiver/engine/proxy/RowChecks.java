package org.quiver.engine.proxy;

import java.util.List;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.NullVectors;

/**
 * The checks every write of rows makes before anything reaches the log: partition, columns and NOT
 * NULL.
 */
final class RowChecks {
  private RowChecks() {}

  /** Fails with 42704 unless the rows' partition exists. */
  static void checkPartition(MetaTable meta, CollectionInfo info, String partition) {
    if (!meta.hasPartition(info.id(), partition)) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "partition \"%s\" does not exist in table \"%s\"", partition, info.name());
    }
  }

  /**
   * Gives every row without a key a fresh one when the table's key is assigned (auto_id, serial,
   * or the hidden row id): ids from the root coordinator's allocator, ascending in row order and
   * never reused, also across restarts.
   */
  static void assignKeys(Components c, CollectionInfo info, ColumnBatch rows) {
    FieldSchema key = info.schema().primaryKey();
    if (!key.autoId()) {
      return;
    }
    Object[] keys = rows.scalars(info.schema().primaryKeyIndex());
    int missing = 0;
    for (Object k : keys) {
      if (k == null) {
        missing++;
      }
    }
    if (missing == 0) {
      return;
    }
    long next = c.ids.allocate(missing);
    for (int r = 0; r < keys.length; r++) {
      if (keys[r] == null) {
        keys[r] = next++;
      }
    }
  }

  static void check(CollectionInfo info, ColumnBatch rows) {
    if (!rows.schema().equals(info.schema())) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "rows do not match the columns of table \"%s\"", info.name());
    }
    List<FieldSchema> fields = info.schema().fields();
    for (int col = 0; col < fields.size(); col++) {
      FieldSchema f = fields.get(col);
      if (f.nullable() || f.autoId()) {
        continue;
      }
      Object[] values = f.isVector() ? null : rows.scalars(col);
      float[] vectors = f.isVector() ? rows.vectors(col) : null;
      for (int r = 0; r < rows.rowCount(); r++) {
        if (values != null ? values[r] == null : NullVectors.isNull(vectors, r, f.dimension())) {
          throw QuiverException.of(ErrorCode.NOT_NULL_VIOLATION,
              "null value in column \"%s\" of table \"%s\" violates not-null constraint (row %d)",
              f.name(), info.name(), r + 1);
        }
      }
    }
  }
}
