package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of 64-bit integers: INT64 values or TIMESTAMP milliseconds since the epoch. */
public final class Int64Column extends NullableColumn {
  private final long[] values;

  /**
   * A column of {@code type} of {@code values}, NULL at the set bits of {@code nulls} (whose
   * values are ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public Int64Column(DataType type, long[] values, BitSet nulls) {
    super(type, values.length, nulls);
    if (type != DataType.INT64 && type != DataType.TIMESTAMP) {
      throw new IllegalArgumentException("a column of longs holds INT64 or TIMESTAMP, not " + type);
    }
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public long getLong(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Long get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public Int64Column select(int[] rows) {
    long[] out = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new Int64Column(type(), out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  long[] values() {
    return values;
  }
}
