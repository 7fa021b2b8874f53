package org.quiver.grammar;

import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;
import org.quiver.grammar.ast.SqlAlterUser;
import org.quiver.grammar.ast.SqlCreateUser;
import org.quiver.grammar.ast.SqlDropUser;
import org.quiver.grammar.ast.SqlGrant;
import org.quiver.grammar.ast.SqlShowSetting;
import org.quiver.grammar.ast.SqlShowUsers;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quiver.grammar.Parsing.parse;
import static org.quiver.grammar.Parsing.roundTrip;
import static org.quiver.grammar.Parsing.unparse;

/** CREATE / ALTER / DROP USER, SHOW USERS, GRANT and REVOKE; their words stay usable as names. */
class UserGrammarTest {

  @Test void createUserKeepsThePasswordButNeverUnparsesIt() throws SqlParseException {
    SqlCreateUser create = assertInstanceOf(SqlCreateUser.class, roundTrip(
        "create user Bob password 's3cret' role read_only",
        "CREATE USER \"bob\" PASSWORD '********' ROLE \"read_only\""));
    assertEquals(SqlKind.OTHER_DDL, create.getKind());
    assertEquals("bob", create.name().getSimple());
    assertEquals("s3cret", create.password());
    assertEquals("read_only", create.role().getSimple());
    assertFalse(create.ifNotExists());
    assertFalse(unparse(create).contains("s3cret"));
    assertFalse(create.toString().contains("s3cret"));

    SqlCreateUser postgresStyle = assertInstanceOf(SqlCreateUser.class,
        parse("CREATE USER IF NOT EXISTS carol WITH PASSWORD 'x'"));
    assertTrue(postgresStyle.ifNotExists());
    assertNull(postgresStyle.role());
    assertEquals("admin", ((SqlCreateUser) parse("create user a password 'p' role admin"))
        .role().getSimple());
  }

  @Test void createUserNeedsAPasswordString() {
    assertThrows(SqlParseException.class, () -> parse("CREATE USER bob"));
    assertThrows(SqlParseException.class, () -> parse("CREATE USER bob PASSWORD secret"));
    assertThrows(SqlParseException.class, () -> parse("CREATE OR REPLACE USER bob PASSWORD 'x'"));
  }

  @Test void alterAndDropUser() throws SqlParseException {
    SqlAlterUser password = assertInstanceOf(SqlAlterUser.class, roundTrip(
        "alter user bob with password 'new'", "ALTER USER \"bob\" PASSWORD '********'"));
    assertEquals("new", password.password());
    assertNull(password.role());
    SqlAlterUser role = assertInstanceOf(SqlAlterUser.class, roundTrip(
        "ALTER USER bob ROLE read_write", "ALTER USER \"bob\" ROLE \"read_write\""));
    assertNull(role.password());
    assertEquals("read_write", role.role().getSimple());

    SqlDropUser drop = assertInstanceOf(SqlDropUser.class,
        roundTrip("drop user bob", "DROP USER \"bob\""));
    assertFalse(drop.ifExists());
    assertTrue(((SqlDropUser) roundTrip("DROP USER IF EXISTS bob", "DROP USER IF EXISTS \"bob\""))
        .ifExists());
  }

  @Test void grantAndRevoke() throws SqlParseException {
    SqlGrant grant = assertInstanceOf(SqlGrant.class, roundTrip(
        "grant insert, delete on table docs to bob",
        "GRANT INSERT, DELETE ON TABLE \"docs\" TO \"bob\""));
    assertTrue(grant.isGrant());
    assertEquals(List.of("INSERT", "DELETE"), grant.privileges());
    assertEquals("docs", grant.table().getSimple());
    assertEquals("bob", grant.user().getSimple());

    SqlGrant revoke = assertInstanceOf(SqlGrant.class, roundTrip(
        "REVOKE ALL PRIVILEGES ON public.docs FROM bob",
        "REVOKE ALL ON TABLE \"public\".\"docs\" FROM \"bob\""));
    assertFalse(revoke.isGrant());
    assertEquals(List.of("ALL"), revoke.privileges());

    assertThrows(SqlParseException.class, () -> parse("GRANT SELECT ON docs FROM bob"));
    assertThrows(SqlParseException.class, () -> parse("REVOKE SELECT ON docs TO bob"));
  }

  @Test void showUsersIsAQueryOfSysUsers() throws SqlParseException {
    SqlNode show = parse("show users");
    assertInstanceOf(SqlShowUsers.class, show);
    assertEquals("SHOW USERS", unparse(show));
    assertEquals("sys.users", ((SqlSelect) show).getFrom().toString().replace("`", ""));
    // Any other word after SHOW is still a setting.
    assertInstanceOf(SqlShowSetting.class, parse("SHOW user_limit"));
  }

  @Test void newWordsStayNames() throws SqlParseException {
    assertEquals("SELECT \"password\", \"users\", \"role\", \"admin\"\nFROM \"users\"",
        unparse(parse("select password, users, role, admin from users")));
    roundTrip("CREATE TABLE users (password VARCHAR PRIMARY KEY)",
        "CREATE TABLE \"users\" (\"password\" VARCHAR PRIMARY KEY)");
  }
}
