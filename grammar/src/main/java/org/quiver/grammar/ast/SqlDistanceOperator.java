package org.quiver.grammar.ast;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

import java.util.Arrays;

/**
 * A pgvector-style infix distance operator ({@code <->}, {@code <=>}, {@code <#>}) that the
 * validator rewrites into a call of the distance function registered by the SQL layer.
 *
 * <p>The operator only carries the syntax: the parse tree keeps and unparses the infix form, and
 * {@link #rewriteCall} (run in the validator's unconditional rewrites) hands the operands to a
 * function resolved by name, so the kernels live in one place. The type inference and checking
 * below only matter if a call is validated with rewrites turned off.
 */
public final class SqlDistanceOperator extends SqlBinaryOperator {

  /** Between comparison (30) and {@code +}/{@code -} (40), as in PostgreSQL; even, as Calcite requires. */
  public static final int PRECEDENCE = 36;

  /** An operand of unknown type (a bare {@code ?}) is what the client binds: see rewriteCall. */
  private static final SqlOperandTypeInference ANY_OPERANDS =
      (binding, returnType, operandTypes) -> {
        RelDataTypeFactory typeFactory = binding.getTypeFactory();
        Arrays.fill(operandTypes, typeFactory.createTypeWithNullability(
            typeFactory.createSqlType(SqlTypeName.ANY), true));
      };

  private final SqlUnresolvedFunction function;

  /** Creates the operator written {@code symbol} that stands for the function {@code functionName}. */
  public SqlDistanceOperator(String symbol, String functionName) {
    super(symbol, SqlKind.OTHER, PRECEDENCE, true, ReturnTypes.DOUBLE_NULLABLE,
        ANY_OPERANDS, OperandTypes.ANY_ANY);
    this.function = new SqlUnresolvedFunction(
        new SqlIdentifier(functionName, SqlParserPos.ZERO), null, null, null, null,
        SqlFunctionCategory.USER_DEFINED_FUNCTION);
  }

  /** Returns the name of the function calls of this operator are rewritten to. */
  public String functionName() {
    return function.getName();
  }

  /**
   * Returns the call of the distance function on the same operands, except that a bare
   * {@code ?} becomes {@code CAST(? AS ANY)}: Calcite infers no type for a parameter of a
   * user-defined function in ORDER BY, and {@code ORDER BY v <-> ? LIMIT k} is the search query;
   * the parameter's value (a vector, an array or text) reaches the function as it was bound.
   */
  @Override public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
    return function.createCall(call.getParserPosition(),
        typedOperand(call.operand(0)), typedOperand(call.operand(1)));
  }

  private static SqlNode typedOperand(SqlNode operand) {
    if (!(operand instanceof SqlDynamicParam)) {
      return operand;
    }
    SqlParserPos pos = operand.getParserPosition();
    return SqlStdOperatorTable.CAST.createCall(pos, operand,
        new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.ANY, pos), pos));
  }

  /** Types the call without looking the operator up in the validator's operator table. */
  @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
      SqlCall call) {
    return validateOperands(validator, scope, call);
  }
}
