package org.quiver.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.querynode.LocalQueryNode;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.KvStoreProvider;
import org.quiver.storage.mq.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query node role in a process of its own ({@code ./quiver serve --role querynode}): a {@link
 * LocalQueryNode} over a cluster's shared catalog, log and segments, whose local data folder is
 * only a cache of segment files. The coordinator tells it what to hold (the calls of {@link
 * QueryNode}, over a transport such as quiver-engine-cluster's Flight server) and reads from it.
 *
 * <p>It writes no catalog record: the coordinator owns the catalog, and this node reads it again
 * ({@link MetaTable#refresh}) before each call that depends on what the coordinator has just
 * recorded (a load, a seal, a compaction, an index built, a partition created or dropped). Its
 * consumer group on each channel is its own ({@code querynode-<id>}), and its session key
 * ({@value #SESSIONS}{@code <id>}, holding its endpoint) lives under the catalog store's lease,
 * so that the coordinator finds it and sees it go when its process dies.
 */
public final class QueryNodeService implements QueryNode, AutoCloseable {
  /** Where query nodes register: one key a node, whose value is its endpoint. */
  public static final String SESSIONS = "session/querynode/";
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Logger LOG = LoggerFactory.getLogger(QueryNodeService.class);

  private final String id;
  private final KvStore kv;
  private final MessageQueue mq;
  private final SegmentStore segmentStore;
  private final MetaTable meta;
  private final IndexCatalog indexes;
  private final LocalQueryNode node;

  private QueryNodeService(String id, KvStore kv, MessageQueue mq, SegmentStore segmentStore,
      Path cache) {
    this.id = id;
    this.kv = kv;
    this.mq = mq;
    this.segmentStore = segmentStore;
    this.meta = new MetaTable(kv);
    this.indexes = new IndexCatalog(kv);
    this.node = new LocalQueryNode(meta, indexes, mq, ChannelCheckpoints.following(meta, mq),
        segmentStore, cache, "querynode-" + id);
  }

  /**
   * Opens a query node named {@code id} over the shared services of {@code config} (all three
   * are needed), with {@code config.dataDirectory()} as its cache of segment files. It holds
   * nothing until told to load.
   */
  public static QueryNodeService open(QuiverConfig config, String id) {
    if (!NODE_ID.matcher(id).matches()) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "a query node id is 1 to 64 letters, digits, _ or -; got \"%s\"", id);
    }
    if (config.catalog() == null || config.log() == null || config.segments() == null) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "a query node reads the catalog, the log and the segments from shared services;"
              + " give all three locations (catalog %s, log %s, segments %s)",
          config.catalog(), config.log(), config.segments());
    }
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KvStore kv = SharedServices.open(config.catalog(), "catalog store",
        () -> KvStoreProvider.openAt(config.catalog()));
    MessageQueue mq = null;
    try {
      mq = SharedServices.openLog(config.log(), kv);
      SegmentStore segments = new SegmentStore(config.dataDirectory(),
          SharedServices.openSegments(config.segments(), config.dataDirectory()));
      QueryNodeService service = new QueryNodeService(id, kv, mq, segments,
          config.dataDirectory());
      LOG.info("event=querynode_open id={} catalog={} cache={}", id, config.catalog(),
          config.dataDirectory());
      return service;
    } catch (RuntimeException e) {
      if (mq != null) {
        mq.close();
      }
      kv.close();
      throw e;
    }
  }

  /**
   * Registers this node's session with the endpoint its transport listens on: the coordinator
   * starts sending it work from then on. Call once the transport is up.
   */
  public void register(String endpoint) {
    kv.putForSession(SESSIONS + id, endpoint.getBytes(StandardCharsets.UTF_8));
    LOG.info("event=querynode_registered id={} endpoint={}", id, endpoint);
  }

  public String id() {
    return id;
  }

  /** Reads what the coordinator recorded, before a call that depends on it. */
  private void refreshCatalog() {
    meta.refresh();
    indexes.refresh();
  }

  /** Reads the catalog first: a table whose part changes loads the segments recorded now. */
  @Override
  public void assign(SegmentAssignment assignment) {
    refreshCatalog();
    node.assign(assignment);
  }

  @Override
  public void load(CollectionInfo info) {
    refreshCatalog();
    node.load(info);
  }

  @Override
  public void loadRetained(DroppedCollection dropped) {
    refreshCatalog();
    node.loadRetained(dropped);
  }

  @Override
  public Set<String> releasedPartitions(long collectionId) {
    return node.releasedPartitions(collectionId);
  }

  @Override
  public LoadState loadState(long collectionId) {
    return node.loadState(collectionId);
  }

  @Override
  public LoadState loadState(long collectionId, String partition) {
    return node.loadState(collectionId, partition);
  }

  @Override
  public void release(long collectionId) {
    node.release(collectionId);
  }

  @Override
  public void releaseAll() {
    node.releaseAll();
  }

  @Override
  public void indexCreated(IndexInfo index) {
    indexes.refresh();
  }

  @Override
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    indexes.refresh();
    node.indexBuilt(segment, index);
  }

  @Override
  public void indexDropped(IndexInfo index) {
    indexes.refresh();
    node.indexDropped(index);
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    return node.indexHeapBytes(index);
  }

  @Override
  public boolean isLoaded(long collectionId) {
    return node.isLoaded(collectionId);
  }

  @Override
  public long tSafe(long collectionId) {
    return node.tSafe(collectionId);
  }

  @Override
  public void advanceTSafe(CollectionInfo info, long tick) {
    node.advanceTSafe(info, tick);
  }

  @Override
  public void catchUp(CollectionInfo info) {
    node.catchUp(info);
  }

  @Override
  public void segmentsFlushed(List<SegmentInfo> seal) {
    refreshCatalog();
    node.segmentsFlushed(seal);
  }

  @Override
  public void partitionCreated(long collectionId, String partition) {
    meta.refresh();
  }

  @Override
  public void partitionDropped(long collectionId, String partition) {
    meta.refresh();
    node.partitionDropped(collectionId, partition);
  }

  @Override
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    refreshCatalog();
    node.segmentsCompacted(replaced, merged);
  }

  @Override
  public Optional<Damage> unreadable(CollectionInfo info) {
    return node.unreadable(info);
  }

  @Override
  public ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    return node.search(info, request, readTs);
  }

  @Override
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs) {
    return node.searchBatch(info, request, queries, readTs);
  }

  @Override
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    return node.query(info, request, readTs);
  }

  @Override
  public RowStream scan(CollectionInfo info, QueryRequest request, long readTs) {
    return node.scan(info, request, readTs);
  }

  @Override
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    return node.getByKeys(info, request, readTs);
  }

  /** Lets go of everything held and of the session; the coordinator stops sending work. */
  @Override
  public void close() {
    node.close();
    mq.close();
    segmentStore.close();
    kv.close();
    LOG.info("event=querynode_close id={}", id);
  }
}
