package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.Util;
import org.quiver.grammar.QuiverNames;

import java.util.List;

/**
 * {@code DESCRIBE [TABLE] name}, which is the query {@code SELECT column_name, data_type,
 * nullable, primary_key FROM sys.columns WHERE table_name = 'name' ORDER BY ordinal} to the
 * validator and planner, and unparses as {@code DESCRIBE name}.
 *
 * <p>The WHERE clause compares with the last component of the name, after the parser's casing
 * rules: {@code sys.columns} has one namespace of tables.
 */
public final class SqlDescribeTable extends SqlSelect {

  private final SqlIdentifier name;

  /** Creates the query describing table {@code name}. */
  public SqlDescribeTable(SqlParserPos pos, SqlIdentifier name) {
    super(pos, null, selectList(pos),
        new SqlIdentifier(List.of(QuiverNames.SYSTEM_SCHEMA, QuiverNames.COLUMNS), pos),
        SqlStdOperatorTable.EQUALS.createCall(pos,
            new SqlIdentifier(QuiverNames.TABLE_NAME, pos),
            SqlLiteral.createCharString(Util.last(name.names), name.getParserPosition())),
        null, null, null, null,
        SqlNodeList.of(new SqlIdentifier(QuiverNames.ORDINAL, pos)),
        null, null, null);
    this.name = name;
  }

  private static SqlNodeList selectList(SqlParserPos pos) {
    SqlNodeList list = new SqlNodeList(pos);
    for (String column : List.of(QuiverNames.COLUMN_NAME, QuiverNames.DATA_TYPE,
        QuiverNames.NULLABLE, QuiverNames.PRIMARY_KEY)) {
      list.add(new SqlIdentifier(column, pos));
    }
    return list;
  }

  /** Returns the name of the table described, as written. */
  public SqlIdentifier name() {
    return name;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DESCRIBE");
    name.unparse(writer, 0, 0);
  }
}
