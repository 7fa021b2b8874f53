package org.quiver.sql.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlIdentifier;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.ast.SqlAlterUser;
import org.quiver.grammar.ast.SqlCreateUser;
import org.quiver.grammar.ast.SqlDropUser;
import org.quiver.grammar.ast.SqlGrant;
import org.quiver.sql.schema.Session;

/**
 * CREATE / ALTER / DROP USER, GRANT and REVOKE: changes to the users file of the connection's
 * data directory, which a running {@code quiver serve} on that directory sees at its next
 * request. On the server only an admin may run them (anyone may change their own password);
 * embedded connections and a server without users may, as whoever can reach the files can.
 *
 * <p>Error messages name users, roles and tables, never a password.
 */
public final class UserStatements {
  private UserStatements() {}

  public static void create(SqlCreateUser create, Session session) {
    String name = create.name().getSimple();
    requireAdmin("create users");
    UserStore users = users(session, "CREATE USER");
    Role role = create.role() == null ? Role.READ_WRITE : role(create.role());
    char[] password = password(create.password());
    try {
      if (users.find(name).isPresent()) {
        if (create.ifNotExists()) {
          return;
        }
        throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT, "user \"%s\" already exists", name);
      }
      checkName(name);
      users.add(name, role, password);
    } catch (IOException e) {
      throw ioError(users, e);
    }
  }

  public static void drop(SqlDropUser drop, Session session) {
    String name = drop.name().getSimple();
    requireAdmin("drop users");
    UserStore users = users(session, "DROP USER");
    try {
      if (users.find(name).isEmpty()) {
        if (drop.ifExists()) {
          return;
        }
        throw undefinedUser(name);
      }
      keepAnAdmin(users, name, null);
      users.remove(name);
    } catch (IOException e) {
      throw ioError(users, e);
    }
  }

  public static void alter(SqlAlterUser alter, Session session) {
    String name = alter.name().getSimple();
    Optional<User> caller = Caller.current();
    boolean ownPassword = alter.password() != null
        && caller.map(u -> u.name().equals(name)).orElse(false);
    if (!ownPassword) {
      requireAdmin(alter.password() != null ? "change another user's password" : "change roles");
    }
    UserStore users = users(session, "ALTER USER");
    try {
      if (users.find(name).isEmpty()) {
        throw undefinedUser(name);
      }
      if (alter.password() != null) {
        users.setPassword(name, password(alter.password()));
      } else {
        Role role = role(alter.role());
        keepAnAdmin(users, name, role);
        users.setRole(name, role);
      }
    } catch (IOException e) {
      throw ioError(users, e);
    }
  }

  /** GRANT and REVOKE: the table must exist (an alias names its table), and so must the user. */
  public static void grant(SqlGrant grant, Session session) {
    String statement = grant.isGrant() ? "GRANT" : "REVOKE";
    requireAdmin(grant.isGrant() ? "grant privileges" : "revoke privileges");
    Set<Privilege> privileges = privileges(grant.privileges());
    String table = table(grant.table(), session);
    String name = grant.user().getSimple();
    UserStore users = users(session, statement);
    try {
      if (users.find(name).isEmpty()) {
        throw undefinedUser(name);
      }
      users.changeGrants(name, table, privileges, grant.isGrant());
    } catch (IOException e) {
      throw ioError(users, e);
    }
  }

  /**
   * Over the server, refuses to remove or demote the last admin ({@code newRole} null: removal):
   * nobody could manage users in SQL any more. The command line can, on the server's machine.
   */
  private static void keepAnAdmin(UserStore users, String name, Role newRole) throws IOException {
    if (Caller.current().isEmpty() || newRole == Role.ADMIN) {
      return;
    }
    if (users.isLastAdmin(name)) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "\"%s\" is the last admin: create another admin first (or use ./quiver user on the "
              + "server's machine)", name);
    }
  }

  private static Set<Privilege> privileges(List<String> words) {
    Set<Privilege> privileges = EnumSet.noneOf(Privilege.class);
    for (String word : words) {
      switch (word) {
        case "ALL" -> privileges.addAll(EnumSet.allOf(Privilege.class));
        case "UPDATE" -> throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
            "privilege UPDATE is not supported: Quiver has no UPDATE statement (UPSERT needs "
                + "INSERT); privileges are SELECT, INSERT, DELETE and ALL");
        default -> privileges.add(Privilege.valueOf(word));
      }
    }
    return privileges;
  }

  private static String table(SqlIdentifier id, Session session) {
    String name = id.names.get(id.names.size() - 1);
    String table = session.resolveTable(name);
    if (session.engine().table(table).isEmpty()) {
      throw QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", name);
    }
    return table;
  }

  /** Fails with 42501 unless the caller is an admin, or there is no authenticated caller. */
  private static void requireAdmin(String action) {
    Optional<User> caller = Caller.current();
    if (caller.isPresent() && caller.get().role() != Role.ADMIN) {
      throw QuiverException.of(ErrorCode.INSUFFICIENT_PRIVILEGE,
          "permission denied: only an admin may %s; user \"%s\" is %s", action,
          caller.get().name(), caller.get().role().label());
    }
  }

  private static UserStore users(Session session, String statement) {
    Path data = session.dataDirectory().orElseThrow(() -> QuiverException.of(
        ErrorCode.FEATURE_NOT_SUPPORTED,
        "%s is not supported on an in-memory database: users live in a data directory's users "
            + "file; connect with jdbc:quiver:file:<dir>", statement));
    return new UserStore(data);
  }

  private static Role role(SqlIdentifier role) {
    try {
      return Role.parse(role.getSimple());
    } catch (IllegalArgumentException e) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "unknown role \"%s\"; roles are read_only, read_write and admin", role.getSimple());
    }
  }

  private static char[] password(String password) {
    if (password.isEmpty()) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE, "the password is empty");
    }
    return password.toCharArray();
  }

  private static void checkName(String name) {
    try {
      User.checkName(name);
    } catch (IllegalArgumentException e) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s", e.getMessage());
    }
  }

  private static QuiverException undefinedUser(String name) {
    return QuiverException.of(ErrorCode.UNDEFINED_OBJECT, "user \"%s\" does not exist", name);
  }

  private static QuiverException ioError(UserStore users, IOException e) {
    return QuiverException.of(ErrorCode.IO_ERROR, "cannot update the users file %s: %s",
        users.file().getFileName(), e.getMessage());
  }
}
