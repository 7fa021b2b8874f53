package org.quiver.storage.column;

import java.util.Objects;
import org.quiver.storage.vector.NullVectors;

/** A column of float vectors held on the heap as one flat array, row after row. */
public final class HeapVectorColumn implements FloatVectorColumn {
  private final int dimension;
  private final float[] flat;

  /**
   * A column of the {@code dimension}-float vectors in {@code flat}, a NULL row being all NaN;
   * takes {@code flat} over, so the caller must not change it afterwards.
   */
  public HeapVectorColumn(int dimension, float[] flat) {
    if (dimension < 1 || flat.length % dimension != 0) {
      throw new IllegalArgumentException(
          flat.length + " floats do not make vectors of dimension " + dimension);
    }
    this.dimension = dimension;
    this.flat = flat;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    return flat.length / dimension;
  }

  @Override
  public boolean isNull(int row) {
    return NullVectors.isNull(flat, Objects.checkIndex(row, size()), dimension);
  }

  @Override
  public void copyRow(int row, float[] out, int at) {
    System.arraycopy(flat, Objects.checkIndex(row, size()) * dimension, out, at, dimension);
  }

  /** The column's own array, shared for speed: callers must not change it. */
  @Override
  public float[] flat() {
    return flat;
  }
}
