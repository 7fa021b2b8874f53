package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of BOOL values. */
public final class BoolColumn extends NullableColumn {
  private final boolean[] values;

  /**
   * A column of {@code values}, NULL at the set bits of {@code nulls} (whose values are
   * ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public BoolColumn(boolean[] values, BitSet nulls) {
    super(DataType.BOOL, values.length, nulls);
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public boolean getBoolean(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Boolean get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public BoolColumn select(int[] rows) {
    boolean[] out = new boolean[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new BoolColumn(out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  boolean[] values() {
    return values;
  }
}
