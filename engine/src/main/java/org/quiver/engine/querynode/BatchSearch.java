package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.vector.VectorKernels;

/**
 * Exact k-NN for many query vectors in one pass over the data: each visible row's vector is read
 * once (from the mapped segment or the heap) and compared with every query while it is in the
 * cache, instead of streaming the whole table once per query.
 *
 * <p>Holds no state of its own; a batch holds the collection's read lock from its last check to
 * its projected results.
 */
final class BatchSearch {
  private final LoadedCollections collections;

  BatchSearch(LoadedCollections collections) {
    this.collections = collections;
  }

  /** See {@link QueryNode#searchBatch}: float {@code queries} against a float column. */
  List<ResultRows> search(CollectionInfo info, SearchRequest request, List<float[]> queries,
      long readTs) {
    LoadedCollection lc = collections.require(info, request.partitions());
    CollectionSchema schema = info.schema();
    int vectorIndex = SearchHits.vectorColumn(info, request);
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
    int[] outputs = RowProjection.outputIndexes(info, request.outputFields());
    RowPredicate filter = RowPredicate.compile(request.filter(), schema);
    int pk = schema.primaryKeyIndex();
    List<ResultRows> results = new ArrayList<>(nq);
    if (request.k() == 0) {
      for (int i = 0; i < nq; i++) {
        results.add(new RowProjection(schema, request.outputFields(), outputs)
            .result(new double[0]));
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
      SearchHits.checkDepth(lc, info, request);
      for (RowSet rs : lc.rowSets()) {
        if (!rs.in(request.partitions())) {
          continue;
        }
        ExactScanner.scan(rs, lc.visibleRows(rs, pk, filter, readTs), filter != RowPredicate.ALL,
            vectorIndex, dim, q, qNorms, metric, tops);
      }
      for (TopKCollector top : tops) {
        results.add(SearchHits.result(info, request, top, SearchHits.nullVectorRows(lc, request, pk,
            filter, readTs, vectorIndex, dim, request.depth() - top.size()), outputs));
      }
      return results;
    } finally {
      lc.lock.readLock().unlock();
    }
  }
}
