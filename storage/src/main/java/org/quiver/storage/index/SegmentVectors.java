package org.quiver.storage.index;

import java.lang.foreign.MemorySegment;
import org.quiver.storage.vector.VectorColumn;

/**
 * The vectors of a segment's rows as an index reads them for exact distances: a heap array (rows
 * one after another) or a memory-mapped {@link VectorColumn}.
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

  /** The distance by {@code metric} from {@code q} to row {@code row}, smaller is nearer. */
  public abstract float distance(IndexMetric metric, float[] q, float qNorm, int row);

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
    public float distance(IndexMetric metric, float[] q, float qNorm, int row) {
      return metric.distance(q, qNorm, vectors, row * dim, dim);
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
    public float distance(IndexMetric metric, float[] q, float qNorm, int row) {
      int c = column.chunkOf(row);
      MemorySegment chunk = column.chunk(c);
      int dim = column.dimension();
      return metric.distance(q, qNorm, chunk, (long) (row - column.chunkStart(c)) * dim * Float.BYTES,
          dim);
    }

    @Override
    public float[] row(int row) {
      return column.row(row);
    }
  }
}
