package org.quiver.engine.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.AlterAliasRequest;
import org.quiver.engine.api.request.BatchSearchRequest;
import org.quiver.engine.api.request.CompactRequest;
import org.quiver.engine.api.request.CreateAliasRequest;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.engine.api.request.CreatePartitionRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.DeleteRequest;
import org.quiver.engine.api.request.DiscardStagingRequest;
import org.quiver.engine.api.request.DropAliasRequest;
import org.quiver.engine.api.request.DropIndexRequest;
import org.quiver.engine.api.request.DropPartitionRequest;
import org.quiver.engine.api.request.DropTableRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.LoadRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.ReleaseRequest;
import org.quiver.engine.api.request.RenameTableRequest;
import org.quiver.engine.api.request.ReplaceTableRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.StageReplacementRequest;
import org.quiver.engine.api.request.UpsertRequest;
import org.quiver.engine.api.status.CheckReport;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.api.status.TaskView;

/**
 * The engine as its callers see it: every operation takes a request of plain values and answers
 * with plain values, so that the same calls could cross a process boundary. Thread-safe.
 *
 * <p>Changes (definition and manipulation) are timestamped tasks inside the engine; a write is
 * acknowledged once it is durable in the log. Reads take {@link ReadOptions} for their consistency
 * level or a time to travel to. A {@link QueryRequest} with keys is a key lookup, answered from a
 * key hash rather than a scan.
 */
public interface Engine extends AutoCloseable {

  /**
   * Opens the engine over {@code config}'s data directory, recovering what a crash left; or, when
   * the configuration names a {@linkplain QuiverConfig#coordinator coordinator}, an engine whose
   * calls go to that coordinator's (a proxy's, see {@link EngineHost}).
   */
  static Engine open(QuiverConfig config) {
    return config.coordinator() != null ? EngineHost.provider().connect(config)
        : provider().open(config);
  }

  /** Verifies a data directory that no engine has open ({@code quiver check}). */
  static CheckReport check(Path dataDirectory) {
    return provider().check(dataDirectory);
  }

  private static EngineProvider provider() {
    return ServiceLoader.load(EngineProvider.class, Engine.class.getClassLoader()).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no Quiver engine on the class path (quiver-engine provides one)"));
  }

  /** The configuration the engine was opened with. */
  QuiverConfig config();

  // Definition: each is one task on the definition queue, in timestamp order.

  /** Creates a table; false if it existed and the request allows that. */
  boolean createTable(CreateTableRequest request);

  /** Drops a table (kept for time travel within the retention window); false if it was absent. */
  boolean dropTable(DropTableRequest request);

  /** Renames a table; its id, segments, partitions, indexes and aliases stay with it. */
  void renameTable(RenameTableRequest request);

  /**
   * Creates the table that will replace another under a hidden staging name and returns that
   * name; fill it by that name, then {@link #replaceTable} or {@link #discardStaging}.
   */
  String stageReplacement(StageReplacementRequest request);

  /** Swaps a filled staging table in for the table it replaces, atomically for readers. */
  void replaceTable(ReplaceTableRequest request);

  /** Removes a staging table whose replace is given up; false if there is none by that name. */
  boolean discardStaging(DiscardStagingRequest request);

  /** Creates a partition of a table. */
  void createPartition(CreatePartitionRequest request);

  /** Drops a partition with its rows. */
  void dropPartition(DropPartitionRequest request);

  /** Creates an alias; fails if the alias or a table of that name exists. */
  void createAlias(CreateAliasRequest request);

  /** Points an existing alias at another table, atomically. */
  void alterAlias(AlterAliasRequest request);

  /** Drops an alias; false if it was absent and the request allows that. */
  boolean dropAlias(DropAliasRequest request);

  /** Declares a vector index and queues its build on every sealed segment. */
  boolean createIndex(CreateIndexRequest request);

  /** Drops an index; false if it was absent and the request allows that. */
  boolean dropIndex(DropIndexRequest request);

  /** Loads the named partitions of a table (none named: all), keeping those already loaded. */
  void load(LoadRequest request);

  /** Releases the named partitions of a table (none named: the whole table). */
  void release(ReleaseRequest request);

  // Manipulation: each is one task on the manipulation queue, at one timestamp.

  /** Inserts rows durably; returns how many. */
  int insert(InsertRequest request);

  /** Inserts rows, replacing the live rows of the same keys; returns how many were given. */
  int upsert(UpsertRequest request);

  /** Deletes the rows of these keys; returns how many existed. */
  int delete(DeleteRequest request);

  /** Seals and flushes everything written to the table so far. */
  void flush(FlushRequest request);

  /** Merges the table's sealed segments and purges what the retention window no longer needs. */
  CompactResult compact(CompactRequest request);

  // Reads, on the caller's thread.

  /** The k nearest rows to one query vector. */
  ResultRows search(SearchRequest request, ReadOptions options);

  /** Exact k-NN of many queries at once, one result per query (see {@link BatchSearchRequest}). */
  List<ResultRows> searchBatch(BatchSearchRequest request);

  /** The rows that pass a filter, or those of the request's keys. */
  ResultRows query(QueryRequest request, ReadOptions options);

  /** As {@link #query}, read as the caller takes the rows, in bounded memory; close it. */
  RowStream scan(QueryRequest request, ReadOptions options);

  // The catalog and status views.

  /** A live table by its own name; aliases are not resolved (see {@link #aliases}). */
  Optional<CollectionInfo> table(String name);

  /** The tables users see, by name. */
  List<CollectionInfo> tables();

  /** The version of a table's name that existed at {@code asOfMillis} (physical time). */
  Optional<CollectionInfo> tableAt(String name, long asOfMillis);

  /** A table version by id: a live table or a dropped one kept for time travel. */
  Optional<CollectionInfo> tableVersion(long collectionId);

  /** The dropped tables kept for time travel, oldest drop first. */
  List<CollectionInfo> droppedTables();

  /** The partitions of a table: {@code _default} first, then the others by name. */
  List<String> partitions(String table);

  /** The aliases and the tables they stand for, sorted by alias. */
  Map<String, String> aliases();

  /** The indexes of a table. */
  List<IndexInfo> indexes(String table);

  /** How far the builds of an index have come. */
  IndexProgress indexProgress(IndexInfo index);

  /** Bytes the index holds on the heap where its table is loaded. */
  long indexHeapBytes(IndexInfo index);

  /** The flushed segments of a table. */
  List<SegmentInfo> segments(String table);

  /** Whether the query node holds a table (some or all of its partitions). */
  boolean isLoaded(CollectionInfo table);

  /** Whether a table is loaded, loading or not, and the memory it holds. */
  LoadState loadState(CollectionInfo table);

  /** The load state and memory of one partition of a table. */
  LoadState loadState(CollectionInfo table, String partition);

  /** The rows of a loaded table visible now, counted exactly; empty when not fully loaded. */
  Optional<Long> rowCount(String table);

  /** Size and range figures of every channel of the log, with its table. */
  List<TableChannelStats> channels();

  /** Lengths and done counts of the definition, manipulation and query queues. */
  List<QueueStats> queues();

  /** The tasks waiting or running. */
  List<TaskView> tasks();

  /** The damaged files found since the engine opened. */
  List<Damage> damage();

  /**
   * The query nodes in other processes that answer this engine's reads now, by id in order; empty
   * when its reads are answered in this process.
   */
  List<String> queryNodes();

  /**
   * The query node in another process that holds the rows of sealed segment {@code segmentId}
   * now; empty when reads are answered in this process or no node is up.
   */
  Optional<String> queryNodeOf(long segmentId);

  /**
   * The query node in another process that holds the growing rows of {@code table} now; empty
   * when reads are answered in this process or no node is up.
   */
  Optional<String> growingQueryNodeOf(CollectionInfo table);

  /** The table's tSafe on the query node (-1: not loaded). */
  long tSafe(String table);

  /** A fresh timestamp, at or above that of every acknowledged write. */
  long now();

  /** Stops the background work and closes the log and the catalog. */
  @Override
  void close();
}
