package org.quiver.engine.proxy;

import java.util.List;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.ConsistencyLevel;
import org.quiver.storage.schema.CollectionSchema;

/** CREATE TABLE: records the collection, creates its DML channel, and loads it. */
final class CreateCollectionTask extends Task<Boolean> {
  private final Components c;
  private final String name;
  private final CollectionSchema schema;
  private final boolean ifNotExists;
  private final ConsistencyLevel consistency;

  CreateCollectionTask(Components c, String name, CollectionSchema schema, boolean ifNotExists,
      ConsistencyLevel consistency) {
    this.c = c;
    this.name = name;
    this.schema = schema;
    this.ifNotExists = ifNotExists;
    this.consistency = consistency;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  /** Returns false when the table existed and IF NOT EXISTS was given. */
  @Override
  Boolean execute() {
    if (c.meta.collection(name).isPresent()) {
      if (ifNotExists) {
        return false;
      }
      throw QuiverException.of(ErrorCode.DUPLICATE_TABLE, "table \"%s\" already exists", name);
    }
    if (c.meta.alias(name).isPresent()) {
      throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT,
          "\"%s\" is an alias; a table cannot take its name", name);
    }
    long id = c.ids.next();
    String channel = "dml_" + id + "_0";
    c.mq.createChannel(channel);
    CollectionInfo info = new CollectionInfo(id, name, schema, List.of(channel), timestamp(), true,
        consistency);
    c.meta.saveCollection(info);
    c.dataNode.watch(info);
    c.queryNode.load(info);
    return true;
  }
}
