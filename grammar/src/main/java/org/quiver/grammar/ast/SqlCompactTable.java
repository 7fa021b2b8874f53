package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code COMPACT TABLE name}: merges the table's small segments and drops deleted rows for good. */
public final class SqlCompactTable extends SqlTableCommand {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("COMPACT TABLE", SqlKind.OTHER_DDL);

  /** Creates a COMPACT TABLE statement. */
  public SqlCompactTable(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
