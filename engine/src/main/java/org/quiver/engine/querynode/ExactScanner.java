package org.quiver.engine.querynode;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.SparseVector;
import org.quiver.storage.vector.VectorColumn;

/**
 * The one exact scan behind search and batch search, so both score a row with the same kernel and
 * find the same distances, and the distance of one row that an index search re-scores with.
 * Stateless; call it with the collection's read lock held, since a sealed segment's vectors are
 * read from its mapping.
 */
final class ExactScanner {
  /** Rows scored per kernel call by an unfiltered exact scan: their distances stay in L1. */
  private static final int SCAN_BLOCK = 256;

  private ExactScanner() {}

  /**
   * Scans the rows of {@code rs} that {@code visible} lets through for each query {@code q[i]}
   * into {@code tops[i]}. Unfiltered (nearly every row visible), a mapped segment is scored a
   * block of rows per kernel call, each block for every query while it is in cache, and
   * visibility is tested only for rows near enough to enter a top k; filtered, only passing rows
   * are scored.
   */
  static void scan(RowSet rs, IntPredicate visible, boolean filtered, int vectorIndex, int dim,
      float[][] q, float[] qNorms, IndexMetric metric, TopKCollector[] tops) {
    VectorColumn mapped = rs.rows().mapped(vectorIndex);
    if (mapped != null && mapped.isFloat16()) {
      scanFloat16(rs, mapped, visible, filtered, dim, q, qNorms, metric, tops);
      return;
    }
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
            double limit = top.limit();
            for (int b = 0; b < m; b++) {
              if (block[b] <= limit && visible.test(first + i + b)) {
                top.offer(block[b], rs, first + i + b);
                limit = top.limit();
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
        double d = chunk != null ? metric.distance(q[j], qNorms[j], chunk, offset, dim)
            : distance(metric, q[j], qNorms[j], heap, r, dim);
        if (d <= tops[j].limit()) {
          tops[j].offer(d, rs, r);
        }
      }
    }
  }

  /**
   * {@link #scan} of a mapped float16 segment, which the kernels cannot read in place: each row
   * read is decoded once into an array of this scan's and scored for every query with the float
   * kernels. Unfiltered, visibility is tested only for rows near enough to enter a top k, as
   * above; filtered, only passing rows are decoded.
   */
  private static void scanFloat16(RowSet rs, VectorColumn mapped, IntPredicate visible,
      boolean filtered, int dim, float[][] q, float[] qNorms, IndexMetric metric,
      TopKCollector[] tops) {
    float[] row = new float[dim];
    long stride = mapped.rowBytes();
    for (int c = 0; c < mapped.chunkCount(); c++) {
      MemorySegment chunk = mapped.chunk(c);
      int first = mapped.chunkStart(c);
      for (int i = 0, n = mapped.chunkRows(c); i < n; i++) {
        int r = first + i;
        if (filtered && !visible.test(r)) {
          continue;
        }
        HalfFloats.decode(chunk, i * stride, row, 0, dim);
        for (int j = 0; j < q.length; j++) {
          float d = metric.distance(q[j], qNorms[j], row, 0, dim);
          if (d <= tops[j].limit() && (filtered || visible.test(r))) {
            tops[j].offer(d, rs, r);
          }
        }
      }
    }
  }

  /**
   * Scans the rows of a bit-string column {@code bits} that {@code visible} lets through and that
   * are not NULL (a NULL row's bytes are zeros, not a value) into {@code top}, by Hamming or
   * Jaccard distance to the packed query {@code q}, read where the rows lie.
   */
  static void scanBits(RowSet rs, BinaryVectorColumn bits, IntPredicate visible, byte[] q,
      IndexMetric metric, TopKCollector top) {
    boolean nulls = bits.hasNulls();
    for (int r = 0, n = rs.size(); r < n; r++) {
      if (nulls && bits.isNull(r)) {
        continue;
      }
      double d = distance(metric, bits, r, q);
      if (d <= top.limit() && visible.test(r)) {
        top.offer(d, rs, r);
      }
    }
  }

  /**
   * Scans the rows of a sparse vector column {@code sparse} that {@code visible} lets through and
   * that are not NULL into {@code top}, by {@code metric} (L2, IP, COSINE or L1) to {@code q},
   * read where the rows lie. A NaN distance (a cosine with a zero vector) enters no top k.
   */
  static void scanSparse(RowSet rs, SparseVectorColumn sparse, IntPredicate visible,
      SparseVector q, IndexMetric metric, TopKCollector top) {
    boolean nulls = sparse.hasNulls();
    for (int r = 0, n = rs.size(); r < n; r++) {
      if (nulls && sparse.isNull(r)) {
        continue;
      }
      double d = metric.distance(sparse, r, q);
      if (d <= top.limit() && visible.test(r)) {
        top.offer(d, rs, r);
      }
    }
  }

  /** The Hamming or Jaccard distance from row {@code row} of {@code bits} to {@code q}. */
  static double distance(IndexMetric metric, BinaryVectorColumn bits, int row, byte[] q) {
    return switch (metric) {
      case HAMMING -> bits.hamming(row, q);
      case JACCARD -> bits.jaccard(row, q);
      case L2, IP, COSINE, L1 ->
          throw new IllegalArgumentException(metric + " compares no bit strings");
    };
  }

  /** The distance to row {@code row} of vectors packed {@code dim} floats a row on the heap. */
  static double distance(IndexMetric metric, float[] q, float qNorm, float[] vectors, int row,
      int dim) {
    return metric.distance(q, qNorm, vectors, row * dim, dim);
  }

  /**
   * The distance to row {@code row} of a segment's vector column, mapped or on the heap; a mapped
   * float16 row is decoded into {@code scratch} ({@code dim} floats, the caller's own) first.
   */
  static double distance(IndexMetric metric, float[] q, float qNorm, RowSet rs, int vectorIndex,
      int row, int dim, float[] scratch) {
    VectorColumn mapped = rs.rows().mapped(vectorIndex);
    if (mapped == null) {
      return distance(metric, q, qNorm, rs.rows().vectors(vectorIndex), row, dim);
    }
    if (mapped.isFloat16()) {
      mapped.copyRow(row, scratch, 0);
      return metric.distance(q, qNorm, scratch, 0, dim);
    }
    int c = mapped.chunkOf(row);
    return metric.distance(q, qNorm, mapped.chunk(c),
        (long) (row - mapped.chunkStart(c)) * dim * Float.BYTES, dim);
  }
}
