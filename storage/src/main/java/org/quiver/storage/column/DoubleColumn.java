package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** A column of DOUBLE values. */
public final class DoubleColumn extends NullableColumn {
  private final double[] values;

  /**
   * A column of {@code values}, NULL at the set bits of {@code nulls} (whose values are
   * ignored); takes {@code values} over, so the caller must not change it afterwards.
   */
  public DoubleColumn(double[] values, BitSet nulls) {
    super(DataType.DOUBLE, values.length, nulls);
    this.values = values;
  }

  /** The value of {@code row}; meaningless where {@link #isNull} is true. */
  public double getDouble(int row) {
    return values[Objects.checkIndex(row, size())];
  }

  @Override
  public Double get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public DoubleColumn select(int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new DoubleColumn(out, nullsOf(rows));
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  double[] values() {
    return values;
  }
}
