package org.quiver.storage.column;

import org.quiver.storage.schema.DataType;

/**
 * The values of one column of a batch, row by row, held in the layout its {@link DataType} names.
 *
 * <p>Implementations are immutable and thread-safe. Rows are numbered from 0 to {@code size() - 1};
 * any other row fails with {@link IndexOutOfBoundsException}.
 */
public interface Column {

  /** The storage type of the values. */
  DataType type();

  /** The number of rows. */
  int size();

  /** Whether {@code row} holds NULL. */
  boolean isNull(int row);

  /**
   * The value of {@code row} as the boxed Java type {@link DataType} names ({@code float[]}, a
   * copy, for a vector), or null for NULL.
   */
  Object get(int row);

  /** The rows at {@code rows}, in that order, as a new heap column. */
  Column select(int[] rows);

  /** Whether any row holds NULL. */
  default boolean hasNulls() {
    for (int r = 0; r < size(); r++) {
      if (isNull(r)) {
        return true;
      }
    }
    return false;
  }
}
