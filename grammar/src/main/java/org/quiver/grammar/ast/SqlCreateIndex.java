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
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE INDEX [IF NOT EXISTS] name ON table USING method (column) [WITH (key = value,
 * ...)]}. The parser checks syntax only; the method, the column and the options are the SQL
 * layer's checks.
 */
public final class SqlCreateIndex extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE INDEX", SqlKind.CREATE_INDEX);

  private final SqlIdentifier name;
  private final SqlIdentifier table;
  private final SqlIdentifier method;
  private final SqlIdentifier column;
  private final List<SqlTableOption> options;

  /** Creates a CREATE INDEX statement. */
  public SqlCreateIndex(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name,
      SqlIdentifier table, SqlIdentifier method, SqlIdentifier column,
      List<SqlTableOption> options) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = requireNonNull(name, "name");
    this.table = requireNonNull(table, "table");
    this.method = requireNonNull(method, "method");
    this.column = requireNonNull(column, "column");
    this.options = List.copyOf(options);
  }

  /** Returns the index's name. */
  public SqlIdentifier name() {
    return name;
  }

  /** Returns whether IF NOT EXISTS was written. */
  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** Returns the indexed table's name. */
  public SqlIdentifier table() {
    return table;
  }

  /** Returns the index method in upper case, e.g. {@code HNSW}, whatever case it was written in. */
  public String method() {
    return method.getSimple().toUpperCase(Locale.ROOT);
  }

  /** Returns the indexed column's name. */
  public SqlIdentifier column() {
    return column;
  }

  /** Returns the WITH options in the order written; empty without a WITH clause. */
  public List<SqlTableOption> options() {
    return options;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name, table, method, column, new SqlNodeList(options, getParserPosition()));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE INDEX");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    writer.keyword("ON");
    table.unparse(writer, 0, 0);
    writer.keyword("USING");
    writer.keyword(method());
    SqlWriter.Frame frame = writer.startList("(", ")");
    column.unparse(writer, 0, 0);
    writer.endList(frame);
    SqlTableOption.unparseWith(writer, options);
  }
}
