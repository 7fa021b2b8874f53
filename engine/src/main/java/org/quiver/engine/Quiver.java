package org.quiver.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quiver.engine.api.CompactResult;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
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
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.api.status.TaskView;
import org.quiver.engine.datacoord.DataCoord;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.datanode.DataNode;
import org.quiver.engine.error.StorageFailures;
import org.quiver.engine.index.IndexNode;
import org.quiver.engine.proxy.CompactionTrigger;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.proxy.TaskScheduler;
import org.quiver.engine.querycoord.QueryCluster;
import org.quiver.engine.querynode.LocalQueryNode;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryNodeConnector;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.Tso;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.DiskSpace;
import org.quiver.storage.StorageException;
import org.quiver.storage.index.GraphVectors;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.vector.VectorKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine in this process ({@link Engine} over one data directory): the root coordinator's
 * catalog and clock, the log, a data node, a query node and the proxy in front of them, which
 * turns each request into a timestamped task.
 *
 * <p>Opening recovers: the catalog is read back, multi-step DDL a crash interrupted is finished or
 * undone ({@link DdlRecovery}), the data node replays each channel from its
 * checkpoint (its consumer group's position, {@link ChannelCheckpoints}), and the query node loads every table that was loaded. Only one instance may open a
 * directory at a time (RocksDB's lock enforces it).
 */
public final class Quiver implements Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Quiver.class);
  /** How often the automatic compaction policy looks at the tables. */
  private static final long COMPACTION_CHECK_MS = 10_000;
  /**
   * How often the log deletes what every consumer has checkpointed and the retention window no
   * longer needs, besides after each flush.
   */
  private static final Duration LOG_RETENTION_INTERVAL = Duration.ofSeconds(10);
  /** Tables smaller than this are not compacted automatically. */
  private static final long COMPACTION_MIN_ROWS = 10_000;
  /**
   * The free space below which the engine does not start: what RocksDB preallocates for the log's
   * and the catalog's write-ahead logs and manifests, with room to spare.
   */
  public static final long MIN_FREE_BYTES = 32L << 20;

  private final QuiverConfig config;
  private final KvStore kv;
  private final MessageQueue mq;
  private final SegmentStore segmentStore;
  private final TaskScheduler scheduler;
  private final Tso tso;
  private final DataNode dataNode;
  private final IndexNode indexNode;
  private final QueryNode queryNode;
  private final Proxy proxy;
  private final CompactionTrigger compaction;

  private Quiver(QuiverConfig config) {
    this.config = config;
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      if (DiskSpace.isFull(e)) {
        throw StorageFailures.diskFull(config.dataDirectory(), e);
      }
      throw new UncheckedIOException(e);
    }
    requireFreeSpace(config.dataDirectory());
    this.kv = config.catalog() == null
        ? openKv(config.dataDirectory()) : SharedServices.openCatalog(config.catalog(),
            config.dataDirectory(), SharedServices.dataFolderHoldsState(config));
    try {
      this.mq = config.log() == null
          ? RocksMessageQueue.open(config.dataDirectory().resolve("mq"),
              RocksMessageQueue.Settings.defaults()
                  .withRetention(Duration.ofMillis(config.retentionMs()), 0)
                  .withRetentionInterval(LOG_RETENTION_INTERVAL))
          : SharedServices.openLog(config.log(), kv);
    } catch (RuntimeException e) {
      kv.close();
      throw (RuntimeException) StorageFailures.translate(e);
    }
    try {
      this.segmentStore = new SegmentStore(config.dataDirectory(), config.segments() == null
          ? null : SharedServices.openSegments(config.segments(), config.dataDirectory()));
    } catch (RuntimeException e) {
      mq.close();
      kv.close();
      throw (RuntimeException) StorageFailures.translate(e);
    }
    SegmentStore segments = segmentStore;
    this.tso = new Tso(kv);
    IdAllocator ids = new IdAllocator(kv);
    MetaTable meta = new MetaTable(kv);
    IndexCatalog indexes = new IndexCatalog(kv);
    ChannelCheckpoints checkpoints = new ChannelCheckpoints(meta, mq);
    checkpoints.recover();
    this.queryNode = config.remoteQueryNodes()
        ? new QueryCluster(kv, QueryNodeConnector.find())
        : new LocalQueryNode(meta, indexes, mq, checkpoints, segments, config.dataDirectory());
    this.indexNode = new IndexNode(meta, indexes, segments, config.dataDirectory(),
        queryNode::indexBuilt);
    DataCoord dataCoord = new DataCoord(ids,
        new DataCoord.SealPolicy(config.sealRows(), config.sealBytes(), config.sealAgeMillis()));
    this.dataNode = new DataNode(meta, mq, checkpoints, segments, dataCoord,
        seal -> {
          queryNode.segmentsFlushed(seal);
          seal.forEach(indexNode::segmentFlushed);
          mq.retainSoon();
        });
    this.scheduler = new TaskScheduler(tso);
    this.proxy = new Proxy(meta, ids, mq, segments, dataNode, queryNode, scheduler, indexes,
        indexNode, config.retentionMs(), config.timeTickMs());
    DdlRecovery.recover(meta.journal(), meta, checkpoints, indexes, mq, segments);
    List<Long> kept = new java.util.ArrayList<>(
        meta.collections().stream().map(CollectionInfo::id).toList());
    meta.dropped().forEach(d -> kept.add(d.collection().id()));
    segments.removeUnknownCollections(kept);
    proxy.purgeDroppedTables();
    for (CollectionInfo info : meta.collections()) {
      segments.removeUnknownPartitions(info.id(), meta.partitions(info.id()));
      // A compaction or flush cut short by a crash leaves folders the catalog does not list.
      segments.removeUnknownSegments(info.id(),
          meta.segments(info.id()).stream().map(SegmentInfo::directory).toList());
      dataNode.watch(info);
      if (info.loaded()) {
        queryNode.load(info);
      }
      indexes.of(info.id()).forEach(index -> indexNode.buildMissing(info, index));
    }
    this.compaction = config.autoCompaction()
        ? new CompactionTrigger(proxy, config.sealRows(), COMPACTION_MIN_ROWS, config.retentionMs(),
            COMPACTION_CHECK_MS)
        : null;
    LOG.info("event=engine_open dir={} tables={} kernels={} graph_vectors={}",
        config.dataDirectory(), meta.collections().size(), VectorKernels.implementation(),
        GraphVectors.provider());
  }

  /**
   * Refuses to start on a disk with less than {@link #MIN_FREE_BYTES} free, saying so, rather than
   * fail later half-opened: RocksDB preallocates its logs when it opens them.
   */
  private static void requireFreeSpace(Path dataDirectory) {
    long free;
    try {
      free = DiskSpace.usableBytes(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (free < MIN_FREE_BYTES) {
      throw QuiverException.of(ErrorCode.DISK_FULL,
          "cannot start: the disk holding %s has %d MB free, and Quiver needs at least %d MB to"
              + " open its log and catalog; free space on it and start again",
          dataDirectory.toAbsolutePath(), free >> 20, MIN_FREE_BYTES >> 20);
    }
  }

  static RocksKvStore openKv(Path dataDirectory) {
    try {
      return RocksKvStore.open(dataDirectory.resolve("meta"));
    } catch (StorageException e) {
      if (DiskSpace.isFull(e)) {
        throw StorageFailures.diskFull(e.path(), e);
      }
      String cause = String.valueOf(e.getCause() == null ? null : e.getCause().getMessage());
      if (cause.contains("lock")) {
        throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "data directory %s is in use by another Quiver process (a running 'quiver serve'?);"
                + " connect to that server with jdbc:quiver:remote:http://host:port instead",
            dataDirectory.toAbsolutePath());
      }
      throw e;
    }
  }

  public static Quiver open(QuiverConfig config) {
    return new Quiver(config);
  }

  /** The proxy behind this engine, for the engine's own tests and tools. */
  /** Where a coordinator registers the endpoint it serves its engine to proxies on. */
  public static final String COORDINATOR_SESSION = "session/coordinator/engine";

  /**
   * Records in the catalog store, for as long as this engine stays open, that it serves proxies
   * at {@code endpoint}, so that a proxy given the catalog store's location finds it (and finds a
   * standby that took over elsewhere). Nothing is recorded with a catalog in the data folder,
   * which no other process reads.
   */
  public void advertise(String endpoint) {
    if (config.catalog() != null) {
      kv.putForSession(COORDINATOR_SESSION, endpoint.getBytes(StandardCharsets.UTF_8));
      LOG.info("event=coordinator_registered endpoint={}", endpoint);
    }
  }

  public Proxy proxy() {
    return proxy;
  }

  @Override
  public QuiverConfig config() {
    return config;
  }

  @Override
  public boolean createTable(CreateTableRequest r) {
    return proxy.createCollection(r.name(), r.schema(), r.ifNotExists(), r.shards(),
        r.consistency());
  }

  @Override
  public boolean dropTable(DropTableRequest r) {
    return proxy.dropCollection(r.name(), r.ifExists());
  }

  @Override
  public void renameTable(RenameTableRequest r) {
    proxy.renameCollection(r.table(), r.newName());
  }

  @Override
  public String stageReplacement(StageReplacementRequest r) {
    return proxy.createStagingCollection(r.table(), r.schema(), r.shards(), r.consistency());
  }

  @Override
  public void replaceTable(ReplaceTableRequest r) {
    proxy.replaceCollection(r.table(), r.staging());
  }

  @Override
  public boolean discardStaging(DiscardStagingRequest r) {
    return proxy.discardStaging(r.staging());
  }

  @Override
  public void createPartition(CreatePartitionRequest r) {
    proxy.createPartition(r.table(), r.partition());
  }

  @Override
  public void dropPartition(DropPartitionRequest r) {
    proxy.dropPartition(r.table(), r.partition());
  }

  @Override
  public void createAlias(CreateAliasRequest r) {
    proxy.createAlias(r.alias(), r.table());
  }

  @Override
  public void alterAlias(AlterAliasRequest r) {
    proxy.alterAlias(r.alias(), r.table());
  }

  @Override
  public boolean dropAlias(DropAliasRequest r) {
    return proxy.dropAlias(r.alias(), r.ifExists());
  }

  @Override
  public boolean createIndex(CreateIndexRequest r) {
    return proxy.createIndex(r);
  }

  @Override
  public boolean dropIndex(DropIndexRequest r) {
    return proxy.dropIndex(r.name(), r.ifExists());
  }

  @Override
  public void load(LoadRequest r) {
    proxy.load(r.table(), r.partitions());
  }

  @Override
  public void release(ReleaseRequest r) {
    proxy.release(r.table(), r.partitions());
  }

  @Override
  public int insert(InsertRequest r) {
    return proxy.insert(r.table(), r.rows(), r.partition());
  }

  @Override
  public int upsert(UpsertRequest r) {
    return proxy.upsert(r.table(), r.rows(), r.partition());
  }

  @Override
  public int delete(DeleteRequest r) {
    return proxy.delete(r.table(), r.primaryKeys());
  }

  @Override
  public void flush(FlushRequest r) {
    proxy.flush(r.table());
  }

  @Override
  public CompactResult compact(CompactRequest r) {
    return proxy.compact(r.table());
  }

  @Override
  public ResultRows search(SearchRequest request, ReadOptions options) {
    return proxy.search(request, options);
  }

  @Override
  public List<ResultRows> searchBatch(BatchSearchRequest r) {
    return proxy.searchBatch(r.template(), r.queries());
  }

  @Override
  public ResultRows query(QueryRequest request, ReadOptions options) {
    return proxy.query(request, options);
  }

  @Override
  public RowStream scan(QueryRequest request, ReadOptions options) {
    return proxy.scan(request, options);
  }

  @Override
  public Optional<CollectionInfo> table(String name) {
    return proxy.collection(name);
  }

  @Override
  public List<CollectionInfo> tables() {
    return proxy.collections();
  }

  @Override
  public Optional<CollectionInfo> tableAt(String name, long asOfMillis) {
    return proxy.collectionAt(name, asOfMillis);
  }

  @Override
  public Optional<CollectionInfo> tableVersion(long collectionId) {
    return proxy.tableVersion(collectionId);
  }

  @Override
  public List<CollectionInfo> droppedTables() {
    return proxy.droppedTables();
  }

  @Override
  public List<String> partitions(String table) {
    return proxy.partitions(table);
  }

  @Override
  public Map<String, String> aliases() {
    return proxy.aliases();
  }

  @Override
  public List<IndexInfo> indexes(String table) {
    return proxy.indexes(table);
  }

  @Override
  public IndexProgress indexProgress(IndexInfo index) {
    return proxy.indexProgress(index);
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    return proxy.indexHeapBytes(index);
  }

  @Override
  public List<SegmentInfo> segments(String table) {
    return proxy.segments(table);
  }

  @Override
  public boolean isLoaded(CollectionInfo table) {
    return proxy.isLoaded(table);
  }

  @Override
  public LoadState loadState(CollectionInfo table) {
    return proxy.loadState(table);
  }

  @Override
  public LoadState loadState(CollectionInfo table, String partition) {
    return proxy.loadState(table, partition);
  }

  @Override
  public Optional<Long> rowCount(String table) {
    return Optional.ofNullable(proxy.rowCount(table));
  }

  @Override
  public List<TableChannelStats> channels() {
    return proxy.channelStats();
  }

  @Override
  public List<QueueStats> queues() {
    return proxy.queueStats();
  }

  @Override
  public List<TaskView> tasks() {
    return proxy.tasks();
  }

  @Override
  public List<Damage> damage() {
    return proxy.damage();
  }

  @Override
  public List<String> queryNodes() {
    return queryNode instanceof QueryCluster cluster
        ? cluster.liveNodes().stream().sorted().toList() : List.of();
  }

  @Override
  public Optional<String> queryNodeOf(long segmentId) {
    return queryNode instanceof QueryCluster cluster
        ? Optional.ofNullable(cluster.currentParts().ownerOfSegment(segmentId)) : Optional.empty();
  }

  @Override
  public Optional<String> growingQueryNodeOf(CollectionInfo table) {
    return queryNode instanceof QueryCluster cluster
        ? Optional.ofNullable(cluster.currentParts().ownerOfGrowing(table.id()))
        : Optional.empty();
  }

  @Override
  public long tSafe(String table) {
    return proxy.tSafe(table);
  }

  @Override
  public long now() {
    return proxy.now();
  }

  @Override
  public void close() {
    if (compaction != null) {
      compaction.close();
    }
    proxy.close();
    dataNode.close();
    indexNode.close();
    scheduler.close();
    queryNode.close();
    tso.close();
    mq.close();
    segmentStore.close();
    kv.close();
  }
}
