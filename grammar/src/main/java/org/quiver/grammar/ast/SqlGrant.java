package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code GRANT privilege, ... ON [TABLE] table TO user} and {@code REVOKE privilege, ... ON
 * [TABLE] table FROM user}; a privilege is SELECT, INSERT, UPDATE, DELETE or ALL, as written
 * (upper case), and the SQL layer decides which it supports.
 */
public final class SqlGrant extends SqlDdl {

  private static final SqlOperator GRANT =
      new SqlSpecialOperator("GRANT", SqlKind.OTHER_DDL);
  private static final SqlOperator REVOKE =
      new SqlSpecialOperator("REVOKE", SqlKind.OTHER_DDL);

  private final boolean grant;
  private final List<String> privileges;
  private final SqlIdentifier table;
  private final SqlIdentifier user;

  /** Creates a GRANT ({@code grant} true) or REVOKE statement. */
  public SqlGrant(SqlParserPos pos, boolean grant, List<String> privileges, SqlIdentifier table,
      SqlIdentifier user) {
    super(grant ? GRANT : REVOKE, pos);
    this.grant = grant;
    this.privileges = List.copyOf(privileges);
    this.table = requireNonNull(table, "table");
    this.user = requireNonNull(user, "user");
  }

  /** Whether this is a GRANT; false for REVOKE. */
  public boolean isGrant() {
    return grant;
  }

  public List<String> privileges() {
    return privileges;
  }

  public SqlIdentifier table() {
    return table;
  }

  public SqlIdentifier user() {
    return user;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(table, user);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(grant ? "GRANT" : "REVOKE");
    writer.keyword(String.join(", ", privileges));
    writer.keyword("ON TABLE");
    table.unparse(writer, 0, 0);
    writer.keyword(grant ? "TO" : "FROM");
    user.unparse(writer, 0, 0);
  }
}
