package org.quiver.engine.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/**
 * INSERT: checks the rows, then writes them as one message at the task's timestamp. The task
 * returns once the message is durable in the log: that is the acknowledgement.
 */
final class InsertTask extends Task<Integer> {
  private final Components c;
  private final String name;
  private final ColumnBatch rows;
  private CollectionInfo info;

  InsertTask(Components c, String name, ColumnBatch rows) {
    this.c = c;
    this.name = name;
    this.rows = rows;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.MANIPULATION;
  }

  @Override
  void preExecute() {
    info = c.collection(name);
    if (!rows.schema().equals(info.schema())) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "rows do not match the columns of table \"%s\"", name);
    }
    List<FieldSchema> fields = info.schema().fields();
    for (int col = 0; col < fields.size(); col++) {
      FieldSchema f = fields.get(col);
      if (f.isVector() || f.nullable()) {
        continue;
      }
      Object[] values = rows.scalars(col);
      for (int r = 0; r < values.length; r++) {
        if (values[r] == null) {
          throw QuiverException.of(ErrorCode.NOT_NULL_VIOLATION,
              "null value in column \"%s\" of table \"%s\" violates not-null constraint (row %d)",
              f.name(), name, r + 1);
        }
      }
    }
    PrimaryKeyIndex live = c.primaryKeys(info);
    Set<Object> seen = new HashSet<>();
    for (Object key : rows.scalars(info.schema().primaryKeyIndex())) {
      if (!seen.add(key) || live.contains(key)) {
        throw QuiverException.of(ErrorCode.UNIQUE_VIOLATION,
            "duplicate key value violates primary key of table \"%s\": %s = %s",
            name, info.schema().primaryKey().name(), key);
      }
    }
  }

  @Override
  Integer execute() {
    if (rows.rowCount() == 0) {
      return 0;
    }
    c.stream(info).produce(List.of(new DmlMessage.Insert(info.id(), timestamp(), rows)));
    PrimaryKeyIndex live = c.primaryKeys(info);
    for (Object key : rows.scalars(info.schema().primaryKeyIndex())) {
      live.add(key);
    }
    return rows.rowCount();
  }

  @Override
  void postExecute() {
    c.dataNode.wake();
  }
}
