package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A statement {@code <verb> TABLE name} that acts on one table's in-memory state; its kind is
 * OTHER_DDL, so Calcite hands it to the DDL executor.
 */
public abstract sealed class SqlTableCommand extends SqlDdl
    permits SqlLoadTable, SqlReleaseTable, SqlFlushTable, SqlCompactTable {

  private final SqlIdentifier name;

  /** Creates a command; {@code operator} is named after the words before the table's name. */
  protected SqlTableCommand(SqlOperator operator, SqlParserPos pos, SqlIdentifier name) {
    super(operator, pos);
    this.name = requireNonNull(name, "name");
  }

  /** Returns the table's name. */
  public SqlIdentifier name() {
    return name;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    name.unparse(writer, leftPrec, rightPrec);
  }
}
