package org.quiver.engine.querynode;

import java.util.List;
import java.util.function.IntPredicate;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.BitHnswIndex;
import org.quiver.storage.index.HnswIndex;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.SearchParams;
import org.quiver.storage.index.SegmentIndex;
import org.quiver.storage.index.SparseHnswIndex;
import org.quiver.storage.index.VectorIndex;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.vector.SparseVector;
import org.quiver.storage.vector.VectorKernels;

/**
 * Answers a k-NN search of one query vector, bit string or sparse vector: per row set it picks the segment's
 * index (when one of the query's metric is open and cheaper than scanning) or the
 * {@link ExactScanner}, merges the candidates into one top k, and ranks the rows whose vector is
 * NULL last when no index answers the column.
 *
 * <p>Holds no state of its own; a search holds the collection's read lock from its last check to
 * its projected result, so no segment it reads is unmapped meanwhile.
 */
final class SearchPlanner {
  private final LoadedCollections collections;
  private final IndexCatalog indexCatalog;

  SearchPlanner(LoadedCollections collections, IndexCatalog indexCatalog) {
    this.collections = collections;
    this.indexCatalog = indexCatalog;
  }

  /** The k nearest visible rows at {@code readTs}. */
  ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    LoadedCollection lc = collections.require(info, request.partitions());
    CollectionSchema schema = info.schema();
    int vectorIndex = SearchHits.vectorColumn(info, request);
    int dim = schema.fields().get(vectorIndex).dimension();
    Query query = query(request, dim);
    int[] outputs = RowProjection.outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), schema);
    int pk = schema.primaryKeyIndex();
    if (request.k() == 0) {
      return new RowProjection(schema, request.outputFields(), outputs).result(new double[0]);
    }
    TopKCollector top = new TopKCollector(request.depth());
    IndexMetric indexMetric = request.metric();
    // A cosine index holds no row of zeros (IndexMetric.indexedRows): when the column has one,
    // such rows are left out of the answer on every segment, scanned or not, as NULL rows are, so
    // that the answer does not change with a FLUSH or with the size of a segment.
    boolean leaveOutZeros = indexMetric == IndexMetric.COSINE && query instanceof FloatQuery
        && !ranksNullLast(info, request);
    lc.lock.readLock().lock();
    try {
      LoadedCollections.checkHeld(lc, info, request.partitions());
      SearchHits.checkDepth(lc, info, request);
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
        IntPredicate withVector =
            visible.and(r -> !SearchHits.isNullVector(rs, vectorIndex, r, dim));
        if (index == null || !searchIndexed(index, rs, allVisible ? null : withVector,
            filter != RowPredicate.ALL, vectorIndex, dim, query, request, top)) {
          // The zero test is for scans only: the index holds no such row to test. (Its count of
          // passing rows may then include a zero row, which at worst sends a search that finds
          // fewer rows than pass to this scan.)
          IntPredicate scanned = leaveOutZeros
              ? visible.and(SearchHits.zeroVectors(rs, vectorIndex, dim).negate()) : visible;
          query.scan(rs, scanned, filter != RowPredicate.ALL, vectorIndex, dim, indexMetric, top);
        }
      }
      int missing = request.depth() - top.size();
      List<SearchHits.NullHit> nulls = missing > 0 && ranksNullLast(info, request)
          ? SearchHits.nullVectorRows(lc, request, pk, filter, readTs, vectorIndex, dim, missing)
          : List.of();
      // Projected under the read lock: a sealed segment's vectors are unmapped once it is released.
      return SearchHits.result(info, request, top, nulls, outputs);
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /**
   * The request's query checked against the column: a float vector of its dimension, or a bit
   * string of its length (22000 naming both otherwise).
   */
  private static Query query(SearchRequest request, int dim) {
    if (request.query() instanceof SearchVector.Sparse sparse) {
      if (sparse.dimension() != dim) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "different sparsevec dimensions %d and %d: query and column \"%s\"",
            sparse.dimension(), dim, request.vectorField());
      }
      return new SparseQuery(sparse.vector());
    }
    if (request.query() instanceof SearchVector.Bits bits) {
      if (bits.length() != dim) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "different bit lengths %d and %d: query and column \"%s\"", bits.length(), dim,
            request.vectorField());
      }
      return new BitQuery(bits.packed());
    }
    float[] q = request.floats();
    if (q.length != dim) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "query vector has %d dimensions, column \"%s\" has %d", q.length,
          request.vectorField(), dim);
    }
    // Only the cosine kernels read the query's norm.
    float qNorm = request.metric() == IndexMetric.COSINE
        ? (float) Math.sqrt(VectorKernels.normSquared(q, 0, dim)) : 0f;
    return new FloatQuery(q, qNorm);
  }

  /**
   * One search's query with the three things a segment does with it: scan exactly, search an
   * index, score one row found by the index.
   */
  private sealed interface Query {
    void scan(RowSet rs, IntPredicate visible, boolean filtered, int vectorIndex, int dim,
        IndexMetric metric, TopKCollector top);

    int[] searchIndex(SegmentIndex index, int depth, SearchParams params, IntPredicate accept);

    /** A distance function of rows for one segment (not thread-safe: it may hold scratch). */
    RowDistance distances(RowSet rs, int vectorIndex, int dim, IndexMetric metric);
  }

  @FunctionalInterface
  private interface RowDistance {
    double of(int row);
  }

  private record FloatQuery(float[] q, float qNorm) implements Query {
    @Override
    public void scan(RowSet rs, IntPredicate visible, boolean filtered, int vectorIndex, int dim,
        IndexMetric metric, TopKCollector top) {
      ExactScanner.scan(rs, visible, filtered, vectorIndex, dim, new float[][] {q},
          new float[] {qNorm}, metric, new TopKCollector[] {top});
    }

    @Override
    public int[] searchIndex(SegmentIndex index, int depth, SearchParams params,
        IntPredicate accept) {
      return ((VectorIndex) index).search(q, depth, params, accept);
    }

    @Override
    public RowDistance distances(RowSet rs, int vectorIndex, int dim, IndexMetric metric) {
      float[] scratch = new float[dim];
      return r -> ExactScanner.distance(metric, q, qNorm, rs, vectorIndex, r, dim, scratch);
    }
  }

  private record BitQuery(byte[] q) implements Query {
    @Override
    public void scan(RowSet rs, IntPredicate visible, boolean filtered, int vectorIndex, int dim,
        IndexMetric metric, TopKCollector top) {
      ExactScanner.scanBits(rs, bits(rs, vectorIndex), visible, q, metric, top);
    }

    @Override
    public int[] searchIndex(SegmentIndex index, int depth, SearchParams params,
        IntPredicate accept) {
      return ((BitHnswIndex) index).search(q, depth, params.ef(), accept);
    }

    @Override
    public RowDistance distances(RowSet rs, int vectorIndex, int dim, IndexMetric metric) {
      BinaryVectorColumn bits = bits(rs, vectorIndex);
      return r -> ExactScanner.distance(metric, bits, r, q);
    }

    private static BinaryVectorColumn bits(RowSet rs, int vectorIndex) {
      return (BinaryVectorColumn) rs.rows().column(vectorIndex);
    }
  }

  private record SparseQuery(SparseVector q) implements Query {
    @Override
    public void scan(RowSet rs, IntPredicate visible, boolean filtered, int vectorIndex, int dim,
        IndexMetric metric, TopKCollector top) {
      ExactScanner.scanSparse(rs, sparse(rs, vectorIndex), visible, q, metric, top);
    }

    @Override
    public int[] searchIndex(SegmentIndex index, int depth, SearchParams params,
        IntPredicate accept) {
      return ((SparseHnswIndex) index).search(q, depth, params.ef(), accept);
    }

    @Override
    public RowDistance distances(RowSet rs, int vectorIndex, int dim, IndexMetric metric) {
      SparseVectorColumn sparse = sparse(rs, vectorIndex);
      return r -> metric.distance(sparse, r, q);
    }

    private static SparseVectorColumn sparse(RowSet rs, int vectorIndex) {
      return (SparseVectorColumn) rs.rows().column(vectorIndex);
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

  /**
   * Searches a segment through its index; false when an exact search of the segment is the better
   * (or the only correct) answer: a filter that few rows pass is answered by scanning those rows,
   * and an index search that finds fewer rows than it should is not trusted.
   */
  private static boolean searchIndexed(SegmentIndexes.LoadedIndex index, RowSet rs,
      IntPredicate visible, boolean filtered, int vectorIndex, int dim, Query query,
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
    int[] found = query.searchIndex(index.index(), depth,
        new SearchParams(ef, nprobe, index.info().rerank()), visible);
    if (found.length < Math.min(depth, passing)) {
      return false;
    }
    RowDistance distance = query.distances(rs, vectorIndex, dim, request.metric());
    for (int r : found) {
      double d = distance.of(r);
      if (d <= top.limit()) {
        top.offer(d, rs, r);
      }
    }
    return true;
  }
}
