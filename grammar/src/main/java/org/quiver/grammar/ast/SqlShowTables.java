package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.quiver.grammar.QuiverNames;

import java.util.List;

/**
 * {@code SHOW TABLES}, which is the query {@code SELECT table_name FROM sys.tables ORDER BY
 * table_name} to the validator and planner, and unparses as {@code SHOW TABLES}.
 */
public final class SqlShowTables extends SqlSelect {

  /** Creates the query. */
  public SqlShowTables(SqlParserPos pos) {
    super(pos, null,
        SqlNodeList.of(new SqlIdentifier(QuiverNames.TABLE_NAME, pos)),
        new SqlIdentifier(List.of(QuiverNames.SYSTEM_SCHEMA, QuiverNames.TABLES), pos),
        null, null, null, null, null,
        SqlNodeList.of(new SqlIdentifier(QuiverNames.TABLE_NAME, pos)),
        null, null, null);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW TABLES");
  }
}
