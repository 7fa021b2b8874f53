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
import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE INDEX [IF NOT EXISTS] [name] ON table USING method (column [operator_class])
 * [WITH (key = value, ...)]}. The parser checks syntax only; the method, the column, the operator
 * class and the options are the SQL layer's checks, which also name an unnamed index.
 */
public final class SqlCreateIndex extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE INDEX", SqlKind.CREATE_INDEX);

  private final @Nullable SqlIdentifier name;
  private final SqlIdentifier table;
  private final SqlIdentifier method;
  private final SqlIdentifier column;
  private final @Nullable SqlIdentifier operatorClass;
  private final List<SqlTableOption> options;

  /** Creates a CREATE INDEX statement; {@code name} and {@code operatorClass} may be absent. */
  public SqlCreateIndex(SqlParserPos pos, boolean ifNotExists, @Nullable SqlIdentifier name,
      SqlIdentifier table, SqlIdentifier method, SqlIdentifier column,
      @Nullable SqlIdentifier operatorClass, List<SqlTableOption> options) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = name;
    this.table = requireNonNull(table, "table");
    this.method = requireNonNull(method, "method");
    this.column = requireNonNull(column, "column");
    this.operatorClass = operatorClass;
    this.options = List.copyOf(options);
  }

  /** Returns the index's name, or null if the statement names none (pgvector's form). */
  public @Nullable SqlIdentifier name() {
    return name;
  }

  /** Returns pgvector's operator class, e.g. {@code vector_l2_ops}, or null if none is written. */
  public @Nullable SqlIdentifier operatorClass() {
    return operatorClass;
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
    return Arrays.asList(name, table, method, column, operatorClass,
        new SqlNodeList(options, getParserPosition()));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE INDEX");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    if (name != null) {
      name.unparse(writer, 0, 0);
    }
    writer.keyword("ON");
    table.unparse(writer, 0, 0);
    writer.keyword("USING");
    writer.keyword(method());
    SqlWriter.Frame frame = writer.startList("(", ")");
    column.unparse(writer, 0, 0);
    if (operatorClass != null) {
      operatorClass.unparse(writer, 0, 0);
    }
    writer.endList(frame);
    SqlTableOption.unparseWith(writer, options);
  }
}
