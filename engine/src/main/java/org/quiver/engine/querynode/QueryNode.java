package org.quiver.engine.querynode;

import java.nio.file.Path;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.index.HnswIndex;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;
import org.quiver.storage.vector.VectorKernels;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
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
 * the loading, replay and segment hand-offs to the parts named after them.
 *
 * <p>A loaded collection is its flushed segments plus the growing rows the node reads from each DML
 * channel after the segments' checkpoint ({@link CollectionLoader}). When the data node seals,
 * {@link #segmentsFlushed} swaps the growing rows the seal covers for its segments
 * ({@link SegmentHandOff}). While a table is loaded, the node's consumer group {@value #GROUP} on
 * each of its channels stands at the last message its segments cover, so that retention keeps
 * every message the node may still read. Reads are MVCC at the read timestamp: a row is visible
 * when inserted at or before it and not deleted after its insert and at or before it
 * ({@link LoadedCollection#visibleRows}). The caller (the proxy's search task) calls
 * {@link #catchUp} first so that every acknowledged write is applied.
 *
 * <p>Holds no state of its own beyond its parts; each collection's state is guarded by its lock
 * (see {@link LoadedCollection}).
 */
public final class QueryNode {
  /** The query node's consumer group on the channels of the tables it holds. */
  public static final String GROUP = "querynode";

  private final LoadedCollections collections;
  private final IndexAttacher indexes;
  private final CollectionLoader loader;
  private final SegmentHandOff handOff;
  private final IndexCatalog indexCatalog;
  private final KeyLookup keyLookup = new KeyLookup();

  public QueryNode(MetaTable meta, IndexCatalog indexCatalog, MessageQueue mq,
      ChannelCheckpoints checkpoints, SegmentStore segments, Path root) {
    this.collections = new LoadedCollections(meta, segments);
    this.indexes = new IndexAttacher(collections, indexCatalog, segments, root);
    this.loader = new CollectionLoader(collections, meta, mq, checkpoints, segments, indexes);
    this.handOff = new SegmentHandOff(collections, segments, loader, indexes);
    this.indexCatalog = indexCatalog;
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
  public void load(CollectionInfo info) {
    loader.load(info);
  }

  /**
   * Loads a dropped table kept for time travel (read only: its sealed segments at the drop and
   * the log tail after them), unless it is loaded; it stays until released.
   */
  public void loadRetained(DroppedCollection dropped) {
    loader.loadRetained(dropped);
  }

  /** The partitions of a loaded collection that are released; empty when it is not loaded. */
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
  public LoadState loadState(long collectionId) {
    return loadState(collectionId, null);
  }

  /**
   * The load state and memory of one partition of the collection ({@code partition} null: of the
   * whole collection, with its delete records). A partition is not loaded when the collection is
   * not or the partition is released.
   */
  public LoadState loadState(long collectionId, String partition) {
    LoadedCollection lc = collections.get(collectionId);
    return lc == null ? LoadState.NOT_LOADED : lc.loadState(partition);
  }

  /** Lets go of a collection and of its consumer groups, so the log no longer keeps for it. */
  public void release(long collectionId) {
    loader.release(collectionId);
  }

  /**
   * Unmaps every loaded collection, for the engine's close; their groups stay, as the tables are
   * loaded again at the next start.
   */
  public void close() {
    loader.close();
  }

  /** Attaches an index just built for a segment; searches of the segment use it from now on. */
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    indexes.indexBuilt(segment, index);
  }

  /** Detaches and closes a dropped index. */
  public void indexDropped(IndexInfo index) {
    indexes.indexDropped(index);
  }

  /**
   * Bytes the index's open segments hold on the heap (IVF_PQ: its codes, lists and codebooks;
   * HNSW: its copy of the vectors), for the benchmark's memory per vector.
   */
  public long indexHeapBytes(IndexInfo index) {
    return indexes.heapBytes(index);
  }

  public boolean isLoaded(long collectionId) {
    return collections.isLoaded(collectionId);
  }

  /**
   * The collection's tSafe: the lowest over its channels of the time tick up to which every message
   * is applied here; -1 when the collection is not loaded. A read whose guarantee timestamp is at
   * or below it sees every write it must see.
   */
  public long tSafe(long collectionId) {
    LoadedCollection lc = collections.get(collectionId);
    return lc == null ? -1 : lc.growing().tSafe();
  }

  /**
   * Receives a time tick for every channel of the collection: applies the log up to its end, then
   * moves each channel's tSafe to {@code tick}. The caller promises that every write below
   * {@code tick} was in the log before this call (the proxy's manipulation queue held none).
   */
  public void advanceTSafe(CollectionInfo info, long tick) {
    loader.catchUp(info);
    LoadedCollection lc = collections.get(info.id());
    if (lc != null) {
      lc.growing().advanceTSafe(tick);
    }
  }

  /** Applies every message written to the collection's channels so far. */
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
  public void segmentsFlushed(List<SegmentInfo> seal) {
    handOff.segmentsFlushed(seal);
  }

  /** Lets go of a dropped partition's sealed segments and growing rows. */
  public void partitionDropped(long collectionId, String partition) {
    handOff.partitionDropped(collectionId, partition);
  }

  /**
   * Compaction's hand-off: the merged segment (with the indexes built for it) replaces the
   * segments it merges. Taken under the write lock, so searches in flight finish on the old
   * segments' mappings before they are closed; the caller deletes the old files afterwards.
   */
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    handOff.segmentsCompacted(replaced, merged);
  }

  /**
   * The damage that keeps the table from being read, if any: a damaged file of a segment the
   * catalog still lists.
   */
  public Optional<Damage> unreadable(CollectionInfo info) {
    return collections.unreadable(info);
  }

  /**
   * Fails with 54000 when a search would rank more than {@link SearchRequest#MAX_DEPTH} rows: k
   * plus the offset, or the rows of the table if it has fewer (a LIMIT beyond them is harmless).
   */
  private static void checkDepth(LoadedCollection lc, CollectionInfo info, SearchRequest request) {
    if (request.depth() <= SearchRequest.MAX_DEPTH) {
      return;
    }
    long rows = 0;
    for (RowSet rs : lc.rowSets()) {
      rows += rs.size();
    }
    if (Math.min(request.depth(), rows) > SearchRequest.MAX_DEPTH) {
      throw QuiverException.of(ErrorCode.PROGRAM_LIMIT_EXCEEDED,
          "k too large: a vector search on table \"%s\" ranks at most %d rows (LIMIT plus "
              + "OFFSET), got %d", info.name(), SearchRequest.MAX_DEPTH, request.depth());
    }
  }

  /** The k nearest visible rows at {@code readTs}. */
  public ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    LoadedCollection lc = collections.require(info, request.partitions());
    CollectionSchema schema = info.schema();
    int vectorIndex = schema.indexOf(request.vectorField());
    if (vectorIndex < 0 || !schema.fields().get(vectorIndex).isVector()) {
      throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
          "vector column \"%s\" does not exist in table \"%s\"", request.vectorField(), info.name());
    }
    int dim = schema.fields().get(vectorIndex).dimension();
    float[] q = request.query();
    if (q.length != dim) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "query vector has %d dimensions, column \"%s\" has %d", q.length, request.vectorField(), dim);
    }
    int[] outputs = outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), schema);
    int pk = schema.primaryKeyIndex();
    // Only the cosine kernels read the query's norm.
    float qNorm = request.metric() == IndexMetric.COSINE
        ? (float) Math.sqrt(VectorKernels.normSquared(q, 0, dim)) : 0f;
    if (request.k() == 0) {
      return new ResultRows(request.outputFields(), List.of(), new double[0]);
    }
    TopKCollector top = new TopKCollector(request.depth());
    IndexMetric indexMetric = request.metric();
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      checkDepth(lc, info, request);
      boolean anyDeletes = !lc.deletes().isEmpty();
      for (RowSet rs : lc.rowSets()) {
        if (!rs.in(request.partitions())) {
          continue;
        }
        IntPredicate visible = lc.visibleRows(rs, pk, filter, readTs);
        SegmentIndexes.LoadedIndex index = request.options().exactOnly() ? null
            : lc.indexes().find(rs.segmentId(), request.vectorField(), indexMetric);
        // Every row visible and no filter: the graph search needs no acceptance test per node.
        boolean allVisible = filter == RowPredicate.ALL && !anyDeletes
            && index != null && index.maxInsertTs() <= readTs;
        // An index holds no row whose vector is NULL, so its count of passing rows leaves them out.
        IntPredicate withVector = visible.and(r -> !isNullVector(rs, vectorIndex, r, dim));
        if (index == null || !searchIndexed(index, rs, allVisible ? null : withVector,
            filter != RowPredicate.ALL, vectorIndex, dim, q, qNorm, request, top)) {
          searchExact(rs, visible, filter != RowPredicate.ALL, vectorIndex, dim,
              new float[][] {q}, new float[] {qNorm}, request.metric(), new TopKCollector[] {top});
        }
      }
      int missing = request.depth() - top.size();
      List<NullHit> nulls = missing > 0 && ranksNullLast(info, request)
          ? nullVectorRows(lc, request, pk, filter, readTs, vectorIndex, dim, missing) : List.of();
      // Projected under the read lock: a sealed segment's vectors are unmapped once it is released.
      return result(request, top, nulls, outputs);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /**
   * Whether a search ranks the rows whose vector is NULL after the others, as pgvector's exact
   * scan does, rather than leaving them out, as its index scans do: when it is answered without an
   * index, because the column has none for the metric or the search asks to be exact. Decided by
   * the catalog, not by which segments have their index built yet, so that an answer does not
   * change with a FLUSH.
   */
  private boolean ranksNullLast(CollectionInfo info, SearchRequest request) {
    return request.options().exactOnly() || indexCatalog.of(info.id()).stream().noneMatch(
        i -> i.field().equals(request.vectorField()) && i.metric() == request.metric());
  }

  /** A visible row whose vector is NULL: no distance ranks it. */
  private record NullHit(RowSet rowSet, int row) {}

  private static boolean isNullVector(RowSet rs, int vectorIndex, int row, int dim) {
    VectorColumn mapped = rs.rows().mapped(vectorIndex);
    return mapped != null ? NullVectors.isNull(mapped, row)
        : NullVectors.isNull(rs.rows().vectors(vectorIndex), row, dim);
  }

  /**
   * Up to {@code wanted} visible rows that pass the filter and whose vector is NULL, in row set
   * order: what a search without an index ranks after every distance, as PostgreSQL's ascending
   * sort puts NULL last.
   */
  private static List<NullHit> nullVectorRows(LoadedCollection lc, SearchRequest request, int pk,
      RowPredicate filter, long readTs, int vectorIndex, int dim, int wanted) {
    List<NullHit> out = new ArrayList<>();
    for (RowSet rs : lc.rowSets()) {
      if (out.size() >= wanted) {
        break;
      }
      if (!rs.in(request.partitions())) {
        continue;
      }
      IntPredicate visible = lc.visibleRows(rs, pk, filter, readTs);
      for (int r = 0, n = rs.size(); r < n && out.size() < wanted; r++) {
        if (isNullVector(rs, vectorIndex, r, dim) && visible.test(r)) {
          out.add(new NullHit(rs, r));
        }
      }
    }
    return out;
  }

  /**
   * The rows of {@code top}, then those of {@code nulls} (distance NaN: NULL), after the request's
   * offset, projected, with their distances.
   */
  private static ResultRows result(SearchRequest request, TopKCollector top, List<NullHit> nulls,
      int[] outputs) {
    TopKCollector.Hit[] hits = top.sorted();
    int total = hits.length + nulls.size();
    int from = Math.min(request.offset(), total);
    List<Object[]> out = new ArrayList<>(total - from);
    double[] distances = new double[total - from];
    for (int i = from; i < total; i++) {
      if (i < hits.length) {
        TopKCollector.Hit h = hits[i];
        out.add(project(h.rowSet().rows(), h.row(), outputs));
        double d = h.distance();
        distances[i - from] = request.metric() == IndexMetric.L2 ? Math.sqrt(d) : d;
      } else {
        NullHit h = nulls.get(i - hits.length);
        out.add(project(h.rowSet().rows(), h.row(), outputs));
        distances[i - from] = Double.NaN;
      }
    }
    return new ResultRows(request.outputFields(), out, distances);
  }

  /**
   * Exact k-NN for many query vectors in one pass over the data: each visible row's vector is read
   * once (from the mapped segment or the heap) and compared with every query while it is in the
   * cache, instead of streaming the whole table once per query. {@code request} gives the
   * vector column, metric, k, offset, filter and outputs; its own query vector is ignored. The
   * answers are those of {@link #search} with {@link SearchOptions#exactOnly}, in query order.
   */
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<float[]> queries, long readTs) {
    LoadedCollection lc = collections.require(info, request.partitions());
    CollectionSchema schema = info.schema();
    int vectorIndex = schema.indexOf(request.vectorField());
    if (vectorIndex < 0 || !schema.fields().get(vectorIndex).isVector()) {
      throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
          "vector column \"%s\" does not exist in table \"%s\"", request.vectorField(), info.name());
    }
    int dim = schema.fields().get(vectorIndex).dimension();
    int nq = queries.size();
    float[][] q = new float[nq][];
    float[] qNorms = new float[nq];
    for (int i = 0; i < nq; i++) {
      q[i] = queries.get(i);
      if (q[i].length != dim) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "query vector %d has %d dimensions, column \"%s\" has %d", i, q[i].length,
            request.vectorField(), dim);
      }
      qNorms[i] = (float) Math.sqrt(VectorKernels.normSquared(q[i], 0, dim));
    }
    int[] outputs = outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), schema);
    int pk = schema.primaryKeyIndex();
    List<ResultRows> results = new ArrayList<>(nq);
    if (request.k() == 0) {
      for (int i = 0; i < nq; i++) {
        results.add(new ResultRows(request.outputFields(), List.of(), new double[0]));
      }
      return results;
    }
    TopKCollector[] tops = new TopKCollector[nq];
    for (int i = 0; i < nq; i++) {
      tops[i] = new TopKCollector(request.depth());
    }
    IndexMetric metric = request.metric();
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      checkDepth(lc, info, request);
      for (RowSet rs : lc.rowSets()) {
        if (!rs.in(request.partitions())) {
          continue;
        }
        searchExact(rs, lc.visibleRows(rs, pk, filter, readTs), filter != RowPredicate.ALL,
            vectorIndex, dim, q, qNorms, metric, tops);
      }
      for (TopKCollector top : tops) {
        results.add(result(request, top, nullVectorRows(lc, request, pk, filter, readTs,
            vectorIndex, dim, request.depth() - top.size()), outputs));
      }
      return results;
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  private static double distance(IndexMetric metric, float[] q, float qNorm, float[] vectors,
      int row, int dim) {
    return metric.distance(q, qNorm, vectors, row * dim, dim);
  }

  private static double distance(IndexMetric metric, float[] q, float qNorm, MemorySegment vectors,
      long offset, int dim) {
    return metric.distance(q, qNorm, vectors, offset, dim);
  }

  /** The distance to row {@code row} of a segment's vector column, mapped or on the heap. */
  private static double distance(IndexMetric metric, float[] q, float qNorm, RowSet rs,
      int vectorIndex, int row, int dim) {
    VectorColumn mapped = rs.rows().mapped(vectorIndex);
    if (mapped == null) {
      return distance(metric, q, qNorm, rs.rows().vectors(vectorIndex), row, dim);
    }
    int c = mapped.chunkOf(row);
    return distance(metric, q, qNorm, mapped.chunk(c),
        (long) (row - mapped.chunkStart(c)) * dim * Float.BYTES, dim);
  }

  /** Rows scored per kernel call by an unfiltered exact scan: their distances stay in L1. */
  private static final int SCAN_BLOCK = 256;

  /**
   * Scans the rows of {@code rs} that {@code visible} lets through for each query {@code q[i]}
   * into {@code tops[i]}: the one exact scan behind search and batch search, so both score a row
   * with the same kernel and find the same distances. Unfiltered (nearly every row visible), a
   * mapped segment is scored a block of rows per kernel call, each block for every query while it
   * is in cache, and visibility is tested only for rows near enough to enter a top k; filtered,
   * only passing rows are scored.
   */
  private static void searchExact(RowSet rs, IntPredicate visible, boolean filtered,
      int vectorIndex, int dim, float[][] q, float[] qNorms, IndexMetric metric,
      TopKCollector[] tops) {
    VectorColumn mapped = rs.rows().mapped(vectorIndex);
    long stride = (long) dim * Float.BYTES;
    if (mapped != null && !filtered) {
      float[] block = new float[SCAN_BLOCK];
      for (int c = 0; c < mapped.chunkCount(); c++) {
        MemorySegment chunk = mapped.chunk(c);
        int first = mapped.chunkStart(c);
        int n = mapped.chunkRows(c);
        for (int i = 0; i < n; i += SCAN_BLOCK) {
          int m = Math.min(SCAN_BLOCK, n - i);
          for (int j = 0; j < q.length; j++) {
            metric.distances(q[j], qNorms[j], chunk, i * stride, dim, m, block);
            TopKCollector top = tops[j];
            double threshold = top.threshold();
            for (int b = 0; b < m; b++) {
              if (block[b] < threshold && visible.test(first + i + b)) {
                top.offer(block[b], rs, first + i + b);
                threshold = top.threshold();
              }
            }
          }
        }
      }
      return;
    }
    float[] heap = mapped == null ? rs.rows().vectors(vectorIndex) : null;
    for (int r = 0, n = rs.size(); r < n; r++) {
      if (!visible.test(r)) {
        continue;
      }
      MemorySegment chunk = null;
      long offset = 0;
      if (mapped != null) {
        int c = mapped.chunkOf(r);
        chunk = mapped.chunk(c);
        offset = (r - mapped.chunkStart(c)) * stride;
      }
      for (int j = 0; j < q.length; j++) {
        double d = chunk != null ? distance(metric, q[j], qNorms[j], chunk, offset, dim)
            : distance(metric, q[j], qNorms[j], heap, r, dim);
        if (d < tops[j].threshold()) {
          tops[j].offer(d, rs, r);
        }
      }
    }
  }

  /**
   * Searches a segment through its index; false when an exact search of the segment is the better
   * (or the only correct) answer: a filter that few rows pass is answered by scanning those rows,
   * and an index search that finds fewer rows than it should is not trusted.
   */
  private static boolean searchIndexed(SegmentIndexes.LoadedIndex index, RowSet rs,
      IntPredicate visible, boolean filtered, int vectorIndex, int dim, float[] q, float qNorm,
      SearchRequest request, TopKCollector top) {
    int n = rs.size();
    // Structures sized by k: a LIMIT far beyond the segment must not allocate for rows it lacks.
    int depth = Math.min(request.depth(), n);
    boolean graph = index.info().method() == IndexMethod.HNSW;
    int ef = request.options().efFor(depth, index.info());
    // A graph search scores about ef * D nodes, D the base layer's degree: a segment no larger is
    // scanned exactly, which costs no more and is exact. (An IVF search never visits more than
    // the segment.)
    int degree = graph ? HnswIndex.baseDegree(index.info().m()) : 0;
    if (graph && n <= (long) ef * degree) {
      return false;
    }
    int passing = n;
    if (filtered && visible != null) {
      passing = 0;
      for (int r = 0; r < n; r++) {
        passing += visible.test(r) ? 1 : 0;
      }
      // A filtered graph search scores about ef * D / s nodes for a share s = passing / n of
      // passing rows; scanning the passing rows costs about passing. Scanning is cheaper when
      // passing < sqrt(ef * D * n). An IVF scan tests the filter on the probed rows only.
      double scanCutoff = graph ? Math.sqrt((double) ef * degree * n) : 0;
      if (passing <= Math.max(4L * depth, scanCutoff)) {
        return false;
      }
    }
    int nprobe = request.options().nprobeFor(index.info());
    if (!graph && passing < n) {
      // A filter that a share s of the rows pass leaves about s of each list: probing nprobe / s
      // lists sees as many passing rows as an unfiltered search sees rows, so recall holds.
      nprobe = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(nprobe * (double) n / passing));
    }
    int[] found = index.index().search(q, depth, new SearchParams(ef, nprobe), visible);
    if (found.length < Math.min(depth, passing)) {
      return false;
    }
    for (int r : found) {
      // The index's heap copy when it keeps one: the same floats and the same summation order as
      // the mapped kernel, so the same distance, without a cache miss per candidate.
      float[] held = index.index().heapVector(r);
      double d = held != null ? distance(request.metric(), q, qNorm, held, 0, dim)
          : distance(request.metric(), q, qNorm, rs, vectorIndex, r, dim);
      if (d < top.threshold()) {
        top.offer(d, rs, r);
      }
    }
    return true;
  }
  /** The visible rows at {@code readTs} that pass the filter (and have one of its keys). */
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    if (request.keys() != null) {
      return getByKeys(info, request, readTs);
    }
    List<Object[]> out = new ArrayList<>();
    try (RowScan scan = scan(info, request, readTs)) {
      scan.forEachRemaining(out::add);
    }
    return new ResultRows(request.outputFields(), out, null);
  }

  /**
   * The visible rows at {@code readTs} that pass the filter, read as the caller takes them (see
   * {@link RowScan}); {@code request} has no keys.
   */
  public RowScan scan(CollectionInfo info, QueryRequest request, long readTs) {
    LoadedCollection lc = collections.require(info, request.partitions());
    int[] outputs = outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), info.schema());
    long limit = request.limit() < 0 ? Long.MAX_VALUE : request.limit();
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      List<RowSet> sets = lc.rowSets().stream().filter(rs -> rs.in(request.partitions()))
          .toList();
      return new RowScan(lc, sets, outputs, filter, info.schema().primaryKeyIndex(), readTs,
          limit);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /**
   * The visible rows at {@code readTs} whose primary key is one of {@code request.keys()}, in the
   * requested partitions, and that pass the filter, found by key in each row set rather than by
   * reading every row.
   */
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    LoadedCollection lc = collections.require(info, request.partitions());
    CollectionSchema schema = info.schema();
    int[] outputs = outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), schema);
    int pk = schema.primaryKeyIndex();
    long limit = request.limit() < 0 ? Long.MAX_VALUE : request.limit();
    List<Object> keys = request.keys().stream().distinct().toList();
    List<Object[]> out = new ArrayList<>();
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      List<RowSet> held = lc.rowSets();
      for (RowSet rs : held) {
        if (!rs.in(request.partitions())) {
          continue;
        }
        ColumnBatch rows = rs.rows();
        IntPredicate visible = lc.visibleRows(rs, pk, filter, readTs);
        for (Object key : keys) {
          for (int r : keyLookup.rowsOf(rs, pk, key)) {
            if (out.size() < limit && visible.test(r)) {
              out.add(project(rows, r, outputs));
            }
          }
        }
      }
      keyLookup.retain(held);
    } finally {
      lc.lock.readLock().unlock();
    }
    return new ResultRows(request.outputFields(), out, null);
  }

  private static int[] outputIndexes(CollectionInfo info, List<String> fields) {
    int[] indexes = new int[fields.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = info.schema().indexOf(fields.get(i));
      if (indexes[i] < 0) {
        throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
            "column \"%s\" does not exist in table \"%s\"", fields.get(i), info.name());
      }
    }
    return indexes;
  }

  static Object[] project(ColumnBatch rows, int row, int[] outputs) {
    Object[] values = new Object[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      int c = outputs[i];
      FieldSchema field = rows.schema().fields().get(c);
      if (field.isVector()) {
        int dim = field.dimension();
        VectorColumn mapped = rows.mapped(c);
        float[] vector = mapped != null ? mapped.row(row)
            : Arrays.copyOfRange(rows.vectors(c), row * dim, (row + 1) * dim);
        values[i] = NullVectors.isNull(vector, 0, dim) ? null : vector;
      } else {
        values[i] = rows.scalars(c)[row];
      }
    }
    return values;
  }
}
