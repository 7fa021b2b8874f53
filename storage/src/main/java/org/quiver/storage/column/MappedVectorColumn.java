package org.quiver.storage.column;

import org.quiver.storage.schema.DataType;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;

/**
 * A column of vectors of {@code type} read in place from a mapped segment file, over a
 * {@link VectorColumn} whose elements are as wide as the type's. Valid only while the mapping is
 * open, like the {@link VectorColumn} it wraps.
 */
public record MappedVectorColumn(DataType type, VectorColumn mapped) implements FloatVectorColumn {

  public MappedVectorColumn {
    if (!type.isVector() || type.elementBytes() != mapped.elementBytes()) {
      throw new IllegalArgumentException("a column of " + type + " cannot read elements of "
          + mapped.elementBytes() + " bytes");
    }
  }

  @Override
  public int dimension() {
    return mapped.dimension();
  }

  @Override
  public int size() {
    return mapped.rowCount();
  }

  @Override
  public boolean isNull(int row) {
    return NullVectors.isNull(mapped, row);
  }

  @Override
  public void copyRow(int row, float[] out, int at) {
    mapped.copyRow(row, out, at);
  }

  /** A heap copy of every row. */
  @Override
  public float[] flat() {
    float[] out = new float[size() * dimension()];
    mapped.copyAll(out);
    return out;
  }
}
