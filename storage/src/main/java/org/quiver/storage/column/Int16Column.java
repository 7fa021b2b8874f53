package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of INT16 values. */
public final class Int16Column extends NullableColumn {
  private final short[] values;

  /**
   * A column of {@code values}, NULL at the set bits of {@code nulls} (whose values are
   * ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public Int16Column(short[] values, BitSet nulls) {
    super(DataType.INT16, values.length, nulls);
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public short getShort(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Short get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public Int16Column select(int[] rows) {
    short[] out = new short[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new Int16Column(out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  short[] values() {
    return values;
  }
}
