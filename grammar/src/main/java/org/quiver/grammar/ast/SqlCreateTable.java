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
import org.apache.calcite.util.ImmutableNullableList;

import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (column, ... [, PRIMARY KEY (column)]) [WITH (key =
 * value, ...)]}.
 *
 * <p>The parser checks syntax only: that at most one primary key is declared, that it names a
 * column, and what the options mean are the SQL layer's checks.
 */
public final class SqlCreateTable extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE);

  private final SqlIdentifier name;
  private final List<SqlColumnDefinition> columns;
  private final @Nullable SqlIdentifier tablePrimaryKey;
  private final List<SqlTableOption> options;

  /** Creates a CREATE TABLE statement. */
  public SqlCreateTable(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name,
      List<SqlColumnDefinition> columns, @Nullable SqlIdentifier tablePrimaryKey,
      List<SqlTableOption> options) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = requireNonNull(name, "name");
    this.columns = List.copyOf(columns);
    this.tablePrimaryKey = tablePrimaryKey;
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

  /** Returns the column named by a table-level {@code PRIMARY KEY (column)}, or null if there is none. */
  public @Nullable SqlIdentifier tablePrimaryKey() {
    return tablePrimaryKey;
  }

  /** Returns the WITH options in the order written; empty without a WITH clause. */
  public List<SqlTableOption> options() {
    return options;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, new SqlNodeList(columns, getParserPosition()),
        tablePrimaryKey, new SqlNodeList(options, getParserPosition()));
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
    if (tablePrimaryKey != null) {
      writer.sep(",");
      writer.keyword("PRIMARY KEY");
      SqlWriter.Frame keyFrame = writer.startList("(", ")");
      tablePrimaryKey.unparse(writer, 0, 0);
      writer.endList(keyFrame);
    }
    writer.endList(frame);
    if (!options.isEmpty()) {
      writer.keyword("WITH");
      SqlWriter.Frame optionFrame = writer.startList("(", ")");
      for (SqlTableOption option : options) {
        writer.sep(",");
        option.unparse(writer, 0, 0);
      }
      writer.endList(optionFrame);
    }
  }
}
