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
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;

/**
 * Calcite's convertlets, except for casts to and from vectors (from text, a vector or an array;
 * to text or {@code REAL ARRAY}), ordered comparisons of vectors and text in a CASE of vector
 * type, which become calls of {@link VectorCasts}, and the same for bit strings, which become
 * calls of {@link BitCasts}, and for sparse vectors, of {@link SparsevecCasts}: generated code has no cast to Quiver's value classes, and Calcite's
 * {@code <} has no overload for them.
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
    if (to instanceof BitSqlType || from instanceof BitSqlType) {
      return convertBitCast(cx, call, to, from);
    }
    if (to instanceof SparsevecSqlType || from instanceof SparsevecSqlType) {
      return convertSparseCast(cx, call, to, from);
    }
    if (to.getSqlTypeName() == SqlTypeName.ARRAY && SqlTypeUtil.isCharacter(from)) {
      // Calcite has no cast from text to an array: PostgreSQL's array text is read here.
      if (to.getComponentType() == null || !ArrayText.readsElementsOf(to.getComponentType())) {
        throw cannotCast(from, to);
      }
      return ArrayText.cast(cx.getRexBuilder(), to, cx.convertExpression(call.operand(0)));
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
   * A cast to or from a bit type: from text or a bit string to {@code BIT(n)} ({@link
   * BitCasts#toBit}), from a bit string to text; any other pair (a vector and a bit string, a
   * number and a bit string) has no cast, 42846.
   */
  private static RexNode convertBitCast(SqlRexContext cx, SqlCall call, RelDataType to,
      RelDataType from) {
    RexBuilder rex = cx.getRexBuilder();
    if (to instanceof BitSqlType bits && bits.length() != BitSqlType.ANY_LENGTH
        && (bits.length() < 1 || bits.length() > BitValue.MAX_LENGTH)) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "BIT length must be in [1, %d], got %d", BitValue.MAX_LENGTH, bits.length());
    }
    if (from.getSqlTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(to);
    }
    if (to instanceof BitSqlType bits) {
      if (!(from instanceof BitSqlType) && !SqlTypeUtil.isCharacter(from)) {
        throw cannotCast(from, to);
      }
      RexNode operand = cx.convertExpression(call.operand(0));
      if (operand.getType() instanceof BitSqlType b && b.length() == bits.length()) {
        return rex.ensureType(to, operand, false);
      }
      return BitCasts.cast(rex, bits, operand);
    }
    if (!SqlTypeUtil.isCharacter(to)) {
      throw cannotCast(from, to);
    }
    RexNode operand = cx.convertExpression(call.operand(0));
    RelDataType text = cx.getTypeFactory().createTypeWithNullability(
        cx.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), from.isNullable());
    return rex.makeCast(to, rex.makeCall(text, BitCasts.TO_TEXT, List.of(operand)));
  }

  /**
   * A cast to or from a sparse vector type, as pgvector has them: to {@code SPARSEVEC(n)} from
   * text, a sparse vector, a vector or a halfvec ({@link SparsevecCasts#toSparsevec}); from a
   * sparse vector to a vector, a halfvec or text. Any other pair has no cast, 42846; a declared
   * dimension out of [1, 1,000,000,000] is 22023, as pgvector's type modifier check.
   */
  private static RexNode convertSparseCast(SqlRexContext cx, SqlCall call, RelDataType to,
      RelDataType from) {
    RexBuilder rex = cx.getRexBuilder();
    if (to instanceof SparsevecSqlType sparse) {
      checkSparseDimension(sparse.dimension());
    }
    if (from.getSqlTypeName() == SqlTypeName.NULL) {
      return rex.makeNullLiteral(to);
    }
    if (to instanceof SparsevecSqlType sparse) {
      if (!(from instanceof SparsevecSqlType) && !(from instanceof VectorSqlType)
          && !SqlTypeUtil.isCharacter(from)) {
        throw cannotCast(from, to);
      }
      RexNode operand = cx.convertExpression(call.operand(0));
      if (operand.getType() instanceof SparsevecSqlType s && s.dimension() == sparse.dimension()) {
        return rex.ensureType(to, operand, false);
      }
      return SparsevecCasts.cast(rex, sparse, operand);
    }
    RexNode operand = cx.convertExpression(call.operand(0));
    if (to instanceof VectorSqlType vector) {
      return VectorCasts.cast(rex, vector, operand);
    }
    if (!SqlTypeUtil.isCharacter(to)) {
      throw cannotCast(from, to);
    }
    RelDataType text = cx.getTypeFactory().createTypeWithNullability(
        cx.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), from.isNullable());
    return rex.makeCast(to, rex.makeCall(text, SparsevecCasts.TO_TEXT, List.of(operand)));
  }

  /** pgvector's check of a declared sparsevec dimension: 22023 outside [1, 1,000,000,000]. */
  static void checkSparseDimension(int dimension) {
    if (dimension == SparsevecSqlType.ANY_DIMENSION) {
      return;
    }
    if (dimension < 1) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "dimensions for type sparsevec must be at least 1, got %d", dimension);
    }
    if (dimension > SparseVectorValue.MAX_DIMENSION) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "dimensions for type sparsevec cannot exceed %d, got %d",
          SparseVectorValue.MAX_DIMENSION, dimension);
    }
  }

  private static QuiverException cannotCast(RelDataType from, RelDataType to) {
    return QuiverException.of(ErrorCode.CANNOT_COERCE, "cannot cast %s to %s",
        from.getFullTypeString().replace(" NOT NULL", ""),
        to.getFullTypeString().replace(" NOT NULL", ""));
  }

  /**
   * A CASE (or COALESCE) of vector type whose branches may be text, such as {@code COALESCE(v,
   * '[0,0]')}: the text is read as {@code CAST(text AS VECTOR(n))} reads it.
   */
  private static RexNode convertCase(SqlRexContext cx, SqlCall call, SqlRexConvertlet fallback) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    if (!(type instanceof VectorSqlType || type instanceof BitSqlType
        || type instanceof SparsevecSqlType) || !(call instanceof SqlCase c) || c.getValueOperand() != null) {
      return fallback.convertCall(cx, call);
    }
    List<RexNode> operands = new ArrayList<>();
    for (int i = 0; i < c.getWhenOperands().size(); i++) {
      operands.add(cx.convertExpression(c.getWhenOperands().get(i)));
      operands.add(branch(cx, c.getThenOperands().get(i), type));
    }
    operands.add(branch(cx, c.getElseOperand(), type));
    return cx.getRexBuilder().makeCall(type, SqlStdOperatorTable.CASE, operands);
  }

  private static RexNode branch(SqlRexContext cx, @Nullable SqlNode node, RelDataType type) {
    RexBuilder rex = cx.getRexBuilder();
    if (node == null || SqlUtil.isNullLiteral(node, false)) {
      return rex.makeNullLiteral(type);
    }
    RexNode value = cx.convertExpression(node);
    if (type instanceof SparsevecSqlType sparse) {
      return value.getType() instanceof SparsevecSqlType s && s.dimension() == sparse.dimension()
          ? value : SparsevecCasts.cast(rex, sparse, value);
    }
    if (type instanceof BitSqlType bits) {
      // Text, or a bit string of another length when CASE's type is BIT, which holds it as is.
      return value.getType() instanceof BitSqlType b && b.length() == bits.length() ? value
          : BitCasts.cast(rex, bits, value);
    }
    if (!SqlTypeUtil.isCharacter(value.getType())) {
      return value;
    }
    return VectorCasts.cast(rex, (VectorSqlType) type, value);
  }

  /** A numeric array to a vector (its elements checked at run time), or a vector to REAL ARRAY. */
  private static RexNode convertArrayCast(SqlRexContext cx, SqlCall call) {
    RelDataType to = cx.getValidator().getValidatedNodeType(call);
    RexBuilder rex = cx.getRexBuilder();
    RexNode operand = cx.convertExpression(call.operand(0));
    if (to instanceof VectorSqlType vector) {
      return VectorCasts.cast(rex, vector, operand);
    }
    if (to instanceof SparsevecSqlType sparse) {
      checkSparseDimension(sparse.dimension());
      return SparsevecCasts.cast(rex, sparse, operand);
    }
    return rex.makeCall(to, VectorCasts.TO_REAL_ARRAY, List.of(operand));
  }

  private static RexNode convertComparison(SqlRexContext cx, SqlCall call,
      SqlRexConvertlet fallback) {
    RelDataType left = cx.getValidator().getValidatedNodeType(call.operand(0));
    RelDataType right = cx.getValidator().getValidatedNodeType(call.operand(1));
    boolean bits = left instanceof BitSqlType || right instanceof BitSqlType;
    boolean sparse = left instanceof SparsevecSqlType || right instanceof SparsevecSqlType;
    if (!(left instanceof VectorSqlType) && !(right instanceof VectorSqlType) && !bits
        && !sparse) {
      return fallback.convertCall(cx, call);
    }
    RexBuilder rex = cx.getRexBuilder();
    RelDataType integer = cx.getTypeFactory().createTypeWithNullability(
        cx.getTypeFactory().createSqlType(SqlTypeName.INTEGER),
        left.isNullable() || right.isNullable());
    RexNode compared = rex.makeCall(integer,
        bits ? BitCasts.COMPARE : sparse ? SparsevecCasts.COMPARE : VectorCasts.COMPARE, List.of(
        cx.convertExpression(call.operand(0)), cx.convertExpression(call.operand(1))));
    SqlOperator op = call.getOperator();
    return rex.makeCall(op, compared, rex.makeExactLiteral(BigDecimal.ZERO));
  }
}
