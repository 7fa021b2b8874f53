package org.quiver.storage.column;

import org.quiver.storage.vector.VectorColumn;

/**
 * A column of vectors of one dimension and type, FLOAT_VECTOR or FLOAT16_VECTOR, on the heap or
 * read in place from a mapped segment. Its values are floats either way (a float16 column's are
 * floats that float16 holds exactly); only a mapped float16 column stores float16 and decodes
 * each row it is asked for. A NULL row holds NaN floats (see
 * {@link org.quiver.storage.vector.NullVectors}).
 */
public sealed interface FloatVectorColumn extends Column
    permits HeapVectorColumn, MappedVectorColumn {

  /** The number of floats in each vector. */
  int dimension();

  /** Copies the floats of {@code row} into {@code out} from {@code at}. */
  void copyRow(int row, float[] out, int at);

  @Override
  default float[] get(int row) {
    if (isNull(row)) {
      return null;
    }
    float[] out = new float[dimension()];
    copyRow(row, out, 0);
    return out;
  }

  /** The mapped file this column reads in place, or null if it is on the heap. */
  default VectorColumn mapped() {
    return null;
  }

  /** Every row's floats, row after row, NULL rows as NaN: the column's own array if on the heap. */
  float[] flat();

  @Override
  default HeapVectorColumn select(int[] rows) {
    int dim = dimension();
    float[] out = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      copyRow(rows[i], out, i * dim);
    }
    return new HeapVectorColumn(type(), dim, out);
  }
}
