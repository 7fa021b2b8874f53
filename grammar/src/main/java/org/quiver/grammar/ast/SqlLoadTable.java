package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code LOAD TABLE name}: loads the table's data into the query nodes' memory so that it can be searched. */
public final class SqlLoadTable extends SqlTableCommand {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("LOAD TABLE", SqlKind.OTHER_DDL);

  /** Creates a LOAD TABLE statement. */
  public SqlLoadTable(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
