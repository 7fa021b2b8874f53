package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE USER [IF NOT EXISTS] name [WITH] PASSWORD 'secret' [ROLE role]}: a user of
 * {@code quiver serve}. The password never leaves this node in text: it unparses as
 * {@code '********'}, so that a statement printed in a log or an error tells no secret.
 */
public final class SqlCreateUser extends SqlCreate {

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE USER", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final String password;
  private final @Nullable SqlIdentifier role;

  /** Creates a CREATE USER statement; {@code role} is null when not written. */
  public SqlCreateUser(SqlParserPos pos, boolean ifNotExists, SqlIdentifier name, String password,
      @Nullable SqlIdentifier role) {
    super(OPERATOR, pos, false, ifNotExists);
    this.name = requireNonNull(name, "name");
    this.password = requireNonNull(password, "password");
    this.role = role;
  }

  public SqlIdentifier name() {
    return name;
  }

  public String password() {
    return password;
  }

  /** The role written after ROLE, or null. */
  public @Nullable SqlIdentifier role() {
    return role;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  @Override public List<SqlNode> getOperandList() {
    return role == null ? List.of(name) : List.of(name, role);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE USER");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    writer.keyword("PASSWORD");
    writer.literal(SqlAlterUser.HIDDEN_PASSWORD);
    if (role != null) {
      writer.keyword("ROLE");
      role.unparse(writer, 0, 0);
    }
  }
}
