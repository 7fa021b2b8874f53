package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (column, ... [, PRIMARY KEY (column, ...)]) [WITH (key
 * = value, ...)]}.
 *
 * <p>The parser checks syntax only: that exactly one primary key column is declared, that it names
 * a column, and what the options mean are the SQL layer's checks.
 */
public final class SqlCreateTable extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE);

  private final SqlIdentifier name;
  private final List<SqlColumnDefinition> columns;
  private final List<SqlIdentifier> tablePrimaryKey;
  private final List<SqlTableOption> options;

  /** Creates a CREATE TABLE statement. */
  public SqlCreateTable(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name,
      List<SqlColumnDefinition> columns, List<SqlIdentifier> tablePrimaryKey,
      List<SqlTableOption> options) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = requireNonNull(name, "name");
    this.columns = List.copyOf(columns);
    this.tablePrimaryKey = List.copyOf(tablePrimaryKey);
    this.options = List.copyOf(options);
  }

  /** Returns the table's name. */
  public SqlIdentifier name() {
    return name;
  }

  /** Returns whether IF NOT EXISTS was written. */
  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** Returns the column definitions in the order written. */
  public List<SqlColumnDefinition> columns() {
    return columns;
  }

  /** Returns the columns named by a table-level {@code PRIMARY KEY (column, ...)}; empty if there is none. */
  public List<SqlIdentifier> tablePrimaryKey() {
    return tablePrimaryKey;
  }

  /** Returns the WITH options in the order written; empty without a WITH clause. */
  public List<SqlTableOption> options() {
    return options;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name, new SqlNodeList(columns, getParserPosition()),
        new SqlNodeList(tablePrimaryKey, getParserPosition()),
        new SqlNodeList(options, getParserPosition()));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE TABLE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlColumnDefinition column : columns) {
      writer.sep(",");
      column.unparse(writer, 0, 0);
    }
    if (!tablePrimaryKey.isEmpty()) {
      writer.sep(",");
      writer.keyword("PRIMARY KEY");
      SqlWriter.Frame keyFrame = writer.startList("(", ")");
      for (SqlIdentifier key : tablePrimaryKey) {
        writer.sep(",");
        key.unparse(writer, 0, 0);
      }
      writer.endList(keyFrame);
    }
    writer.endList(frame);
    SqlTableOption.unparseWith(writer, options);
  }
}
