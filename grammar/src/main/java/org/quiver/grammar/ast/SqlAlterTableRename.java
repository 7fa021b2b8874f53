package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code ALTER TABLE table RENAME TO new_name}, as PostgreSQL writes it. */
public final class SqlAlterTableRename extends SqlDdl {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE);

  private final SqlIdentifier table;
  private final SqlIdentifier newName;

  /** Creates the statement. */
  public SqlAlterTableRename(SqlParserPos pos, SqlIdentifier table, SqlIdentifier newName) {
    super(OPERATOR, pos);
    this.table = requireNonNull(table, "table");
    this.newName = requireNonNull(newName, "newName");
  }

  /** Returns the table's current name. */
  public SqlIdentifier table() {
    return table;
  }

  /** Returns the name the table takes (in the table's schema, so never qualified). */
  public SqlIdentifier newName() {
    return newName;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(table, newName);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    table.unparse(writer, 0, 0);
    writer.keyword("RENAME TO");
    newName.unparse(writer, 0, 0);
  }
}
