package org.quiver.storage.column;

import java.util.BitSet;
import java.util.Objects;
import java.util.Objects;
import org.quiver.storage.schema.DataType;

/** What every scalar column shares: its type, size and the bitmap of its NULL rows. */
abstract sealed class NullableColumn implements Column
    permits BoolColumn, Int8Column, Int16Column, Int32Column, Int64Column, FloatColumn,
        DoubleColumn, VarcharColumn {
  private final DataType type;
  private final int size;
  /** Set bits are NULL rows; cloned in, never changed afterwards. */
  private final BitSet nulls;

  NullableColumn(DataType type, int size, BitSet nulls) {
    this.type = Objects.requireNonNull(type, "type");
    if (nulls.length() > size) {
      throw new IllegalArgumentException(
          "row " + (nulls.length() - 1) + " marked NULL in a column of " + size + " rows");
    }
    this.size = size;
    this.nulls = (BitSet) nulls.clone();
  }

  @Override
  public final DataType type() {
    return type;
  }

  @Override
  public final int size() {
    return size;
  }

  @Override
  public final boolean isNull(int row) {
    return nulls.get(Objects.checkIndex(row, size));
  }

  @Override
  public final boolean hasNulls() {
    return !nulls.isEmpty();
  }

  /** The number of NULL rows. */
  public final int nullCount() {
    return nulls.cardinality();
  }

  /** A copy of the bitmap of NULL rows (set bits are NULL). */
  public final BitSet nulls() {
    return (BitSet) nulls.clone();
  }

  final BitSet nullsOf(int[] rows) {
    BitSet out = new BitSet();
    for (int i = 0; i < rows.length; i++) {
      if (isNull(rows[i])) {
        out.set(i);
      }
    }
    return out;
  }

  final BitSet nullBitmap() {
    return nulls;
  }
}
