package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.quiver.engine.datanode.DataNode;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryRequest;
import org.quiver.engine.querynode.ResultRows;
import org.quiver.engine.querynode.SearchRequest;
import org.quiver.engine.rootcoord.AliasInfo;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.index.IndexNode;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.IndexInfo;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.SegmentInfo;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.ChannelStats;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The engine's front door: turns each request into a timestamped task on the definition,
 * manipulation or query queue and returns its result. Thread-safe.
 */
public final class Proxy {
  private final Components c;

  public Proxy(MetaTable meta, IdAllocator ids, MessageQueue mq, SegmentStore segments,
      DataNode dataNode, QueryNode queryNode, TaskScheduler scheduler, IndexCatalog indexes,
      IndexNode indexNode) {
    this.c = new Components(meta, ids, mq, segments, dataNode, queryNode, scheduler, indexes,
        indexNode);
  }

  /**
   * Declares a vector index on a table's vector column and queues its build on every sealed
   * segment; returns false if it existed and {@code ifNotExists} was set.
   */
  public boolean createIndex(String table, String name, String field, IndexMethod method,
      IndexMetric metric, int m, int efConstruction, boolean ifNotExists) {
    return c.scheduler.run(new CreateIndexTask(c, table, name, field, method, metric, m,
        efConstruction, ifNotExists));
  }

  /** Drops an index; returns false if it did not exist and {@code ifExists} was set. */
  public boolean dropIndex(String name, boolean ifExists) {
    return c.scheduler.run(new DropIndexTask(c, name, ifExists));
  }

  /** The indexes of a table, by name. */
  public List<IndexInfo> indexes(String table) {
    return c.indexes.of(c.collection(table).id());
  }

  /** How far the builds of an index have come. */
  public IndexNode.Progress indexProgress(IndexInfo index) {
    return c.indexNode.progress(index);
  }

  /** Creates a table; returns false if it existed and {@code ifNotExists} was set. */
  public boolean createCollection(String name, CollectionSchema schema, boolean ifNotExists) {
    return createCollection(name, schema, ifNotExists, 1);
  }

  /**
   * Creates a table with {@code shards} DML channels; returns false if it existed and {@code
   * ifNotExists} was set.
   */
  public boolean createCollection(String name, CollectionSchema schema, boolean ifNotExists,
      int shards) {
    return c.scheduler.run(new CreateCollectionTask(c, name, schema, ifNotExists, shards));
  }

  /** Drops a table with its data; returns false if it did not exist and {@code ifExists} was set. */
  public boolean dropCollection(String name, boolean ifExists) {
    return c.scheduler.run(new DropCollectionTask(c, name, ifExists));
  }

  public void load(String name) {
    c.scheduler.run(new LoadCollectionTask(c, name, true));
  }

  public void release(String name) {
    c.scheduler.run(new LoadCollectionTask(c, name, false));
  }

  /** Inserts rows at one timestamp, durably; returns the number of rows. */
  public int insert(String name, ColumnBatch rows) {
    return insert(name, rows, null);
  }

  /** Inserts rows into a partition ({@code null}: {@code _default}). */
  public int insert(String name, ColumnBatch rows, String partition) {
    return c.scheduler.run(new InsertTask(c, name, rows, partition));
  }

  /**
   * Inserts rows, replacing the live rows of the same primary keys, at one timestamp, durably;
   * returns the number of rows given.
   */
  public int upsert(String name, ColumnBatch rows) {
    return upsert(name, rows, null);
  }

  /**
   * Upserts rows into a partition ({@code null}: {@code _default}); the rows they replace may be
   * in any partition.
   */
  public int upsert(String name, ColumnBatch rows, String partition) {
    return c.scheduler.run(new UpsertTask(c, name, rows, partition));
  }

  /** Creates a partition of a table. */
  public void createPartition(String table, String partition) {
    c.scheduler.run(new PartitionTask(c, table, partition, true));
  }

  /** Drops a partition of a table with its rows. */
  public void dropPartition(String table, String partition) {
    c.scheduler.run(new PartitionTask(c, table, partition, false));
  }

  /** The partitions of a table: {@code _default} first, then the others by name. */
  public List<String> partitions(String table) {
    return c.meta.partitions(c.collection(table).id());
  }

  /** Deletes the rows with these primary keys; returns how many existed. */
  public int delete(String name, List<Object> primaryKeys) {
    return c.scheduler.run(new DeleteTask(c, name, primaryKeys));
  }

  /** Seals and flushes everything written to the table so far. */
  public void flush(String name) {
    c.scheduler.run(new FlushTask(c, name));
  }

  public ResultRows search(SearchRequest request) {
    return c.scheduler.run(SearchTask.search(c, request));
  }

  public ResultRows query(QueryRequest request) {
    return c.scheduler.run(SearchTask.query(c, request));
  }

  /** Creates an alias of a table; fails if the alias or a table of that name exists. */
  public void createAlias(String alias, String table) {
    c.scheduler.run(new AliasTask(c, AliasTask.Action.CREATE, alias, table, false));
  }

  /** Points an existing alias at another table, atomically. */
  public void alterAlias(String alias, String table) {
    c.scheduler.run(new AliasTask(c, AliasTask.Action.ALTER, alias, table, false));
  }

  /** Drops an alias; returns false if it did not exist and {@code ifExists} was set. */
  public boolean dropAlias(String alias, boolean ifExists) {
    return c.scheduler.run(new AliasTask(c, AliasTask.Action.DROP, alias, null, ifExists));
  }

  /** The aliases and the tables they stand for, sorted by alias. */
  public Map<String, String> aliases() {
    Map<String, String> all = new TreeMap<>();
    for (AliasInfo a : c.meta.aliases()) {
      c.meta.collection(a.collectionId()).ifPresent(info -> all.put(a.name(), info.name()));
    }
    return all;
  }

  /** The flushed segments of a table, by id; fails with 42P01 if there is no such table. */
  public List<SegmentInfo> segments(String table) {
    return c.meta.segments(c.collection(table).id());
  }

  /**
   * Size and range figures of every channel of the log with the table it belongs to, ordered by
   * channel name. Reads the log's counters only; it takes no task slot.
   */
  public List<TableChannelStats> channelStats() {
    Map<String, String> owners = new HashMap<>();
    for (CollectionInfo info : c.meta.collections()) {
      info.channels().forEach(channel -> owners.put(channel, info.name()));
    }
    List<TableChannelStats> out = new ArrayList<>();
    for (ChannelStats stats : c.mq.channelStats()) {
      out.add(new TableChannelStats(owners.get(stats.channel()), stats));
    }
    return out;
  }

  public Optional<CollectionInfo> collection(String name) {
    return c.meta.collection(name);
  }

  public List<CollectionInfo> collections() {
    return c.meta.collections();
  }

  /**
   * The rows of a loaded table visible now (after every acknowledged insert, delete and upsert),
   * counted exactly; null when the table is not loaded.
   */
  public Long rowCount(String table) {
    CollectionInfo info = c.collection(table);
    if (!c.queryNode.isLoaded(info.id())) {
      return null;
    }
    return (long) query(new QueryRequest(info.name(), null, List.of(), -1)).rows().size();
  }

  public boolean isLoaded(CollectionInfo info) {
    return c.queryNode.isLoaded(info.id());
  }

  public String stats() {
    return c.scheduler.stats();
  }
}
