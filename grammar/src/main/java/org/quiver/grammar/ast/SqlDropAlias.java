package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code DROP ALIAS [IF EXISTS] alias}; the table it stood for is left as it is. */
public final class SqlDropAlias extends SqlDrop {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP ALIAS", SqlKind.OTHER_DDL);

  private final SqlIdentifier alias;

  /** Creates a DROP ALIAS statement. */
  public SqlDropAlias(SqlParserPos pos, boolean ifExists, SqlIdentifier alias) {
    super(OPERATOR, pos, ifExists);
    this.alias = requireNonNull(alias, "alias");
  }

  /** Returns the alias. */
  public SqlIdentifier alias() {
    return alias;
  }

  /** Returns whether IF EXISTS was written. */
  public boolean ifExists() {
    return ifExists;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(alias);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP ALIAS");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    alias.unparse(writer, 0, 0);
  }
}
