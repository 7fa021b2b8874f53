package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.msgstream.DmlMessage;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.ColumnBatches;

/**
 * UPSERT: a delete of the keys that are live and an insert of the new rows, both at the task's one
 * timestamp and written as one message pack, so that no read sees the key missing or twice.
 *
 * <p>MVCC makes the pair exact: a delete at {@code t} hides rows inserted before {@code t}, never
 * the row inserted at {@code t}. When the same key appears more than once in one request, the last
 * row wins, as if the rows were upserted one after the other.
 */
final class UpsertTask extends Task<Integer> {
  private final Components c;
  private final String name;
  private ColumnBatch given;
  private CollectionInfo info;
  private ColumnBatch rows;
  private Object[] replaced;

  private final String partition;

  UpsertTask(Components c, String name, ColumnBatch rows, String partition) {
    this.partition = partition == null ? PartitionInfo.DEFAULT : partition;
    this.c = c;
    this.name = name;
    this.given = rows;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.MANIPULATION;
  }

  @Override
  void preExecute() {
    info = c.collection(name);
    if (info.schema().hasHiddenKey()) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "UPSERT matches rows by primary key, and table \"%s\" was declared without one; "
              + "use INSERT, or declare a PRIMARY KEY", name);
    }
    RowChecks.checkPartition(c.meta, info, partition);
    RowChecks.check(info, given);
    given = RowChecks.assignKeys(c, info, given);
    Object[] keys = given.primaryKeys();
    Map<Object, Integer> lastRow = new LinkedHashMap<>();
    for (int r = 0; r < keys.length; r++) {
      lastRow.remove(keys[r]);
      lastRow.put(keys[r], r);
    }
    int[] kept = lastRow.values().stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(kept);
    rows = kept.length == keys.length ? given : ColumnBatches.select(given, kept);
    replaced = c.primaryKeys(info).live(lastRow.keySet()).toArray();
  }

  @Override
  Integer execute() {
    if (rows.rowCount() == 0) {
      return 0;
    }
    List<DmlMessage> pack = new ArrayList<>(2);
    if (replaced.length > 0) {
      pack.add(new DmlMessage.Delete(info.id(), timestamp(), replaced));
    }
    pack.add(new DmlMessage.Insert(info.id(), timestamp(), rows, partition));
    c.stream(info).produce(pack);
    PrimaryKeyIndex live = c.primaryKeys(info);
    for (Object key : replaced) {
      live.deleted(key, timestamp());
    }
    for (Object key : rows.primaryKeys()) {
      live.inserted(key, timestamp());
    }
    return given.rowCount();
  }

  @Override
  void postExecute() {
    c.primaryKeys(info).trim();
    c.dataNode.wake();
  }
}
