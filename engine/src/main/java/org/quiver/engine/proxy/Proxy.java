package org.quiver.engine.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.quiver.engine.api.CompactResult;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.api.status.TaskView;
import org.quiver.engine.datanode.DataNode;
import org.quiver.engine.index.IndexNode;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.rootcoord.AliasInfo;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.Tso;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.mq.ChannelStats;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The engine's proxy, behind {@link org.quiver.engine.api.Engine}: turns each request into a
 * timestamped task on the definition, manipulation or query queue and returns its result.
 * Thread-safe.
 */
public final class Proxy {
  private final Components c;
  private final TimeTicker ticker;

  public Proxy(MetaTable meta, IdAllocator ids, MessageQueue mq, SegmentStore segments,
      DataNode dataNode, QueryNode queryNode, TaskScheduler scheduler, IndexCatalog indexes,
      IndexNode indexNode) {
    this(meta, ids, mq, segments, dataNode, queryNode, scheduler, indexes, indexNode,
        org.quiver.engine.api.QuiverConfig.DEFAULT_RETENTION_MS,
        org.quiver.engine.api.QuiverConfig.DEFAULT_TIME_TICK_MS);
  }

  /**
   * @param retentionMs how far back time travel may read
   * @param timeTickMs the longest an idle channel's tSafe stands still
   */
  public Proxy(MetaTable meta, IdAllocator ids, MessageQueue mq, SegmentStore segments,
      DataNode dataNode, QueryNode queryNode, TaskScheduler scheduler, IndexCatalog indexes,
      IndexNode indexNode, long retentionMs, long timeTickMs) {
    this.c = new Components(meta, ids, mq, segments, dataNode, queryNode, scheduler, indexes,
        indexNode);
    c.retentionMs = retentionMs;
    this.ticker = new TimeTicker(scheduler, meta, queryNode, timeTickMs);
    scheduler.onManipulationFinished(ticker::wake);
  }

  /** Stops the time ticker; the engine's close calls it before closing the nodes. */
  public void close() {
    ticker.close();
  }

  /**
   * Declares a vector index on a table's vector column and queues its build on every sealed
   * segment; returns false if it existed and {@code ifNotExists} was set.
   */
  public boolean createIndex(String table, String name, String field, IndexMethod method,
      IndexMetric metric, int m, int efConstruction, boolean ifNotExists) {
    return createIndex(table, name, field, method,
        new IndexParams(metric, m, efConstruction, 0, 0, 0), 0, 0, ifNotExists);
  }

  /** As {@link #createIndex(CreateIndexRequest)}, without a re-rank depth. */
  public boolean createIndex(String table, String name, String field, IndexMethod method,
      IndexParams params, int efSearch, int nprobe, boolean ifNotExists) {
    return createIndex(new CreateIndexRequest(table, name, field, method, params, efSearch,
        nprobe, ifNotExists));
  }

  /**
   * Declares a vector index with every build parameter of its method and its default search
   * widths ({@code efSearch} for HNSW, {@code nprobe} for IVF; 0: the engine's defaults).
   */
  public boolean createIndex(CreateIndexRequest request) {
    return c.scheduler.run(new CreateIndexTask(c, request));
  }

  /** Drops an index; returns false if it did not exist and {@code ifExists} was set. */
  public boolean dropIndex(String name, boolean ifExists) {
    return c.scheduler.run(new DropIndexTask(c, name, ifExists));
  }

  /** The indexes of a table, by name. */
  public List<IndexInfo> indexes(String table) {
    return c.indexes.of(c.collection(table).id());
  }

  /** Bytes the index holds on the heap where its table is loaded (see QueryNode). */
  public long indexHeapBytes(IndexInfo index) {
    return c.queryNode.indexHeapBytes(index);
  }

  /** How far the builds of an index have come. */
  public IndexProgress indexProgress(IndexInfo index) {
    return c.indexNode.progress(index);
  }

  /** Creates a table; returns false if it existed and {@code ifNotExists} was set. */
  public boolean createCollection(String name, CollectionSchema schema, boolean ifNotExists) {
    return createCollection(name, schema, ifNotExists, 1, ConsistencyLevel.STRONG);
  }

  /** Creates a table with {@code shards} DML channels and STRONG reads by default. */
  public boolean createCollection(String name, CollectionSchema schema, boolean ifNotExists,
      int shards) {
    return createCollection(name, schema, ifNotExists, shards, ConsistencyLevel.STRONG);
  }

  /**
   * Creates a table with {@code shards} DML channels whose searches read at {@code consistency}
   * unless they choose a level; returns false if it existed and {@code ifNotExists} was set.
   */
  public boolean createCollection(String name, CollectionSchema schema, boolean ifNotExists,
      int shards, ConsistencyLevel consistency) {
    return c.scheduler.run(
        new CreateCollectionTask(c, name, schema, ifNotExists, shards, consistency));
  }

  /**
   * The first step of an atomic replace of {@code table}: creates the table that will replace it
   * under a hidden staging name (never listed; see {@link #collections}) and returns that name.
   * Fill it by that name, then {@link #replaceCollection} swaps it in, or
   * {@link #discardStaging} gives it up.
   */
  public String createStagingCollection(String table, CollectionSchema schema, int shards,
      ConsistencyLevel consistency) {
    CreateCollectionTask task = CreateCollectionTask.staging(c, table, schema, shards, consistency);
    c.scheduler.run(task);
    return task.name();
  }

  /**
   * Swaps the filled staging table {@code staging} in for {@code table}, atomically for readers;
   * the old table is kept as a dropped one for time travel.
   */
  public void replaceCollection(String table, String staging) {
    c.scheduler.run(new ReplaceCollectionTask(c, table, staging));
  }

  /** Removes a staging table whose replace is given up; false if there is none by that name. */
  public boolean discardStaging(String staging) {
    return c.scheduler.run(new DiscardStagingTask(c, staging));
  }

  /** ALTER TABLE ... RENAME TO: the table, its indexes, partitions and aliases keep their id. */
  public void renameCollection(String table, String newName) {
    c.scheduler.run(new RenameCollectionTask(c, table, newName));
  }

  /** Drops a table with its data; returns false if it did not exist and {@code ifExists} was set. */
  public boolean dropCollection(String name, boolean ifExists) {
    return c.scheduler.run(new DropCollectionTask(c, name, ifExists));
  }

  /**
   * Removes the dropped tables that the retention window no longer reaches (channels, files,
   * catalog records); returns how many.
   */
  public int purgeDroppedTables() {
    return c.scheduler.run(new PurgeDroppedTask(c));
  }

  /**
   * The version of table {@code name} that existed at {@code asOfMillis} (physical time): the live
   * table if created by then, else a dropped one kept for time travel that was alive then.
   */
  public Optional<CollectionInfo> collectionAt(String name, long asOfMillis) {
    return c.meta.collectionAt(name, Tso.compose(asOfMillis, (1L << Tso.LOGICAL_BITS) - 1));
  }

  /** The table version {@code collectionId}: a live table or a dropped one kept for time travel. */
  public Optional<CollectionInfo> tableVersion(long collectionId) {
    return c.meta.collection(collectionId)
        .or(() -> c.meta.dropped(collectionId).map(d -> d.collection()));
  }

  /** The dropped tables kept for time travel, oldest drop first. */
  public List<CollectionInfo> droppedTables() {
    return c.meta.dropped().stream().map(d -> d.collection()).toList();
  }

  public void load(String name) {
    load(name, List.of());
  }

  /** Loads the named partitions of a table (empty: all of them), keeping those already loaded. */
  public void load(String name, List<String> partitions) {
    c.scheduler.run(new LoadCollectionTask(c, name, true, partitions));
  }

  public void release(String name) {
    release(name, List.of());
  }

  /** Releases the named partitions of a table (empty: all of them, the whole table). */
  public void release(String name, List<String> partitions) {
    c.scheduler.run(new LoadCollectionTask(c, name, false, partitions));
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

  /**
   * Merges the table's sealed segments per channel and purges rows and deletes older than the
   * retention window.
   */
  public CompactResult compact(String name) {
    return c.scheduler.run(new CompactTask(c, name));
  }

  /** Seals and flushes everything written to the table so far. */
  public void flush(String name) {
    c.scheduler.run(new FlushTask(c, name));
  }

  public ResultRows search(SearchRequest request) {
    return search(request, ReadOptions.DEFAULT);
  }

  /** A search at the consistency level (or the past time) {@code options} asks for. */
  public ResultRows search(SearchRequest request, ReadOptions options) {
    return c.scheduler.run(SearchTask.search(c, request, options));
  }

  /**
   * Exact k-NN of many queries at once (see {@code QueryNode#searchBatch}); {@code request} gives
   * everything but the query.
   */
  public List<ResultRows> searchBatch(SearchRequest request, List<SearchVector> queries) {
    return c.scheduler.run(new BatchSearchTask(c, request, queries));
  }

  public ResultRows query(QueryRequest request) {
    return query(request, ReadOptions.DEFAULT);
  }

  /** A scan at the consistency level (or the past time) {@code options} asks for. */
  public ResultRows query(QueryRequest request, ReadOptions options) {
    return c.scheduler.run(SearchTask.query(c, request, options));
  }

  /**
   * A scan like {@link #query(QueryRequest, ReadOptions)} whose rows are read as the caller takes
   * them, in bounded memory; close it when done. {@code request} has no keys.
   */
  public RowStream scan(QueryRequest request, ReadOptions options) {
    return c.scheduler.run(SearchTask.scan(c, request, options));
  }

  /**
   * A fresh timestamp: taken after a write is acknowledged, it is at or above the write's, so a
   * SESSION read guaranteed at it sees the write.
   */
  public long now() {
    return c.scheduler.now();
  }

  /** The damaged files found since the engine opened, for {@code sys.damage}. */
  public List<org.quiver.engine.api.status.Damage> damage() {
    return c.segments.damage().all();
  }

  /** The collection's tSafe on the query node (-1: not loaded). */
  public long tSafe(String table) {
    return c.queryNode.tSafe(c.collection(table).id());
  }

  /**
   * Stops (or resumes) the time ticker, so that tSafe moves only when a read needs it to; for
   * tests that observe what EVENTUALLY and BOUNDED reads see.
   */
  public void pauseTimeTicks(boolean pause) {
    ticker.pause(pause);
  }

  /** How far back {@code FOR SYSTEM_TIME AS OF} may read, in milliseconds. */
  public long retentionMs() {
    return c.retentionMs;
  }

  /** Lengths and done counts of the definition, manipulation and query queues. */
  public List<QueueStats> queueStats() {
    return c.scheduler.queueStats();
  }

  /** The tasks that are waiting or running. */
  public List<TaskView> tasks() {
    return c.scheduler.tasks();
  }

  /** The rows of a table with these primary keys, looked up by key, not by a scan. */
  public ResultRows getByKeys(String table, List<Object> keys, List<String> outputFields) {
    return query(new QueryRequest(table, null, outputFields, -1, keys, null));
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
    // The log first, then the catalog: a channel the log reports belongs to a table the catalog
    // read afterwards still knows, unless a DDL is creating or purging it at this very moment.
    List<ChannelStats> channels = c.mq.channelStats();
    Map<String, String> owners = new HashMap<>();
    java.util.Set<String> hidden = new java.util.HashSet<>();
    for (CollectionInfo info : c.meta.collections()) {
      if (MetaTable.isStaging(info.name())) {
        hidden.addAll(info.channels());
      } else {
        info.channels().forEach(channel -> owners.put(channel, info.name()));
      }
    }
    c.meta.dropped().forEach(d -> hidden.addAll(d.collection().channels()));
    List<TableChannelStats> out = new ArrayList<>();
    for (ChannelStats stats : channels) {
      String owner = owners.get(stats.channel());
      if (owner == null || hidden.contains(stats.channel())) {
        // A dropped table's, kept for time travel only, a replace's staging table's, or one
        // whose table a DDL is creating or purging right now.
        continue;
      }
      out.add(new TableChannelStats(owner, stats.channel(), stats.messageCount(),
          stats.retainedBytes(), stats.diskBytes(), stats.oldestRetainedId(), stats.beginId(),
          stats.lastId()));
    }
    return out;
  }

  public Optional<CollectionInfo> collection(String name) {
    return c.meta.collection(name);
  }

  /** The tables users see, by name: not the staging tables of replaces in progress. */
  public List<CollectionInfo> collections() {
    return c.meta.collections().stream().filter(info -> !MetaTable.isStaging(info.name()))
        .toList();
  }

  /**
   * The rows of a loaded table visible now (after every acknowledged insert, delete and upsert),
   * counted exactly; null when the table, or one of its partitions, is not loaded.
   */
  public Long rowCount(String table) {
    CollectionInfo info = c.collection(table);
    if (!c.queryNode.isLoaded(info.id()) || !c.queryNode.releasedPartitions(info.id()).isEmpty()
        || c.queryNode.unreadable(info).isPresent()) {
      return null;
    }
    return (long) query(new QueryRequest(info.name(), null, List.of(), -1)).rows().size();
  }

  /** Whether the table is not loaded, loading (with progress) or loaded, and the memory it holds. */
  public org.quiver.engine.api.status.LoadState loadState(CollectionInfo info) {
    return c.queryNode.loadState(info.id());
  }

  public boolean isLoaded(CollectionInfo info) {
    return c.queryNode.isLoaded(info.id());
  }

  /** The load state and memory of one partition of the table. */
  public org.quiver.engine.api.status.LoadState loadState(CollectionInfo info, String partition) {
    return c.queryNode.loadState(info.id(), partition);
  }

  public String stats() {
    return c.scheduler.stats();
  }
}
