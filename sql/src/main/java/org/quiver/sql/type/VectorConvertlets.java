package org.quiver.sql.type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.grammar.type.VectorSqlType;

/**
 * Calcite's convertlets, except for casts to and from vectors (from text, a vector or an array;
 * to text or {@code REAL ARRAY}), ordered comparisons of vectors and text in a CASE of vector
 * type, which become calls of {@link VectorCasts}: generated code has no cast to Quiver's value
 * class, and Calcite's {@code <} has no overload for it.
 */
public final class VectorConvertlets implements SqlRexConvertletTable {
  private final SqlRexConvertletTable standard;

  public VectorConvertlets(SqlRexConvertletTable standard) {
    this.standard = standard;
  }

  @Override public @Nullable SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet fallback = standard.get(call);
    if (call.getOperator() == VectorOperators.ARRAY_CAST) {
      return VectorConvertlets::convertArrayCast;
    }
    if (fallback == null) {
      return null;
    }
    return switch (call.getKind()) {
      case CAST -> (cx, c) -> convertCast(cx, c, fallback);
      case CASE -> (cx, c) -> convertCase(cx, c, fallback);
      case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
          (cx, c) -> convertComparison(cx, c, fallback);
      default -> fallback;
    };
  }

  private static RexNode convertCast(SqlRexContext cx, SqlCall call, SqlRexConvertlet fallback) {
    // Casts that type coercion adds while validating (a UNION's columns, say) have no validated
    // type of their own: their target is read from the cast's type operand instead.
    RelDataType to = cx.getValidator().getValidatedNodeTypeIfKnown(call);
    if (to == null) {
      to = ((SqlDataTypeSpec) call.operand(1)).deriveType(cx.getValidator());
    }
    RelDataType from = cx.getValidator().getValidatedNodeTypeIfKnown(call.operand(0));
    if (from == null) {
      from = cx.convertExpression(call.operand(0)).getType();
    }
    if (!(to instanceof VectorSqlType) && !(from instanceof VectorSqlType)) {
      return fallback.convertCall(cx, call);
    }
    RexBuilder rex = cx.getRexBuilder();
    if (from.getSqlTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(to);
    }
    RexNode operand = cx.convertExpression(call.operand(0));
    from = operand.getType();
    if (to instanceof VectorSqlType vector) {
      if (from instanceof VectorSqlType v && v.kind() == vector.kind()
          && v.dimension() == vector.dimension()) {
        return rex.ensureType(to, operand, false);
      }
      return VectorCasts.cast(rex, vector, operand);
    }
    RelDataType text = cx.getTypeFactory().createTypeWithNullability(
        cx.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), from.isNullable());
    return rex.makeCast(to, rex.makeCall(text, VectorCasts.TO_TEXT, List.of(operand)));
  }

  /**
   * A CASE (or COALESCE) of vector type whose branches may be text, such as {@code COALESCE(v,
   * '[0,0]')}: the text is read as {@code CAST(text AS VECTOR(n))} reads it.
   */
  private static RexNode convertCase(SqlRexContext cx, SqlCall call, SqlRexConvertlet fallback) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    if (!(type instanceof VectorSqlType vector) || !(call instanceof SqlCase c)
        || c.getValueOperand() != null) {
      return fallback.convertCall(cx, call);
    }
    List<RexNode> operands = new ArrayList<>();
    for (int i = 0; i < c.getWhenOperands().size(); i++) {
      operands.add(cx.convertExpression(c.getWhenOperands().get(i)));
      operands.add(branch(cx, c.getThenOperands().get(i), vector));
    }
    operands.add(branch(cx, c.getElseOperand(), vector));
    return cx.getRexBuilder().makeCall(type, SqlStdOperatorTable.CASE, operands);
  }

  private static RexNode branch(SqlRexContext cx, @Nullable SqlNode node, VectorSqlType type) {
    RexBuilder rex = cx.getRexBuilder();
    if (node == null || SqlUtil.isNullLiteral(node, false)) {
      return rex.makeNullLiteral(type);
    }
    RexNode value = cx.convertExpression(node);
    if (!SqlTypeUtil.isCharacter(value.getType())) {
      return value;
    }
    return VectorCasts.cast(rex, type, value);
  }

  /** A numeric array to a vector (its elements checked at run time), or a vector to REAL ARRAY. */
  private static RexNode convertArrayCast(SqlRexContext cx, SqlCall call) {
    RelDataType to = cx.getValidator().getValidatedNodeType(call);
    RexBuilder rex = cx.getRexBuilder();
    RexNode operand = cx.convertExpression(call.operand(0));
    if (to instanceof VectorSqlType vector) {
      return VectorCasts.cast(rex, vector, operand);
    }
    return rex.makeCall(to, VectorCasts.TO_REAL_ARRAY, List.of(operand));
  }

  private static RexNode convertComparison(SqlRexContext cx, SqlCall call,
      SqlRexConvertlet fallback) {
    RelDataType left = cx.getValidator().getValidatedNodeType(call.operand(0));
    RelDataType right = cx.getValidator().getValidatedNodeType(call.operand(1));
    if (!(left instanceof VectorSqlType) && !(right instanceof VectorSqlType)) {
      return fallback.convertCall(cx, call);
    }
    RexBuilder rex = cx.getRexBuilder();
    RelDataType integer = cx.getTypeFactory().createTypeWithNullability(
        cx.getTypeFactory().createSqlType(SqlTypeName.INTEGER),
        left.isNullable() || right.isNullable());
    RexNode compared = rex.makeCall(integer, VectorCasts.COMPARE, List.of(
        cx.convertExpression(call.operand(0)), cx.convertExpression(call.operand(1))));
    SqlOperator op = call.getOperator();
    return rex.makeCall(op, compared, rex.makeExactLiteral(BigDecimal.ZERO));
  }
}
