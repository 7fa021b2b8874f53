package org.quiver.storage.column;

import java.util.Objects;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.vector.NullVectors;

/** A column of vectors held on the heap as one flat array of floats, row after row. */
public final class HeapVectorColumn implements FloatVectorColumn {
  private final DataType type;
  private final int dimension;
  private final float[] flat;

  /**
   * A column of {@code type} (a vector type) of the {@code dimension}-float vectors in
   * {@code flat}, a NULL row being all NaN; takes {@code flat} over, so the caller must not change
   * it afterwards. The floats of a FLOAT16_VECTOR column are taken as they are: {@link
   * ColumnBuilder} rounds what enters it to float16, and files and the log store float16, so the
   * columns the engine keeps hold floats that float16 holds exactly.
   */
  public HeapVectorColumn(DataType type, int dimension, float[] flat) {
    if (!type.isVector()) {
      throw new IllegalArgumentException(type + " is not a vector type");
    }
    if (dimension < 1 || flat.length % dimension != 0) {
      throw new IllegalArgumentException(
          flat.length + " floats do not make vectors of dimension " + dimension);
    }
    this.type = type;
    this.dimension = dimension;
    this.flat = flat;
  }

  /** A FLOAT_VECTOR column of the vectors in {@code flat}, as above. */
  public HeapVectorColumn(int dimension, float[] flat) {
    this(DataType.FLOAT_VECTOR, dimension, flat);
  }

  @Override
  public DataType type() {
    return type;
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
