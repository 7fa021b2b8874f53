package org.quiver.storage.column;

import java.util.BitSet;
import org.quiver.storage.schema.DataType;

/** A column of VARCHAR values. */
public final class VarcharColumn extends NullableColumn {
  private final String[] values;

  /**
   * A column of {@code values}, NULL where an element is null; takes {@code values} over, so the
   * caller must not change it afterwards.
   */
  public VarcharColumn(String[] values) {
    super(DataType.VARCHAR, values.length, nullsIn(values));
    this.values = values;
  }

  @Override
  public String get(int row) {
    return isNull(row) ? null : values[row];
  }

  @Override
  public VarcharColumn select(int[] rows) {
    String[] out = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new VarcharColumn(out);
  }

  /** The backing array, shared: for bulk copies inside this package only. */
  String[] values() {
    return values;
  }

  private static BitSet nullsIn(String[] values) {
    BitSet nulls = new BitSet();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        nulls.set(i);
      }
    }
    return nulls;
  }
}
