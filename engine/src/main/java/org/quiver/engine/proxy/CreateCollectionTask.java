package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.Tso;
import org.quiver.storage.schema.CollectionSchema;

/**
 * CREATE TABLE: creates the collection's DML channels (one per shard; rows go to the channel of the
 * hash of their primary key), records the collection, and loads it.
 */
final class CreateCollectionTask extends Task<Boolean> {
  /** Most DML channels a table may have (Milvus's default limit is 16; one process needs fewer). */
  static final int MAX_SHARDS = 64;

  private final Components c;
  private final String name;
  private final CollectionSchema schema;
  private final boolean ifNotExists;
  private final int shards;
  private final ConsistencyLevel consistency;

  CreateCollectionTask(Components c, String name, CollectionSchema schema, boolean ifNotExists,
      int shards, ConsistencyLevel consistency) {
    this(c, name, schema, ifNotExists, shards, consistency, false);
  }

  /**
   * The staging table of a replace of {@code table} ({@link ReplaceCollectionTask}), under a
   * hidden name from {@link MetaTable#stagingName}, which no user may give a table.
   */
  static CreateCollectionTask staging(Components c, String table, CollectionSchema schema,
      int shards, ConsistencyLevel consistency) {
    Names.checkTableOrAlias("table", table);
    return new CreateCollectionTask(c, MetaTable.stagingName(table, c.ids.next()), schema, false,
        shards, consistency, true);
  }

  private CreateCollectionTask(Components c, String name, CollectionSchema schema,
      boolean ifNotExists, int shards, ConsistencyLevel consistency, boolean staging) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "shards must be in [1, %d], got %d", MAX_SHARDS, shards);
    }
    if (!staging) {
      Names.checkTableOrAlias("table", name);
    }
    schema.fields().forEach(f -> Names.checkColumn(f.name()));
    this.shards = shards;
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

  /** The name the table is created under. */
  String name() {
    return name;
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
    PurgeDroppedTask.purge(c, Tso.physicalMillis(timestamp()));
    long id = c.ids.next();
    List<String> channels = new ArrayList<>(shards);
    for (int shard = 0; shard < shards; shard++) {
      channels.add("dml_" + id + "_" + shard);
    }
    CollectionInfo info = new CollectionInfo(id, name, schema, channels, timestamp(), true,
        consistency);
    // Ordered steps under a journaled plan: a crash before the catalog record is undone at start
    // (channels destroyed), a crash after it is finished (the table is watched and loaded then).
    DdlJournal.Plan plan = new DdlJournal.Plan(DdlJournal.Kind.CREATE_TABLE, info, info.createTs());
    DdlJournal.step("create", 1);
    c.meta.journal().begin(plan);
    DdlJournal.step("create", 2);
    channels.forEach(c.mq::createChannel);
    DdlJournal.step("create", 3);
    c.meta.saveCollection(info);
    DdlJournal.step("create", 4);
    c.dataNode.watch(info);
    c.queryNode.load(info);
    DdlJournal.step("create", 5);
    c.meta.journal().end(plan);
    return true;
  }
}
