package org.quiver.engine.querynode;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;

/**
 * The query node's entry point, which the proxy, the data node, the index node and compaction
 * call: holds loaded collections in memory and answers searches and queries over them, delegating
 * each job to the part named after it.
 *
 * <p>A loaded collection is its flushed segments plus the growing rows the node reads from each DML
 * channel after the segments' checkpoint ({@link CollectionLoader}). When the data node seals,
 * {@link #segmentsFlushed} swaps the growing rows the seal covers for its segments
 * ({@link SegmentHandOff}). While a table is loaded, the node's consumer group ({@value #GROUP}
 * in a single process) on each of its channels stands at the last message its segments cover, so
 * that retention keeps every message the node may still read. Reads are MVCC at the read timestamp: a row is visible
 * when inserted at or before it and not deleted after its insert and at or before it
 * ({@link LoadedCollection#visibleRows}). The caller (the proxy's search task) calls
 * {@link #catchUp} first so that every acknowledged write is applied.
 *
 * <p>Holds no state of its own beyond its parts; each collection's state is guarded by its lock
 * (see {@link LoadedCollection}).
 */
public final class LocalQueryNode implements QueryNode {
  /** The consumer group of the query node of a single process on the channels it follows. */
  public static final String GROUP = "querynode";

  private final LoadedCollections collections;
  private final IndexAttacher indexes;
  private final CollectionLoader loader;
  private final SegmentHandOff handOff;
  private final SearchPlanner planner;
  private final BatchSearch batchSearch;
  private final KeyLookup keyLookup = new KeyLookup();

  public LocalQueryNode(MetaTable meta, IndexCatalog indexCatalog, MessageQueue mq,
      ChannelCheckpoints checkpoints, SegmentStore segments, Path root) {
    this(meta, indexCatalog, mq, checkpoints, segments, root, GROUP);
  }

  /**
   * A query node whose consumer group on each channel is {@code group}: one of each node's own
   * when several follow one log (a cluster's query nodes).
   */
  public LocalQueryNode(MetaTable meta, IndexCatalog indexCatalog, MessageQueue mq,
      ChannelCheckpoints checkpoints, SegmentStore segments, Path root, String group) {
    this.collections = new LoadedCollections(meta, segments);
    this.indexes = new IndexAttacher(collections, indexCatalog, segments, root);
    this.loader = new CollectionLoader(collections, meta, mq, checkpoints, segments, indexes, group);
    this.handOff = new SegmentHandOff(collections, loader, indexes);
    this.planner = new SearchPlanner(collections, indexCatalog);
    this.batchSearch = new BatchSearch(collections);
  }

  @Override
  public void assign(SegmentAssignment assignment) {
    loader.assign(assignment);
  }

  /**
   * Loads a collection's flushed segments and the growing rows after them, except those of the
   * partitions the catalog records as released ({@link MetaTable#releasedPartitions}).
   *
   * <p>The collection is registered before its segments are read, under its write lock, so a
   * segment that the data node flushes meanwhile is either read here or handed over after: adding
   * is idempotent by segment id, and searches wait until the load is complete. When the collection
   * is already loaded, a partition released since is let go in place; a partition loaded since
   * needs its rows read again from the segments and the log, so the collection is loaded anew and
   * replaces the one held (searches wait for it rather than fail).
   */
  @Override
  public void load(CollectionInfo info) {
    loader.load(info);
  }

  /**
   * Loads a dropped table kept for time travel (read only: its sealed segments at the drop and
   * the log tail after them), unless it is loaded; it stays until released.
   */
  @Override
  public void loadRetained(DroppedCollection dropped) {
    loader.loadRetained(dropped);
  }

  /** The partitions of a loaded collection that are released; empty when it is not loaded. */
  @Override
  public Set<String> releasedPartitions(long collectionId) {
    LoadedCollection lc = collections.get(collectionId);
    if (lc == null) {
      return Set.of();
    }
    lc.lock.readLock().lock();
    try {
      return lc.released();
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /**
   * The collection's load state and memory. Read without the collection's lock while a load is in
   * progress (the load holds it); the figures are then those of the moment.
   */
  @Override
  public LoadState loadState(long collectionId) {
    return loadState(collectionId, null);
  }

  /**
   * The load state and memory of one partition of the collection ({@code partition} null: of the
   * whole collection, with its delete records). A partition is not loaded when the collection is
   * not or the partition is released.
   */
  @Override
  public LoadState loadState(long collectionId, String partition) {
    LoadedCollection lc = collections.get(collectionId);
    return lc == null ? LoadState.NOT_LOADED : lc.loadState(partition);
  }

  /** Lets go of a collection and of its consumer groups, so the log no longer keeps for it. */
  @Override
  public void release(long collectionId) {
    loader.release(collectionId);
  }

  @Override
  public void releaseAll() {
    loader.releaseAll();
  }

  /**
   * Unmaps every loaded collection, for the engine's close; their groups stay, as the tables are
   * loaded again at the next start.
   */
  @Override
  public void close() {
    loader.close();
  }

  /** Nothing to do: this node reads the catalog of its own process, which has the index. */
  @Override
  public void indexCreated(IndexInfo index) {}

  /** Attaches an index just built for a segment; searches of the segment use it from now on. */
  @Override
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    indexes.indexBuilt(segment, index);
  }

  /** Detaches and closes a dropped index. */
  @Override
  public void indexDropped(IndexInfo index) {
    indexes.indexDropped(index);
  }

  /**
   * Bytes the index's open segments hold on the heap (IVF_PQ: its codes, lists and codebooks;
   * HNSW: its copy of the vectors), for the benchmark's memory per vector.
   */
  @Override
  public long indexHeapBytes(IndexInfo index) {
    return indexes.heapBytes(index);
  }

  @Override
  public boolean isLoaded(long collectionId) {
    return collections.isLoaded(collectionId);
  }

  /**
   * The collection's tSafe: the lowest over its channels of the time tick up to which every message
   * is applied here; -1 when the collection is not loaded. A read whose guarantee timestamp is at
   * or below it sees every write it must see.
   */
  @Override
  public long tSafe(long collectionId) {
    LoadedCollection lc = collections.get(collectionId);
    return lc == null ? -1 : lc.growing().tSafe();
  }

  /**
   * Receives a time tick for every channel of the collection: applies the log up to its end, then
   * moves each channel's tSafe to {@code tick}. The caller promises that every write below
   * {@code tick} was in the log before this call (the proxy's manipulation queue held none).
   */
  @Override
  public void advanceTSafe(CollectionInfo info, long tick) {
    loader.catchUp(info);
    LoadedCollection lc = collections.get(info.id());
    if (lc != null) {
      lc.growing().advanceTSafe(tick);
    }
  }

  /** Applies every message written to the collection's channels so far. */
  @Override
  public void catchUp(CollectionInfo info) {
    loader.catchUp(info);
  }

  /**
   * Hand-off of one seal: its segments (one per partition, the deletes in the default partition's)
   * replace the growing rows of the messages they cover. They are added together, under one lock:
   * adding a segment moves the channel's position to its last message, which is right only once
   * every segment of the seal is held; a read between two of them would skip the log messages
   * whose rows or deletes are in the segment not yet added (a deleted row seen again).
   */
  @Override
  public void segmentsFlushed(List<SegmentInfo> seal) {
    handOff.segmentsFlushed(seal);
  }

  /** Nothing to do: this node reads the catalog of its own process, which has the partition. */
  @Override
  public void partitionCreated(long collectionId, String partition) {}

  /** Lets go of a dropped partition's sealed segments and growing rows. */
  @Override
  public void partitionDropped(long collectionId, String partition) {
    handOff.partitionDropped(collectionId, partition);
  }

  /**
   * Compaction's hand-off: the merged segment (with the indexes built for it) replaces the
   * segments it merges. Taken under the write lock, so searches in flight finish on the old
   * segments' mappings before they are closed; the caller deletes the old files afterwards.
   */
  @Override
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    handOff.segmentsCompacted(replaced, merged);
  }

  /**
   * The damage that keeps the table from being read, if any: a damaged file of a segment the
   * catalog still lists.
   */
  @Override
  public Optional<Damage> unreadable(CollectionInfo info) {
    return collections.unreadable(info);
  }

  /** The k nearest visible rows at {@code readTs}. */
  @Override
  public ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    return planner.search(info, request, readTs);
  }

  /**
   * Exact k-NN for many queries: float vectors in one pass over the data ({@link BatchSearch}),
   * bit strings and sparse vectors one query at a time, whose rows no kernel compares with many
   * queries at once. {@code request} gives the vector column, metric, k, offset, filter and
   * outputs; its own query is ignored. The answers are those of {@link #search} with
   * {@link SearchOptions#exactOnly}, in query order; 42804 when a query is not of the metric's
   * kind.
   */
  @Override
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs) {
    // Every query checked against the metric first, as a search of it alone would be.
    List<SearchRequest> each = queries.stream().map(q -> new SearchRequest(request.collection(),
        request.vectorField(), q, request.metric(), request.k(), request.offset(),
        request.filter(), request.outputFields(), new SearchOptions(0, 0, true),
        request.partitions())).toList();
    if (each.isEmpty()) {
      return List.of();
    }
    if (queries.stream().allMatch(q -> q instanceof SearchVector.Floats)) {
      // The first query's request, not the template, whose query may be of another kind.
      return batchSearch.search(info, each.get(0),
          queries.stream().map(q -> ((SearchVector.Floats) q).values()).toList(), readTs);
    }
    return each.stream().map(r -> planner.search(info, r, readTs)).toList();
  }

  /** The visible rows at {@code readTs} that pass the filter (and have one of its keys). */
  @Override
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    if (request.keys() != null) {
      return getByKeys(info, request, readTs);
    }
    try (RowScan scan = scan(info, request, readTs, Integer.MAX_VALUE)) {
      return scan.hasNext() ? scan.next() : new RowProjection(info.schema(),
          request.outputFields(), RowProjection.outputIndexes(info, request.outputFields()))
          .result(null);
    }
  }

  /**
   * The visible rows at {@code readTs} that pass the filter, read as the caller takes them (see
   * {@link RowScan}); {@code request} has no keys.
   */
  @Override
  public RowStream scan(CollectionInfo info, QueryRequest request, long readTs) {
    return scan(info, request, readTs, RowScan.CHUNK);
  }

  private RowScan scan(CollectionInfo info, QueryRequest request, long readTs, int chunkRows) {
    LoadedCollection lc = collections.require(info, request.partitions());
    int[] outputs = RowProjection.outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), info.schema());
    long limit = request.limit() < 0 ? Long.MAX_VALUE : request.limit();
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      List<RowSet> sets = lc.rowSets().stream().filter(rs -> rs.in(request.partitions()))
          .toList();
      return new RowScan(lc, sets, info.schema(), request.outputFields(), outputs, filter, readTs,
          limit, chunkRows);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /**
   * The visible rows at {@code readTs} whose primary key is one of {@code request.keys()}, in the
   * requested partitions, and that pass the filter ({@link KeyLookup}).
   */
  @Override
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    return keyLookup.find(collections.require(info, request.partitions()), info, request, readTs);
  }
}
