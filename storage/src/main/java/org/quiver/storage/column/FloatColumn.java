package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of FLOAT values. */
public final class FloatColumn extends NullableColumn {
  private final float[] values;

  /**
   * A column of {@code values}, NULL at the set bits of {@code nulls} (whose values are
   * ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public FloatColumn(float[] values, BitSet nulls) {
    super(DataType.FLOAT, values.length, nulls);
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public float getFloat(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Float get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public FloatColumn select(int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new FloatColumn(out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  float[] values() {
    return values;
  }
}
