package org.quiver.sql.type;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalciteSqlValidator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.SqlValidatorTable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's validator, which gives a call of an operator that vectors overload ({@code +},
 * {@code -}, {@code *}, {@code ||}, SUM, AVG, a CAST between a vector and an array) the overload
 * of {@link VectorOperators} that its operands' types ask for, before the call is typed.
 */
public final class VectorValidator extends CalciteSqlValidator {

  public VectorValidator(SqlOperatorTable operators, CalciteCatalogReader catalogReader,
      JavaTypeFactory typeFactory, Config config) {
    super(operators, catalogReader, typeFactory, config);
  }

  @Override public RelDataType deriveType(SqlValidatorScope scope, SqlNode expr) {
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
