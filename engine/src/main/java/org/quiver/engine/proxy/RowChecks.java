package org.quiver.engine.proxy;

import java.util.List;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

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
   * The rows with a fresh key in every row without one when the table's key is assigned (auto_id,
   * serial, or the hidden row id): ids from the root coordinator's allocator, ascending in row
   * order and never reused, also across restarts.
   */
  static ColumnBatch assignKeys(Components c, CollectionInfo info, ColumnBatch rows) {
    FieldSchema key = info.schema().primaryKey();
    int pk = info.schema().primaryKeyIndex();
    Column keys = rows.column(pk);
    if (!key.autoId() || !keys.hasNulls()) {
      return rows;
    }
    int missing = 0;
    for (int r = 0; r < rows.rowCount(); r++) {
      if (keys.isNull(r)) {
        missing++;
      }
    }
    long next = c.ids.allocate(missing);
    ColumnBuilder assigned = new ColumnBuilder(key, rows.rowCount());
    for (int r = 0; r < rows.rowCount(); r++) {
      assigned.append(keys.isNull(r) ? next++ : keys.get(r));
    }
    return rows.withColumn(pk, assigned.build());
  }

  static void check(CollectionInfo info, ColumnBatch rows) {
    if (!rows.schema().equals(info.schema())) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "rows do not match the columns of table \"%s\"", info.name());
    }
    List<FieldSchema> fields = info.schema().fields();
    for (int col = 0; col < fields.size(); col++) {
      FieldSchema f = fields.get(col);
      Column values = rows.column(col);
      if (f.nullable() || f.autoId() || !values.hasNulls()) {
        continue;
      }
      for (int r = 0; r < rows.rowCount(); r++) {
        if (values.isNull(r)) {
          throw QuiverException.of(ErrorCode.NOT_NULL_VIOLATION,
              "null value in column \"%s\" of table \"%s\" violates not-null constraint (row %d)",
              f.name(), info.name(), r + 1);
        }
      }
    }
  }
}
