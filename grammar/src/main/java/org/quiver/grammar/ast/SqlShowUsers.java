package org.quiver.grammar.ast;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.quiver.grammar.QuiverNames;

import java.util.List;

/**
 * {@code SHOW USERS}, which is a query of {@code sys.users} ordered by name to the validator and
 * planner: names, roles and table grants, never password hashes.
 */
public final class SqlShowUsers extends SqlSelect {
  /** The table in the {@code sys} schema. */
  public static final String TABLE = "users";
  public static final String USER_NAME = "user_name";
  public static final String ROLE = "role";
  public static final String GRANTS = "grants";
  /** The columns shown, in order. */
  public static final List<String> COLUMNS = List.of(USER_NAME, ROLE, GRANTS);

  /** Creates the query. */
  public SqlShowUsers(SqlParserPos pos) {
    super(pos, null, identifiers(COLUMNS, pos),
        new SqlIdentifier(List.of(QuiverNames.SYSTEM_SCHEMA, TABLE), pos),
        null, null, null, null, null, identifiers(List.of(USER_NAME), pos), null, null, null);
  }

  private static SqlNodeList identifiers(List<String> names, SqlParserPos pos) {
    SqlNodeList list = new SqlNodeList(pos);
    for (String name : names) {
      list.add(new SqlIdentifier(name, pos));
    }
    return list;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW USERS");
  }
}
