package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.msgstream.DmlMessage;

/**
 * DELETE by primary keys: writes one delete message at the task's timestamp for the keys that are
 * live, and returns how many rows it deleted.
 */
final class DeleteTask extends Task<Integer> {
  private final Components c;
  private final String name;
  private final List<Object> keys;
  private CollectionInfo info;
  private List<Object> liveKeys;

  DeleteTask(Components c, String name, List<Object> keys) {
    this.c = c;
    this.name = name;
    this.keys = keys;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.MANIPULATION;
  }

  @Override
  void preExecute() {
    info = c.collection(name);
    liveKeys = new ArrayList<>(c.primaryKeys(info).live(new LinkedHashSet<>(keys)));
  }

  @Override
  Integer execute() {
    if (liveKeys.isEmpty()) {
      return 0;
    }
    Object[] deleted = liveKeys.toArray();
    c.stream(info).produce(List.of(new DmlMessage.Delete(info.id(), timestamp(), deleted)));
    PrimaryKeyIndex live = c.primaryKeys(info);
    liveKeys.forEach(k -> live.deleted(k, timestamp()));
    return deleted.length;
  }

  @Override
  void postExecute() {
    c.primaryKeys(info).trim();
    c.dataNode.wake();
  }
}
