package org.quiver.engine.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;

/**
 * A filter compiled against a schema, evaluated row by row with SQL's three-valued logic: a row
 * passes only when the expression is TRUE (not FALSE, not unknown).
 */
@FunctionalInterface
public interface RowPredicate {
  RowPredicate ALL = (rows, row) -> true;

  boolean test(ColumnBatch rows, int row);

  /** Compiles {@code expr} (null means no filter) against the columns of {@code schema}. */
  static RowPredicate compile(Expr expr, CollectionSchema schema) {
    if (expr == null) {
      return ALL;
    }
    Evaluator eval = Evaluator.of(expr, schema);
    return (rows, row) -> Boolean.TRUE.equals(eval.eval(rows, row));
  }

  /** Evaluates to a boxed value; null is NULL / unknown. */
  @FunctionalInterface
  interface Evaluator {
    Object eval(ColumnBatch rows, int row);

    static Evaluator of(Expr expr, CollectionSchema schema) {
      return switch (expr) {
        case Expr.Column c -> {
          int index = schema.indexOf(c.name());
          if (index < 0) {
            throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN, "column \"%s\" does not exist", c.name());
          }
          if (schema.fields().get(index).isVector()) {
            throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
                "cannot filter on vector column \"%s\"", c.name());
          }
          yield (rows, row) -> rows.value(index, row);
        }
        case Expr.Literal l -> {
          Object value = l.value();
          yield (rows, row) -> value;
        }
        case Expr.Compare cmp -> {
          Evaluator left = of(cmp.left(), schema);
          Evaluator right = of(cmp.right(), schema);
          Expr.CompareOp op = cmp.op();
          yield (rows, row) -> {
            Object a = left.eval(rows, row);
            Object b = right.eval(rows, row);
            if (a == null || b == null) {
              return null;
            }
            int c = compare(a, b);
            return switch (op) {
              case EQ -> c == 0;
              case NE -> c != 0;
              case LT -> c < 0;
              case LE -> c <= 0;
              case GT -> c > 0;
              case GE -> c >= 0;
            };
          };
        }
        case Expr.And and -> {
          List<Evaluator> terms = compileAll(and.terms(), schema);
          yield (rows, row) -> {
            boolean unknown = false;
            for (Evaluator t : terms) {
              Object v = t.eval(rows, row);
              if (Boolean.FALSE.equals(v)) {
                return false;
              }
              unknown |= v == null;
            }
            return unknown ? null : Boolean.TRUE;
          };
        }
        case Expr.Or or -> {
          List<Evaluator> terms = compileAll(or.terms(), schema);
          yield (rows, row) -> {
            boolean unknown = false;
            for (Evaluator t : terms) {
              Object v = t.eval(rows, row);
              if (Boolean.TRUE.equals(v)) {
                return true;
              }
              unknown |= v == null;
            }
            return unknown ? null : Boolean.FALSE;
          };
        }
        case Expr.Not not -> {
          Evaluator operand = of(not.operand(), schema);
          yield (rows, row) -> {
            Object v = operand.eval(rows, row);
            return v == null ? null : !((Boolean) v);
          };
        }
        case Expr.IsNull isNull -> {
          Evaluator operand = of(isNull.operand(), schema);
          yield (rows, row) -> operand.eval(rows, row) == null;
        }
        case Expr.IsNotNull isNotNull -> {
          Evaluator operand = of(isNotNull.operand(), schema);
          yield (rows, row) -> operand.eval(rows, row) != null;
        }
      };
    }

    private static List<Evaluator> compileAll(List<Expr> exprs, CollectionSchema schema) {
      List<Evaluator> out = new ArrayList<>(exprs.size());
      exprs.forEach(e -> out.add(of(e, schema)));
      return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
      if (a instanceof Number x && b instanceof Number y) {
        if (isIntegral(x) && isIntegral(y)) {
          return Long.compare(x.longValue(), y.longValue());
        }
        // A REAL column compared with a literal compares at REAL precision, as SQL casts it.
        if ((x instanceof Float || y instanceof Float) && !(x instanceof Double || y instanceof Double)) {
          return Float.compare(x.floatValue(), y.floatValue());
        }
        if (x instanceof Double || y instanceof Double || x instanceof Float || y instanceof Float) {
          return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return toBigDecimal(x).compareTo(toBigDecimal(y));
      }
      if (a.getClass() == b.getClass() && a instanceof Comparable ca) {
        return ca.compareTo(b);
      }
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "cannot compare %s with %s", a.getClass().getSimpleName(), b.getClass().getSimpleName());
    }

    private static boolean isIntegral(Number n) {
      return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static BigDecimal toBigDecimal(Number n) {
      if (n instanceof BigDecimal d) {
        return d;
      }
      return isIntegral(n) ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(n.doubleValue());
    }
  }
}
