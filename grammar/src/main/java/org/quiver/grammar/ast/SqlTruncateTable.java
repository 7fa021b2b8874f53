package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlTruncate;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code TRUNCATE [TABLE] name}: deletes every row of the table, keeping its definition. */
public final class SqlTruncateTable extends SqlTruncate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("TRUNCATE TABLE", SqlKind.TRUNCATE_TABLE);

  private final SqlIdentifier name;

  /** Creates a TRUNCATE TABLE statement. */
  public SqlTruncateTable(SqlParserPos pos, SqlIdentifier name) {
    super(OPERATOR, pos);
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
    writer.keyword("TRUNCATE TABLE");
    name.unparse(writer, leftPrec, rightPrec);
  }
}
