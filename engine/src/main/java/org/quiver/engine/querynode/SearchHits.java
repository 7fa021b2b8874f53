package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.expr.RowPredicate;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;

/**
 * What search and batch search share around their scans: the bound on how many rows a search
 * ranks, the rows whose vector is NULL that rank after every distance, and the result rows made of
 * a top k. Stateless; call it with the collection's read lock held.
 */
final class SearchHits {
  /** A visible row whose vector is NULL: no distance ranks it. */
  record NullHit(RowSet rowSet, int row) {}

  private SearchHits() {}

  /**
   * The index of the request's vector column in the table: a float vector column for a float
   * query, a bit-string column for a bit-string one, a sparse vector column for a sparse one;
   * 42703 when there is no such column.
   */
  static int vectorColumn(CollectionInfo info, SearchRequest request) {
    int vectorIndex = info.schema().indexOf(request.vectorField());
    FieldSchema field = vectorIndex < 0 ? null : info.schema().fields().get(vectorIndex);
    boolean fits = field != null && switch (request.query()) {
      case SearchVector.Floats f -> field.isVector();
      case SearchVector.Bits b -> field.type() == DataType.BINARY_VECTOR;
      case SearchVector.Sparse s -> field.type() == DataType.SPARSE_FLOAT_VECTOR;
    };
    if (!fits) {
      String kind = switch (request.query()) {
        case SearchVector.Floats f -> "vector";
        case SearchVector.Bits b -> "bit-string";
        case SearchVector.Sparse s -> "sparse vector";
      };
      throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
          "%s column \"%s\" does not exist in table \"%s\"", kind,
          request.vectorField(), info.name());
    }
    return vectorIndex;
  }

  /**
   * Fails with 54000 when a search would rank more than {@link SearchRequest#MAX_DEPTH} rows: k
   * plus the offset, or the rows of the table if it has fewer (a LIMIT beyond them is harmless).
   */
  static void checkDepth(LoadedCollection lc, CollectionInfo info, SearchRequest request) {
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

  static boolean isNullVector(RowSet rs, int vectorIndex, int row, int dim) {
    if (rs.rows().column(vectorIndex) instanceof BinaryVectorColumn bits) {
      return bits.isNull(row);
    }
    if (rs.rows().column(vectorIndex) instanceof SparseVectorColumn sparse) {
      return sparse.isNull(row);
    }
    VectorColumn mapped = rs.rows().mapped(vectorIndex);
    return mapped != null ? NullVectors.isNull(mapped, row)
        : NullVectors.isNull(rs.rows().vectors(vectorIndex), row, dim);
  }

  /**
   * Which rows of a float vector column of {@code rs} are all zeros (squared norm 0, as
   * {@link IndexMetric#indexedRows} decides which rows a cosine index leaves out); a NULL row is
   * not. Not thread-safe: a float16 row is decoded into scratch of its own.
   */
  static IntPredicate zeroVectors(RowSet rs, int vectorIndex, int dim) {
    float[] origin = new float[dim];
    float[] scratch = new float[dim];
    float[] heap = rs.rows().mapped(vectorIndex) == null ? rs.rows().vectors(vectorIndex) : null;
    // A row on the heap whose first element is not 0 is not zero: most rows stop there.
    return r -> (heap == null || heap[r * dim] * heap[r * dim] == 0)
        && ExactScanner.distance(IndexMetric.L2, origin, 0f, rs, vectorIndex, r, dim, scratch)
        == 0;
  }

  /**
   * Up to {@code wanted} visible rows that pass the filter and whose vector is NULL, in row set
   * order: what a search without an index ranks after every distance, as PostgreSQL's ascending
   * sort puts NULL last.
   */
  static List<NullHit> nullVectorRows(LoadedCollection lc, SearchRequest request, int pk,
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
  static ResultRows result(CollectionInfo info, SearchRequest request, TopKCollector top,
      List<NullHit> nulls, int[] outputs) {
    TopKCollector.Hit[] hits = top.sorted();
    int total = hits.length + nulls.size();
    int from = Math.min(request.offset(), total);
    RowProjection out = new RowProjection(info.schema(), request.outputFields(), outputs);
    double[] distances = new double[total - from];
    for (int i = from; i < total; i++) {
      if (i < hits.length) {
        TopKCollector.Hit h = hits[i];
        out.add(h.rowSet(), h.row());
        double d = h.distance();
        distances[i - from] = request.metric() == IndexMetric.L2 ? Math.sqrt(d) : d;
      } else {
        NullHit h = nulls.get(i - hits.length);
        out.add(h.rowSet(), h.row());
        distances[i - from] = Double.NaN;
      }
    }
    return out.result(distances);
  }
}
