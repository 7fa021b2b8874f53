package org.quiver.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.quiver.engine.datacoord.DataCoord;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.datanode.DataNode;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.error.StorageFailures;
import org.quiver.engine.index.IndexNode;
import org.quiver.engine.proxy.CompactionTrigger;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.proxy.TaskScheduler;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.IdAllocator;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.SegmentInfo;
import org.quiver.engine.rootcoord.Tso;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.DiskSpace;
import org.quiver.storage.StorageException;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.index.GraphVectors;
import org.quiver.storage.vector.VectorKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded engine over a data directory: the root coordinator's catalog and clock, the log,
 * a data node, a query node and the proxy in front of them.
 *
 * <p>Opening recovers: the catalog is read back, multi-step DDL a crash interrupted is finished or
 * undone ({@link DdlRecovery}), the data node replays each channel from its
 * checkpoint (its consumer group's position, {@link ChannelCheckpoints}), and the query node loads every table that was loaded. Only one instance may open a
 * directory at a time (RocksDB's lock enforces it).
 */
public final class Quiver implements AutoCloseable {
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

  private final RocksKvStore kv;
  private final RocksMessageQueue mq;
  private final TaskScheduler scheduler;
  private final Tso tso;
  private final DataNode dataNode;
  private final IndexNode indexNode;
  private final QueryNode queryNode;
  private final Proxy proxy;
  private final CompactionTrigger compaction;

  private Quiver(QuiverConfig config) {
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      if (DiskSpace.isFull(e)) {
        throw StorageFailures.diskFull(config.dataDirectory(), e);
      }
      throw new UncheckedIOException(e);
    }
    requireFreeSpace(config.dataDirectory());
    this.kv = openKv(config.dataDirectory());
    try {
      this.mq = RocksMessageQueue.open(config.dataDirectory().resolve("mq"),
          RocksMessageQueue.Settings.defaults()
              .withRetention(Duration.ofMillis(config.retentionMs()), 0)
              .withRetentionInterval(LOG_RETENTION_INTERVAL));
    } catch (RuntimeException e) {
      kv.close();
      throw (RuntimeException) StorageFailures.translate(e);
    }
    this.tso = new Tso(kv);
    IdAllocator ids = new IdAllocator(kv);
    MetaTable meta = new MetaTable(kv);
    SegmentStore segments = new SegmentStore(config.dataDirectory());
    IndexCatalog indexes = new IndexCatalog(kv);
    ChannelCheckpoints checkpoints = new ChannelCheckpoints(meta, mq);
    checkpoints.recover();
    this.queryNode = new QueryNode(meta, indexes, mq, checkpoints, segments,
        config.dataDirectory());
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
    java.util.List<Long> kept = new java.util.ArrayList<>(
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

  public Proxy proxy() {
    return proxy;
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
    kv.close();
  }
}
