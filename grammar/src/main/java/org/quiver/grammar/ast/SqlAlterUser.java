package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlDdl;
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
 * {@code ALTER USER name [WITH] PASSWORD 'secret'} or {@code ALTER USER name ROLE role}: exactly
 * one of password and role is set. The password unparses as {@code '********'}.
 */
public final class SqlAlterUser extends SqlDdl {
  /** What a password unparses as. */
  static final String HIDDEN_PASSWORD = "'********'";

  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER USER", SqlKind.OTHER_DDL);

  private final SqlIdentifier name;
  private final @Nullable String password;
  private final @Nullable SqlIdentifier role;

  /** Creates an ALTER USER statement that sets the password or the role. */
  public SqlAlterUser(SqlParserPos pos, SqlIdentifier name, @Nullable String password,
      @Nullable SqlIdentifier role) {
    super(OPERATOR, pos);
    this.name = requireNonNull(name, "name");
    if ((password == null) == (role == null)) {
      throw new IllegalArgumentException("ALTER USER sets either the password or the role");
    }
    this.password = password;
    this.role = role;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** The new password, or null if this statement changes the role. */
  public @Nullable String password() {
    return password;
  }

  /** The new role, or null if this statement changes the password. */
  public @Nullable SqlIdentifier role() {
    return role;
  }

  @Override public List<SqlNode> getOperandList() {
    return role == null ? List.of(name) : List.of(name, role);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER USER");
    name.unparse(writer, 0, 0);
    if (role != null) {
      writer.keyword("ROLE");
      role.unparse(writer, 0, 0);
    } else {
      writer.keyword("PASSWORD");
      writer.literal(HIDDEN_PASSWORD);
    }
  }
}
