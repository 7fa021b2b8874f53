package org.quiver.sql.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.FieldSchema;

/**
 * The primary keys a scan's condition names, when one of its conjuncts is {@code pk = c} or
 * {@code pk IN (c1, c2, ..)} with constants (literals or parameters): the engine then looks those
 * keys up instead of scanning the table, and applies the whole condition to the rows it finds.
 */
final class KeyCondition {
  private KeyCondition() {}

  /** The key expressions, or null when the condition does not restrict the primary key so. */
  static List<RexNode> keys(QuiverTable table, RexBuilder rex, RexNode condition) {
    if (condition == null) {
      return null;
    }
    int pk = table.info().schema().primaryKeyIndex();
    for (RexNode conjunct : RelOptUtil.conjunctions(RexUtil.expandSearch(rex, null, condition))) {
      List<RexNode> keys = new ArrayList<>();
      boolean all = true;
      for (RexNode term : RelOptUtil.disjunctions(conjunct)) {
        RexNode key = equalityKey(term, pk);
        if (key == null) {
          all = false;
          break;
        }
        keys.add(key);
      }
      if (all && !keys.isEmpty()) {
        return keys;
      }
    }
    return null;
  }

  /** {@code c} of {@code pk = c} or {@code c = pk}, else null. */
  private static RexNode equalityKey(RexNode term, int pk) {
    if (!(term instanceof RexCall call) || call.getKind() != SqlKind.EQUALS) {
      return null;
    }
    RexNode a = call.getOperands().get(0);
    RexNode b = call.getOperands().get(1);
    if (isColumn(a, pk) && FilterTranslator.isConstant(b)) {
      return b;
    }
    if (isColumn(b, pk) && FilterTranslator.isConstant(a)) {
      return a;
    }
    return null;
  }

  /** The key column itself: compared through a cast, the key's type is not the column's. */
  private static boolean isColumn(RexNode rex, int index) {
    return rex instanceof RexInputRef ref && ref.getIndex() == index;
  }

  /** A key as EXPLAIN shows it: {@code 3}, {@code 'two'}, or a parameter {@code ?0}. */
  static String describe(RexNode key) {
    if (key instanceof RexLiteral lit) {
      Object v = lit.getValue2();
      return v instanceof String text ? "'" + text + "'" : String.valueOf(v);
    }
    if (key instanceof RexCall cast && cast.getKind() == SqlKind.CAST) {
      return describe(cast.getOperands().get(0));
    }
    return key.toString();
  }

  /** The keys' values at execution, in the engine's representation; NULL keys match nothing. */
  static List<Object> bind(QuiverTable table, List<RexNode> keys, DataContext context) {
    FieldSchema pk = table.field(table.info().schema().primaryKeyIndex());
    List<Object> values = new ArrayList<>(keys.size());
    for (RexNode key : keys) {
      Object v = FilterTranslator.constant(key, context);
      if (v != null) {
        values.add(SqlTypes.toEngine(pk, v, 1));
      }
    }
    return values;
  }
}
