package org.quiver.sql.rel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.api.Expr;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Translates Calcite row expressions over a Quiver table into engine filter expressions, and
 * binds their parameters at execution. What it cannot translate exactly stays in Calcite.
 */
public final class FilterTranslator {
  private final QuiverTable table;
  private final RexBuilder rexBuilder;

  public FilterTranslator(QuiverTable table, RexBuilder rexBuilder) {
    this.table = table;
    this.rexBuilder = rexBuilder;
  }

  /** The engine form of {@code condition}, or null when some part has none. */
  public Expr translate(RexNode condition) {
    return visit(RexUtil.expandSearch(rexBuilder, null, condition));
  }

  private Expr visit(RexNode rex) {
    if (rex instanceof RexInputRef ref) {
      FieldSchema f = table.field(ref.getIndex());
      // Vectors, bit strings and sparse vectors are compared in Calcite, never by the engine's filter.
      return f.isVector() || f.type() == DataType.BINARY_VECTOR
          || f.type() == DataType.SPARSE_FLOAT_VECTOR ? null
          : new Expr.Column(f.name());
    }
    if (rex instanceof RexLiteral lit) {
      return literal(lit);
    }
    if (rex instanceof RexDynamicParam p) {
      return new Expr.Literal(new ParamRef(p.getIndex()));
    }
    if (!(rex instanceof RexCall call)) {
      return null;
    }
    List<RexNode> ops = call.getOperands();
    switch (call.getKind()) {
      case CAST:
        return isWidening(ops.get(0).getType(), call.getType()) ? visit(ops.get(0)) : null;
      case EQUALS:
        return compare(Expr.CompareOp.EQ, ops);
      case NOT_EQUALS:
        return compare(Expr.CompareOp.NE, ops);
      case LESS_THAN:
        return compare(Expr.CompareOp.LT, ops);
      case LESS_THAN_OR_EQUAL:
        return compare(Expr.CompareOp.LE, ops);
      case GREATER_THAN:
        return compare(Expr.CompareOp.GT, ops);
      case GREATER_THAN_OR_EQUAL:
        return compare(Expr.CompareOp.GE, ops);
      case AND:
      case OR: {
        List<Expr> terms = new ArrayList<>();
        for (RexNode op : ops) {
          Expr e = visit(op);
          if (e == null) {
            return null;
          }
          terms.add(e);
        }
        return call.getKind() == org.apache.calcite.sql.SqlKind.AND
            ? new Expr.And(terms)
            : new Expr.Or(terms);
      }
      case NOT: {
        Expr e = visit(ops.get(0));
        return e == null ? null : new Expr.Not(e);
      }
      case IS_NULL: {
        Expr e = visit(ops.get(0));
        return e == null ? null : new Expr.IsNull(e);
      }
      case IS_NOT_NULL: {
        Expr e = visit(ops.get(0));
        return e == null ? null : new Expr.IsNotNull(e);
      }
      default:
        return null;
    }
  }

  private Expr compare(Expr.CompareOp op, List<RexNode> ops) {
    Expr left = visit(ops.get(0));
    Expr right = visit(ops.get(1));
    return left == null || right == null ? null : new Expr.Compare(op, left, right);
  }

  /** A cast that cannot change the outcome of a comparison: numeric to wider, text to text. */
  private static boolean isWidening(RelDataType from, RelDataType to) {
    SqlTypeFamily a = from.getSqlTypeName().getFamily();
    SqlTypeFamily b = to.getSqlTypeName().getFamily();
    if (a == SqlTypeFamily.CHARACTER && b == SqlTypeFamily.CHARACTER) {
      return to.getSqlTypeName() == SqlTypeName.VARCHAR && to.getPrecision() >= from.getPrecision();
    }
    return a == SqlTypeFamily.NUMERIC && b == SqlTypeFamily.NUMERIC
        && rank(to.getSqlTypeName()) >= rank(from.getSqlTypeName())
        && rank(from.getSqlTypeName()) > 0;
  }

  private static int rank(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 1;
      case SMALLINT -> 2;
      case INTEGER -> 3;
      case BIGINT -> 4;
      case REAL -> 5;
      case FLOAT, DOUBLE -> 6;
      default -> 0;
    };
  }

  private static Expr literal(RexLiteral lit) {
    if (lit.isNull()) {
      return new Expr.Literal(null);
    }
    SqlTypeName t = lit.getType().getSqlTypeName();
    Object value = switch (t.getFamily() == null ? SqlTypeFamily.ANY : t.getFamily()) {
      case BOOLEAN -> lit.getValueAs(Boolean.class);
      case CHARACTER -> lit.getValueAs(String.class);
      case NUMERIC -> {
        if (t == SqlTypeName.REAL || t == SqlTypeName.FLOAT || t == SqlTypeName.DOUBLE) {
          yield lit.getValueAs(Double.class);
        }
        BigDecimal d = lit.getValueAs(BigDecimal.class);
        yield d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : d;
      }
      case TIMESTAMP -> lit.getValueAs(Long.class);
      default -> null;
    };
    return value == null ? null : new Expr.Literal(value);
  }

  /** Replaces parameter references by the statement's parameter values. */
  public static Expr bind(Expr expr, DataContext context) {
    if (expr == null) {
      return null;
    }
    return switch (expr) {
      case Expr.Literal l when l.value() instanceof ParamRef p ->
          new Expr.Literal(parameter(context, p));
      case Expr.Literal l -> l;
      case Expr.Column c -> c;
      case Expr.Compare c -> new Expr.Compare(c.op(), bind(c.left(), context), bind(c.right(), context));
      case Expr.And a -> new Expr.And(a.terms().stream().map(e -> bind(e, context)).toList());
      case Expr.Or o -> new Expr.Or(o.terms().stream().map(e -> bind(e, context)).toList());
      case Expr.Not n -> new Expr.Not(bind(n.operand(), context));
      case Expr.IsNull n -> new Expr.IsNull(bind(n.operand(), context));
      case Expr.IsNotNull n -> new Expr.IsNotNull(bind(n.operand(), context));
    };
  }

  /** The value of a parameter, in the engine's representation. */
  public static Object parameter(DataContext context, ParamRef p) {
    Object v = context.get("?" + p.index());
    if (v instanceof java.sql.Timestamp ts) {
      return ts.getTime();
    }
    return v;
  }

  /** Evaluates a constant operand: a literal or a parameter, possibly cast. */
  public static Object constant(RexNode rex, DataContext context) {
    if (rex instanceof RexDynamicParam p) {
      return parameter(context, new ParamRef(p.getIndex()));
    }
    if (rex instanceof RexLiteral lit) {
      Expr e = literal(lit);
      return e == null ? null : ((Expr.Literal) e).value();
    }
    if (rex instanceof RexCall call && call.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
      return constant(call.getOperands().get(0), context);
    }
    throw new IllegalArgumentException("not a constant: " + rex);
  }

  /** Whether {@link #constant} can evaluate {@code rex}. */
  public static boolean isConstant(RexNode rex) {
    if (rex instanceof RexDynamicParam || rex instanceof RexLiteral) {
      return true;
    }
    return rex instanceof RexCall call && call.getKind() == org.apache.calcite.sql.SqlKind.CAST
        && isConstant(call.getOperands().get(0));
  }
}
