package org.quiver.sql.rel;

import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Gives the engine's {@code Object[]} rows the shape Calcite's generated code expects of a row
 * type: an array, or the bare value when the row has one field.
 */
public final class RowFormats {
  private RowFormats() {}

  /**
   * The physical type of a Quiver operator's rows. Calcite's operators re-derive their input's
   * format with the one-field optimisation (a one-field row is its value), so Quiver's operators
   * must declare and produce that same format.
   */
  static PhysType physType(EnumerableRelImplementor implementor, RelDataType rowType) {
    return PhysTypeImpl.of(implementor.getTypeFactory(), rowType, JavaRowFormat.ARRAY);
  }

  /** {@code arrayRows}, an {@code Enumerable<Object[]>}, in the format of {@code physType}. */
  static Expression shape(PhysType physType, Expression arrayRows) {
    return physType.getFormat() == JavaRowFormat.SCALAR
        ? Expressions.call(RowFormats.class, "firstColumn", arrayRows)
        : arrayRows;
  }

  /** Called by generated code: each one-field row as its value. */
  public static Enumerable<Object> firstColumn(Enumerable<Object[]> rows) {
    return rows.select(row -> row[0]);
  }
}
