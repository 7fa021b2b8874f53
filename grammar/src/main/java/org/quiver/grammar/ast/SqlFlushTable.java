package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code FLUSH TABLE name}: seals the table's growing segments and writes them to storage. */
public final class SqlFlushTable extends SqlTableCommand {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("FLUSH TABLE", SqlKind.OTHER_DDL);

  /** Creates a FLUSH TABLE statement. */
  public SqlFlushTable(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos, name);
  }
}
