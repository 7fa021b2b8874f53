package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One {@code key = value} of the WITH clause of CREATE TABLE or CREATE INDEX; the value is a numeric, character or
 * boolean literal, or a simple identifier.
 */
public final class SqlTableOption extends SqlCall {

  private static final SqlOperator OPERATOR = new SqlSpecialOperator("TABLE_OPTION", SqlKind.OTHER);

  private final SqlIdentifier key;
  private final SqlNode value;

  /** Creates an option; its position spans key and value. */
  public SqlTableOption(SqlIdentifier key, SqlNode value) {
    super(key.getParserPosition().plus(value.getParserPosition()));
    this.key = requireNonNull(key, "key");
    this.value = requireNonNull(value, "value");
  }

  /** Returns the option's name. */
  public SqlIdentifier key() {
    return key;
  }

  /** Returns the option's value: a {@link org.apache.calcite.sql.SqlLiteral} or a {@link SqlIdentifier}. */
  public SqlNode value() {
    return value;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(key, value);
  }

  /** Unparses {@code WITH (key = value, ...)}, or nothing if {@code options} is empty. */
  public static void unparseWith(SqlWriter writer, List<SqlTableOption> options) {
    if (options.isEmpty()) {
      return;
    }
    writer.keyword("WITH");
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlTableOption option : options) {
      writer.sep(",");
      option.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    key.unparse(writer, 0, 0);
    writer.keyword("=");
    value.unparse(writer, 0, 0);
  }
}
