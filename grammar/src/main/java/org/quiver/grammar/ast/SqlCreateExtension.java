package org.quiver.grammar.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** PostgreSQL's {@code CREATE EXTENSION [IF NOT EXISTS] name}, the first line of pgvector scripts. */
public final class SqlCreateExtension extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE EXTENSION", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;

  /** Creates a CREATE EXTENSION statement. */
  public SqlCreateExtension(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = requireNonNull(name, "name");
  }

  /** Returns the extension's name. */
  public SqlIdentifier name() {
    return name;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE EXTENSION");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
  }
}
