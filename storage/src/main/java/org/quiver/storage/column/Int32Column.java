package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of INT32 values. */
public final class Int32Column extends NullableColumn {
  private final int[] values;

  /**
   * A column of {@code values}, NULL at the set bits of {@code nulls} (whose values are
   * ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public Int32Column(int[] values, BitSet nulls) {
    super(DataType.INT32, values.length, nulls);
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public int getInt(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Integer get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public Int32Column select(int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new Int32Column(out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  int[] values() {
    return values;
  }
}
