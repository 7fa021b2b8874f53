package org.quiver.sql.type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalciteSqlValidator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.SqlValidatorTable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's validator, which gives a call of an operator that vectors overload ({@code +},
 * {@code -}, {@code *}, {@code ||}, SUM, AVG, a CAST between a vector and an array) the overload
 * of {@link VectorOperators} that its operands' types ask for, before the call is typed; casts
 * text beside a vector in an ARRAY constructor to the vector's type; and reads NUMERIC without a
 * precision as PostgreSQL does.
 */
public final class VectorValidator extends CalciteSqlValidator {

  public VectorValidator(SqlOperatorTable operators, CalciteCatalogReader catalogReader,
      JavaTypeFactory typeFactory, Config config) {
    super(operators, catalogReader, typeFactory, config);
  }

  @Override public RelDataType deriveType(SqlValidatorScope scope, SqlNode expr) {
    if (expr instanceof SqlBasicCall call && getValidatedNodeTypeIfKnown(call) == null) {
      if (call.getKind() == SqlKind.CAST) {
        unconstrainedNumeric(scope, call);
      } else if (call.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR
          && getTypeCoercion() instanceof VectorTypeCoercion coercion) {
        coercion.textToElementType(scope, call);
      }
    }
    if (expr instanceof SqlBasicCall call && VectorOperators.isOverloaded(call.getOperator())
        && getValidatedNodeTypeIfKnown(call) == null) {
      SqlOperator overload = VectorOperators.overload(call.getOperator(),
          operandTypes(scope, call));
      if (overload != null) {
        call.setOperator(overload);
      }
    }
    return super.deriveType(scope, expr);
  }

  /**
   * Calcite's check of the values an INSERT or UPSERT writes, after text in a VALUES clause was
   * cast to its vector or bit column's type ({@link VectorTypeCoercion#textToColumns}), which
   * Calcite's own coercion skips when the rows' common type is the column's already.
   */
  @Override protected void checkTypeAssignment(@Nullable SqlValidatorScope sourceScope,
      SqlValidatorTable table, RelDataType sourceRowType, RelDataType targetRowType,
      SqlNode query) {
    if (getTypeCoercion() instanceof VectorTypeCoercion coercion) {
      coercion.textToColumns(sourceScope, sourceRowType, targetRowType, query);
    }
    super.checkTypeAssignment(sourceScope, table, sourceRowType, targetRowType, query);
  }

  /**
   * A cast to NUMERIC (or DECIMAL) without a precision is PostgreSQL's unconstrained numeric,
   * which keeps the value's digits; Calcite would give it its default DECIMAL, scale 0, and round
   * {@code l2_norm(v)::numeric} to an integer. So the cast keeps an exact operand's precision and
   * scale (a number in text, its own), and a floating operand's value as it is, typed DOUBLE.
   */
  private void unconstrainedNumeric(SqlValidatorScope scope, SqlBasicCall cast) {
    if (cast.operandCount() != 2 || !(cast.operand(1) instanceof SqlDataTypeSpec spec)
        || !(spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec name)
        || !name.getTypeName().isSimple()
        || !name.getTypeName().getSimple().equalsIgnoreCase(SqlTypeName.DECIMAL.name())
        || name.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED) {
      return;
    }
    RelDataType source = deriveType(scope, cast.operand(0));
    SqlParserPos pos = spec.getParserPosition();
    SqlBasicTypeNameSpec kept = null;
    if (SqlTypeUtil.isApproximateNumeric(source)) {
      kept = new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, pos);
    } else if (source.getSqlTypeName() == SqlTypeName.DECIMAL) {
      kept = new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL, source.getPrecision(),
          source.getScale(), pos);
    } else if (cast.operand(0) instanceof SqlCharStringLiteral text) {
      BigDecimal value = numberOrNull(text.getValueAs(String.class));
      int maxPrecision = getTypeFactory().getTypeSystem().getMaxPrecision(SqlTypeName.DECIMAL);
      if (value != null && value.scale() >= 0 && value.precision() <= maxPrecision) {
        kept = new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL,
            Math.max(value.precision(), value.scale()), value.scale(), pos);
      }
    }
    if (kept != null) {
      cast.setOperand(1, new SqlDataTypeSpec(kept, pos).withNullable(spec.getNullable()));
    }
  }

  private static @Nullable BigDecimal numberOrNull(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      // Not a number: Calcite's cast reports it.
      return null;
    }
  }

  /** The operands' types, derived in the scope Calcite's operator would derive them in. */
  private List<RelDataType> operandTypes(SqlValidatorScope scope, SqlBasicCall call) {
    SqlValidatorScope operandScope = call.getOperator() instanceof SqlFunction
        ? scope.getOperandScope(call) : scope;
    List<RelDataType> types = new ArrayList<>();
    for (SqlNode operand : call.getOperandList()) {
      types.add(deriveType(operandScope, operand));
    }
    return types;
  }
}
