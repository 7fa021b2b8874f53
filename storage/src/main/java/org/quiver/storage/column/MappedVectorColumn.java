package org.quiver.storage.column;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.VectorColumn;

/**
 * A column of float vectors read in place from a mapped segment file, over a {@link VectorColumn}.
 * Valid only while the mapping is open, like the {@link VectorColumn} it wraps.
 */
public record MappedVectorColumn(VectorColumn mapped) implements FloatVectorColumn {
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
    int c = mapped.chunkOf(row);
    MemorySegment.copy(mapped.chunk(c), FLOAT_LE,
        (long) (row - mapped.chunkStart(c)) * dimension() * Float.BYTES, out, at, dimension());
  }

  /** A heap copy of every row. */
  @Override
  public float[] flat() {
    int dim = dimension();
    float[] out = new float[size() * dim];
    for (int c = 0; c < mapped.chunkCount(); c++) {
      MemorySegment.copy(mapped.chunk(c), FLOAT_LE, 0, out,
          mapped.chunkStart(c) * dim, mapped.chunkRows(c) * dim);
    }
    return out;
  }
}
