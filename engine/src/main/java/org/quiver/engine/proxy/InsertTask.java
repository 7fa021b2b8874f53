package org.quiver.engine.proxy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.storage.schema.ColumnBatch;

/**
 * INSERT: checks the rows, then writes them as one message at the task's timestamp. The task
 * returns once the message is durable in the log: that is the acknowledgement.
 */
final class InsertTask extends Task<Integer> {
  private final Components c;
  private final String name;
  private ColumnBatch rows;
  private CollectionInfo info;
  /** The rows' primary keys, boxed once in {@link #preExecute} for the checks and the index. */
  private Object[] keys;

  private final String partition;

  InsertTask(Components c, String name, ColumnBatch rows, String partition) {
    this.partition = partition == null ? PartitionInfo.DEFAULT : partition;
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
    RowChecks.checkPartition(c.meta, info, partition);
    RowChecks.check(info, rows);
    rows = RowChecks.assignKeys(c, info, rows);
    keys = rows.primaryKeys();
    Set<Object> seen = new HashSet<>();
    for (Object key : keys) {
      if (!seen.add(key)) {
        throw duplicate(key);
      }
    }
    Set<Object> existing = c.primaryKeys(info).live(Arrays.asList(keys));
    if (!existing.isEmpty()) {
      throw duplicate(existing.iterator().next());
    }
  }

  private QuiverException duplicate(Object key) {
    return QuiverException.of(ErrorCode.UNIQUE_VIOLATION,
        "duplicate key value violates primary key of table \"%s\": %s = %s",
        name, info.schema().primaryKey().name(), key);
  }

  @Override
  Integer execute() {
    if (rows.rowCount() == 0) {
      return 0;
    }
    c.stream(info).produce(List.of(new DmlMessage.Insert(info.id(), timestamp(), rows, partition)));
    PrimaryKeyIndex live = c.primaryKeys(info);
    for (Object key : keys) {
      live.inserted(key, timestamp());
    }
    return rows.rowCount();
  }

  @Override
  void postExecute() {
    c.primaryKeys(info).trim();
    c.dataNode.wake();
  }
}
