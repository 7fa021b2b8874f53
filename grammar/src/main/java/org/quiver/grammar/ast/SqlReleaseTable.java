package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code RELEASE TABLE name}: drops the table's data from the query nodes' memory. */
public final class SqlReleaseTable extends SqlTableCommand {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("RELEASE TABLE", SqlKind.OTHER_DDL);

  /** Creates a RELEASE TABLE statement. */
  public SqlReleaseTable(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
