package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@code CREATE ALIAS alias FOR table}: a second name by which queries reach a table. */
public final class SqlCreateAlias extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE ALIAS", SqlKind.OTHER_DDL);

  private final SqlIdentifier alias;
  private final SqlIdentifier table;

  /** Creates a CREATE ALIAS statement. */
  public SqlCreateAlias(SqlParserPos pos, SqlIdentifier alias, SqlIdentifier table) {
    super(OPERATOR, pos, false, false);
    this.alias = requireNonNull(alias, "alias");
    this.table = requireNonNull(table, "table");
  }

  /** Returns the alias. */
  public SqlIdentifier alias() {
    return alias;
  }

  /** Returns the name of the table the alias stands for. */
  public SqlIdentifier table() {
    return table;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(alias, table);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE ALIAS");
    alias.unparse(writer, 0, 0);
    writer.keyword("FOR");
    table.unparse(writer, 0, 0);
  }
}
