package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code COPY table [(column, ...)] FROM 'path' [WITH (key = value, ...)]} loads a file into a
 * table; {@code COPY table TO 'path'} and {@code COPY (query) TO 'path'} write rows to a file.
 * Its kind is OTHER_DDL, so Calcite hands it to the DDL executor.
 */
public final class SqlCopy extends SqlDdl {

  private static final SqlOperator OPERATOR = new SqlSpecialOperator("COPY", SqlKind.OTHER_DDL);

  private final @Nullable SqlIdentifier table;
  private final @Nullable SqlNodeList columns;
  private final @Nullable SqlNode query;
  private final String path;
  private final boolean from;
  private final List<SqlTableOption> options;

  /** Creates a COPY; exactly one of {@code table} and {@code query} is set ({@code query} only TO). */
  public SqlCopy(SqlParserPos pos, @Nullable SqlIdentifier table, @Nullable SqlNodeList columns,
      @Nullable SqlNode query, String path, boolean from, List<SqlTableOption> options) {
    super(OPERATOR, pos);
    this.table = table;
    this.columns = columns;
    this.query = query;
    this.path = requireNonNull(path, "path");
    this.from = from;
    this.options = List.copyOf(options);
  }

  /** The table read or written; null for {@code COPY (query) TO}. */
  public @Nullable SqlIdentifier table() {
    return table;
  }

  /** The columns named after the table, or null. */
  public @Nullable SqlNodeList columns() {
    return columns;
  }

  /** The query of {@code COPY (query) TO}, or null. */
  public @Nullable SqlNode query() {
    return query;
  }

  /** The file's path as written. */
  public String path() {
    return path;
  }

  /** True for COPY ... FROM (load), false for COPY ... TO (export). */
  public boolean isFrom() {
    return from;
  }

  public List<SqlTableOption> options() {
    return options;
  }

  @Override public List<SqlNode> getOperandList() {
    List<SqlNode> operands = new ArrayList<>();
    if (table != null) {
      operands.add(table);
    }
    if (columns != null) {
      operands.add(columns);
    }
    if (query != null) {
      operands.add(query);
    }
    operands.addAll(options);
    return operands;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("COPY");
    if (table != null) {
      table.unparse(writer, leftPrec, rightPrec);
      if (columns != null) {
        SqlWriter.Frame frame = writer.startList("(", ")");
        for (SqlNode c : columns) {
          writer.sep(",");
          c.unparse(writer, 0, 0);
        }
        writer.endList(frame);
      }
    } else if (query != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      query.unparse(writer, 0, 0);
      writer.endList(frame);
    }
    writer.keyword(from ? "FROM" : "TO");
    SqlLiteral.createCharString(path, SqlParserPos.ZERO).unparse(writer, 0, 0);
    SqlTableOption.unparseWith(writer, options);
  }
}
