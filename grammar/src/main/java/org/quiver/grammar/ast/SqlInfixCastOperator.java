package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * PostgreSQL's cast {@code expression::type}, which exists only while the parser builds the tree:
 * a call of it is created as the standard {@code CAST(expression AS type)}, so validation,
 * conversion and unparsing are CAST's.
 */
public final class SqlInfixCastOperator extends SqlBinaryOperator {

  /** Above every other operator but the member access ({@code .}, {@code [ ]}), as in PostgreSQL. */
  public static final int PRECEDENCE = 94;

  /** Creates the operator. */
  public SqlInfixCastOperator() {
    super("::", SqlKind.CAST, PRECEDENCE, true, ReturnTypes.ARG1, InferTypes.FIRST_KNOWN,
        OperandTypes.ANY_ANY);
  }

  @Override public SqlCall createCall(@Nullable SqlLiteral functionQualifier, SqlParserPos pos,
      @Nullable SqlNode... operands) {
    return SqlStdOperatorTable.CAST.createCall(pos, operands);
  }
}
