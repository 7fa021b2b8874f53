package org.quiver.storage.index;

import org.quiver.storage.vector.VectorColumn;
import org.quiver.storage.vector.VectorKernels;

/**
 * The vectors of a segment's rows as an index reads them for exact distances: a heap array (rows
 * one after another) or a memory-mapped {@link VectorColumn}, float32 (scored in place) or float16
 * (each row decoded into floats, then scored with the same kernels).
 */
public abstract sealed class SegmentVectors {
  private SegmentVectors() {}

  public static SegmentVectors of(float[] vectors, int dim) {
    return new Heap(vectors, dim);
  }

  public static SegmentVectors of(VectorColumn column) {
    return new Mapped(column);
  }

  public abstract int dimension();

  public abstract int rowCount();

  /** The distance from one query to a row, smaller is nearer. */
  @FunctionalInterface
  public interface Scorer {
    float distance(int row);
  }

  /**
   * The distances by {@code metric} from {@code q} to the rows, for one search: not thread-safe,
   * since a float16 column's scorer decodes each row into a scratch array of its own.
   */
  public abstract Scorer scorer(IndexMetric metric, float[] q);

  /** The Euclidean norm of {@code q} where {@code metric} reads it (cosine), else 0. */
  private static float queryNorm(IndexMetric metric, float[] q) {
    return metric == IndexMetric.COSINE
        ? (float) Math.sqrt(VectorKernels.normSquared(q, 0, q.length)) : 0f;
  }

  /** A heap copy of one row. */
  public abstract float[] row(int row);

  private static final class Heap extends SegmentVectors {
    private final float[] vectors;
    private final int dim;

    Heap(float[] vectors, int dim) {
      this.vectors = vectors;
      this.dim = dim;
    }

    @Override
    public int dimension() {
      return dim;
    }

    @Override
    public int rowCount() {
      return vectors.length / dim;
    }

    @Override
    public Scorer scorer(IndexMetric metric, float[] q) {
      float qNorm = queryNorm(metric, q);
      return row -> metric.distance(q, qNorm, vectors, row * dim, dim);
    }

    @Override
    public float[] row(int row) {
      return java.util.Arrays.copyOfRange(vectors, row * dim, (row + 1) * dim);
    }
  }

  private static final class Mapped extends SegmentVectors {
    private final VectorColumn column;

    Mapped(VectorColumn column) {
      this.column = column;
    }

    @Override
    public int dimension() {
      return column.dimension();
    }

    @Override
    public int rowCount() {
      return column.rowCount();
    }

    @Override
    public Scorer scorer(IndexMetric metric, float[] q) {
      float qNorm = queryNorm(metric, q);
      int dim = column.dimension();
      if (column.isFloat16()) {
        float[] decoded = new float[dim];
        return row -> {
          column.copyRow(row, decoded, 0);
          return metric.distance(q, qNorm, decoded, 0, dim);
        };
      }
      return row -> {
        int c = column.chunkOf(row);
        return metric.distance(q, qNorm, column.chunk(c),
            (row - column.chunkStart(c)) * column.rowBytes(), dim);
      };
    }

    @Override
    public float[] row(int row) {
      return column.row(row);
    }
  }
}
