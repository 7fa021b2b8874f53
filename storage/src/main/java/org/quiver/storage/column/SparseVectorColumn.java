package org.quiver.storage.column;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.vector.SparseKernels;
import org.quiver.storage.vector.SparseVector;

/**
 * A column of {@link DataType#SPARSE_FLOAT_VECTOR} values of one dimension, held on the heap as
 * three flat arrays, as Arrow's list layout holds them: the non-zero elements of row {@code r} are
 * {@code indices[offsets[r] .. offsets[r + 1])} with their {@code values}. NULL rows are marked in
 * a bitmap and have no elements.
 */
public final class SparseVectorColumn implements Column {
  private final int dimension;
  private final int size;
  private final int[] offsets;
  private final int[] indices;
  private final float[] values;
  /** Set bits are NULL rows; cloned in, never changed afterwards. */
  private final BitSet nulls;

  /**
   * A column of {@code offsets.length - 1} rows; takes the arrays over, so the caller must not
   * change them afterwards. Fails if the offsets do not ascend from 0 within the arrays, or a row
   * breaks a sparse vector's rules ({@link SparseVector}).
   */
  public SparseVectorColumn(int dimension, int[] offsets, int[] indices, float[] values,
      BitSet nulls) {
    if (dimension < 1) {
      throw new IllegalArgumentException("a sparse vector has at least 1 dimension, got "
          + dimension);
    }
    if (offsets.length < 1 || offsets[0] != 0 || indices.length != values.length
        || offsets[offsets.length - 1] > indices.length) {
      throw new IllegalArgumentException("offsets " + offsets.length + " ending at "
          + (offsets.length == 0 ? "nothing" : offsets[offsets.length - 1]) + " for "
          + indices.length + " indices and " + values.length + " values");
    }
    this.dimension = dimension;
    this.size = offsets.length - 1;
    for (int r = 0; r < size; r++) {
      if (offsets[r + 1] < offsets[r]) {
        throw new IllegalArgumentException("offset of row " + (r + 1) + " is below row " + r);
      }
      if (nulls.get(r) && offsets[r + 1] != offsets[r]) {
        throw new IllegalArgumentException("NULL row " + r + " has elements");
      }
      for (int i = offsets[r]; i < offsets[r + 1]; i++) {
        if (indices[i] < 0 || indices[i] >= dimension
            || i > offsets[r] && indices[i] <= indices[i - 1]) {
          throw new IllegalArgumentException("row " + r + ": sparse vector index " + indices[i]
              + " is not ascending within [0, " + dimension + ")");
        }
        if (values[i] == 0 || !Float.isFinite(values[i])) {
          throw new IllegalArgumentException("row " + r + ": sparse vector value " + values[i]
              + " at index " + indices[i] + " is not a finite non-zero float");
        }
      }
    }
    if (nulls.length() > size) {
      throw new IllegalArgumentException(
          "row " + (nulls.length() - 1) + " marked NULL in a column of " + size + " rows");
    }
    this.offsets = offsets;
    this.indices = indices;
    this.values = values;
    this.nulls = (BitSet) nulls.clone();
  }

  /** The column of {@code rows} (null for NULL), each of {@code dimension} dimensions. */
  public static SparseVectorColumn of(int dimension, SparseVector[] rows, int count) {
    int[] offsets = new int[count + 1];
    BitSet nulls = new BitSet();
    for (int r = 0; r < count; r++) {
      if (rows[r] == null) {
        nulls.set(r);
        offsets[r + 1] = offsets[r];
      } else {
        offsets[r + 1] = Math.addExact(offsets[r], rows[r].nonZeros());
      }
    }
    int[] indices = new int[offsets[count]];
    float[] values = new float[offsets[count]];
    for (int r = 0; r < count; r++) {
      if (rows[r] != null) {
        System.arraycopy(rows[r].indices(), 0, indices, offsets[r], rows[r].nonZeros());
        System.arraycopy(rows[r].values(), 0, values, offsets[r], rows[r].nonZeros());
      }
    }
    return new SparseVectorColumn(dimension, offsets, indices, values, nulls);
  }

  @Override
  public DataType type() {
    return DataType.SPARSE_FLOAT_VECTOR;
  }

  /** The dimension of every value. */
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isNull(int row) {
    return nulls.get(Objects.checkIndex(row, size));
  }

  @Override
  public boolean hasNulls() {
    return !nulls.isEmpty();
  }

  /** The value of {@code row} (its own arrays, copies), or null for NULL. */
  @Override
  public SparseVector get(int row) {
    if (isNull(row)) {
      return null;
    }
    return new SparseVector(dimension, Arrays.copyOfRange(indices, offsets[row], offsets[row + 1]),
        Arrays.copyOfRange(values, offsets[row], offsets[row + 1]));
  }

  /** The number of non-zero elements of {@code row}; 0 for NULL. */
  public int nonZeros(int row) {
    Objects.checkIndex(row, size);
    return offsets[row + 1] - offsets[row];
  }

  /** The squared Euclidean distance of rows {@code a} and {@code b} (a NULL row is zero). */
  public float l2Squared(int a, int b) {
    return SparseKernels.l2Squared(indices, values, start(a), offsets[a + 1],
        indices, values, start(b), offsets[b + 1]);
  }

  /** The squared Euclidean distance of {@code row} and {@code q}. */
  public float l2Squared(int row, SparseVector q) {
    return SparseKernels.l2Squared(indices, values, start(row), offsets[row + 1],
        q.indices(), q.values(), 0, q.nonZeros());
  }

  /** The taxicab (L1) distance of rows {@code a} and {@code b}. */
  public float l1(int a, int b) {
    return SparseKernels.l1(indices, values, start(a), offsets[a + 1],
        indices, values, start(b), offsets[b + 1]);
  }

  /** The taxicab (L1) distance of {@code row} and {@code q}. */
  public float l1(int row, SparseVector q) {
    return SparseKernels.l1(indices, values, start(row), offsets[row + 1],
        q.indices(), q.values(), 0, q.nonZeros());
  }

  /** The inner product of rows {@code a} and {@code b}. */
  public float dot(int a, int b) {
    return SparseKernels.dot(indices, values, start(a), offsets[a + 1],
        indices, values, start(b), offsets[b + 1]);
  }

  /** The inner product of {@code row} and {@code q}. */
  public float dot(int row, SparseVector q) {
    return SparseKernels.dot(indices, values, start(row), offsets[row + 1],
        q.indices(), q.values(), 0, q.nonZeros());
  }

  /** The squared Euclidean norm of {@code row}, summed in float. */
  public float normSquared(int row) {
    return SparseKernels.normSquared(values, start(row), offsets[row + 1]);
  }

  private int start(int row) {
    return offsets[Objects.checkIndex(row, size)];
  }

  /** The number of non-zero elements of all rows. */
  public int totalNonZeros() {
    return offsets[size];
  }

  @Override
  public SparseVectorColumn select(int[] rows) {
    SparseVector[] out = new SparseVector[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = get(rows[i]);
    }
    return of(dimension, out, rows.length);
  }

  /** The row offsets, shared: for bulk copies inside this package only. */
  int[] offsets() {
    return offsets;
  }

  /** The indices of all rows, shared: for bulk copies inside this package only. */
  int[] flatIndices() {
    return indices;
  }

  /** The values of all rows, shared: for bulk copies inside this package only. */
  float[] flatValues() {
    return values;
  }

  /** The NULL bitmap, shared: for bulk copies inside this package only. */
  BitSet nullBitmap() {
    return nulls;
  }
}
