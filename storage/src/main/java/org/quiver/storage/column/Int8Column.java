package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of INT8 values. */
public final class Int8Column extends NullableColumn {
  private final byte[] values;

  /**
   * A column of {@code values}, NULL at the set bits of {@code nulls} (whose values are
   * ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public Int8Column(byte[] values, BitSet nulls) {
    super(DataType.INT8, values.length, nulls);
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public byte getByte(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Byte get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public Int8Column select(int[] rows) {
    byte[] out = new byte[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new Int8Column(out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  byte[] values() {
    return values;
  }
}
