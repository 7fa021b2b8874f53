package org.quiver.sql.rel;

import java.util.Comparator;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.function.Functions;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Pair;

/**
 * The comparator of a sort on one floating-point column, which Calcite 1.42 gets wrong: its
 * comparator for a single key ({@code Functions.nullsComparator}) compares any two numbers as
 * {@link java.math.BigDecimal}s, and so fails on {@code Infinity}, {@code -Infinity} and
 * {@code NaN} (a distance that overflowed float, a DOUBLE column holding them), where a sort on
 * two keys or more compares them as doubles. {@link QuiverSort} and {@link QuiverLimitSort} take
 * Calcite's key selector and, for such a key, this class's comparator: doubles in
 * {@link Double#compare}'s order (NaN after every number, as PostgreSQL sorts it), NULL first or
 * last as the collation says.
 */
public final class FloatingSortKeys {
  private static final Comparator<Object> ASC_NULLS_LAST = comparator(false, false);
  private static final Comparator<Object> ASC_NULLS_FIRST = comparator(true, false);
  private static final Comparator<Object> DESC_NULLS_LAST = comparator(false, true);
  private static final Comparator<Object> DESC_NULLS_FIRST = comparator(true, true);

  private FloatingSortKeys() {}

  /**
   * The key selector and comparator of a sort by {@code fields} of rows of {@code input}:
   * Calcite's, with this class's comparator where the sort has one key and it is REAL, FLOAT or
   * DOUBLE.
   */
  static Pair<Expression, Expression> collationKey(PhysType input,
      List<RelFieldCollation> fields) {
    Pair<Expression, Expression> calcite = input.generateCollationKey(fields);
    if (fields.size() != 1) {
      return calcite;
    }
    RelFieldCollation field = fields.get(0);
    RelDataType type = input.getRowType().getFieldList().get(field.getFieldIndex()).getType();
    if (!SqlTypeName.APPROX_TYPES.contains(type.getSqlTypeName())) {
      return calcite;
    }
    Expression comparator = Expressions.call(FloatingSortKeys.class, "comparatorFor",
        Expressions.constant(field.nullDirection == RelFieldCollation.NullDirection.FIRST),
        Expressions.constant(field.getDirection().isDescending()));
    return Pair.of(calcite.left, comparator);
  }

  /**
   * Where the implementation of a sort begins: its input's code appended to {@code builder} as
   * {@code rows}, the sort's own physical type, and its key ({@link #collationKey}).
   */
  record SortInput(BlockBuilder builder, PhysType physType, Expression rows,
      Pair<Expression, Expression> key) {
    static <S extends Sort & EnumerableRel> SortInput of(EnumerableRelImplementor implementor,
        S sort, EnumerableRel.Prefer pref) {
      BlockBuilder builder = new BlockBuilder();
      EnumerableRel.Result input =
          implementor.visitChild(sort, 0, (EnumerableRel) sort.getInput(), pref);
      PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), sort.getRowType(),
          input.format);
      Expression rows = builder.append("child", input.block);
      return new SortInput(builder, physType, rows,
          collationKey(input.physType, sort.getCollation().getFieldCollations()));
    }
  }

  /** The comparator of one floating-point key; called by the generated code of a sort. */
  public static Comparator<Object> comparatorFor(boolean nullsFirst, boolean descending) {
    return descending ? (nullsFirst ? DESC_NULLS_FIRST : DESC_NULLS_LAST)
        : (nullsFirst ? ASC_NULLS_FIRST : ASC_NULLS_LAST);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparator<Object> comparator(boolean nullsFirst, boolean descending) {
    // Calcite's comparator for everything but two floating-point values (NULLs among them).
    Comparator calcite = Functions.nullsComparator(nullsFirst, descending);
    return (a, b) -> {
      if ((a instanceof Double || a instanceof Float)
          && (b instanceof Double || b instanceof Float)) {
        int c = Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        return descending ? -c : c;
      }
      return calcite.compare(a, b);
    };
  }
}
