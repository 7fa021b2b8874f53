package org.quiver.sql.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.server.AvaticaServerConfiguration;
import org.apache.calcite.avatica.server.RemoteUserDisallowedException;
import org.apache.calcite.avatica.server.RemoteUserExtractionException;
import org.apache.calcite.avatica.server.RemoteUserExtractor;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.grammar.ParserSettings;
import org.quiver.grammar.StatementKind;
import org.quiver.grammar.ast.SqlAlterUser;
import org.quiver.grammar.ast.SqlCreateUser;
import org.quiver.grammar.ast.SqlDropUser;
import org.quiver.grammar.ast.SqlGrant;
import org.quiver.sql.auth.Caller;
import org.quiver.sql.auth.Privilege;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;

/**
 * Who runs a request and what they may do. Avatica calls {@link #doAsRemoteUser} around each
 * request with the user Jetty authenticated; the server's meta layer then asks
 * {@link #checkStatement} before a statement is prepared, so a read-only user's INSERT, DELETE or
 * DDL fails with 42501 before it reaches the engine, unless a GRANT gave that user INSERT or
 * DELETE on the statement's table. User management (CREATE USER, GRANT, ...) passes here and is
 * checked where it runs ({@link org.quiver.sql.auth.UserStatements}): only admins, and everyone
 * for their own password.
 */
public final class AccessControl implements AvaticaServerConfiguration {
  /** First words of the statements that manage users, which their executor authorises. */
  private static final Set<String> USER_STATEMENTS = Set.of("CREATE", "DROP", "ALTER", "GRANT",
      "REVOKE");

  private final UserStore users;
  /** Alias to table, so that a grant on a table also covers writes through its aliases. */
  private final Supplier<Map<String, String>> aliases;

  /** The users file's version when the server started: any change since closes an open server. */
  private final List<Object> openVersion;
  /**
   * Whether requests need credentials. Once set it stays set for the server's life: only a
   * restart without users (on loopback) opens a server again.
   */
  private volatile boolean closed;
  /** Whether the server started open: only then can a connection without a login exist. */
  private final boolean startedOpen;
  /**
   * Connections opened without a login while the server was open. Once it closes they may still
   * close their statements and themselves (which frees resources and reveals nothing), so that
   * the statement that created the first user ends cleanly; every other request needs a login.
   */
  private final Set<String> openedWithoutLogin = ConcurrentHashMap.newKeySet();

  /**
   * Access control over {@code users}; the server runs open only if it listens on
   * {@code loopback} only and the users file has no users now.
   *
   * @throws IOException if the users file cannot be read
   */
  public AccessControl(UserStore users, Supplier<Map<String, String>> aliases, boolean loopback)
      throws IOException {
    this.users = users;
    this.aliases = aliases;
    this.openVersion = users.version();
    this.closed = !loopback || !users.users().isEmpty();
    this.startedOpen = !closed;
  }

  /**
   * Whether the server started open (loopback, no users): only there may a request without
   * credentials still reach Avatica once the server has users, to close what it opened
   * ({@link #checkLogin}).
   */
  public boolean startedOpen() {
    return startedOpen;
  }

  /**
   * Whether requests need no credentials: only on a server that started on loopback without
   * users, and only until the users file first changes. The first user (CREATE USER or
   * {@code quiver user add}) turns authentication on at once, and removing every user later
   * leaves a server nobody can log in to, never an open one: {@code quiver user remove} edits
   * the file behind the server's back, and an anonymous client must not then be able to make
   * itself an admin.
   */
  public boolean openWithoutUsers() {
    if (closed) {
      return false;
    }
    try {
      // The file as it was at the start had no users: only a change of its version can add one,
      // so one look at the version per request is enough.
      if (!Objects.equals(users.version(), openVersion)) {
        closed = true;
      }
    } catch (IOException e) {
      closed = true;
    }
    return !closed;
  }

  /** Records that connection {@code connectionId} was opened by the caller of this request. */
  public void connectionOpened(String connectionId) {
    if (Caller.current().isEmpty()) {
      openedWithoutLogin.add(connectionId);
    }
  }

  /** Forgets connection {@code connectionId}, closed by the caller of this request. */
  public void connectionClosed(String connectionId) {
    openedWithoutLogin.remove(connectionId);
  }

  /**
   * Fails with 28000 if a request without a login may not run {@code method} (a
   * {@link org.apache.calcite.avatica.Meta} method) on connection {@code connectionId}: once the
   * server has users, such a request may only close a statement or a connection that was opened
   * while the server was open.
   */
  public void checkLogin(String method, String connectionId) {
    if (Caller.current().isPresent() || openWithoutUsers()) {
      return;
    }
    boolean closing = "closeStatement".equals(method) || "closeConnection".equals(method);
    if (closing && openedWithoutLogin.contains(connectionId)) {
      return;
    }
    ErrorCode code = ErrorCode.INVALID_AUTHORIZATION;
    throw new AvaticaRuntimeException("this server requires a login since its first user was"
        + " created: connect again with user and password", code.code(), code.sqlState(),
        AvaticaSeverity.ERROR);
  }

  @Override
  public AuthenticationType getAuthenticationType() {
    return AuthenticationType.CUSTOM;
  }

  @Override
  public String getKerberosRealm() {
    return null;
  }

  @Override
  public String getKerberosServiceName() {
    return null;
  }

  @Override
  public String getKerberosHostName() {
    return null;
  }

  @Override
  public String getKerberosPrincipal() {
    return null;
  }

  @Override
  public String[] getAllowedRoles() {
    return Arrays.stream(Role.values()).map(Role::label).toArray(String[]::new);
  }

  @Override
  public String getHashLoginServiceRealm() {
    return "Quiver";
  }

  @Override
  public String getHashLoginServiceProperties() {
    return null;
  }

  @Override
  public boolean supportsImpersonation() {
    return true;
  }

  @Override
  public <T> T doAsRemoteUser(String remoteUserName, String remoteAddress, Callable<T> action)
      throws Exception {
    if (remoteUserName.isEmpty()) {
      // A request without credentials on a server that started open: checkLogin decides
      // what it may do.
      return action.call();
    }
    User user;
    try {
      user = users.find(remoteUserName).orElse(null);
    } catch (IOException e) {
      throw new RemoteUserDisallowedException("cannot read the users file: " + e.getMessage());
    }
    if (user == null) {
      throw new RemoteUserDisallowedException("user '" + remoteUserName + "' was removed");
    }
    return Caller.runAs(user, action);
  }

  @Override
  public RemoteUserExtractor getRemoteUserExtractor() {
    return request -> {
      String user = request.getRemoteUser();
      if (user == null) {
        if (startedOpen) {
          return "";
        }
        throw new RemoteUserExtractionException("the request carries no authenticated user");
      }
      return user;
    };
  }

  /**
   * Fails with 42501 if the user running this request may not run {@code sql}; passes when the
   * server has no users (loopback only).
   */
  public void checkStatement(List<String> sql) {
    User caller = Caller.current().orElse(null);
    if (caller == null || caller.role().writes()) {
      return;
    }
    for (String statement : sql) {
      String keyword = StatementKind.firstKeyword(statement);
      if (StatementKind.ofKeyword(keyword).readOnly() || granted(caller, keyword, statement)) {
        continue;
      }
      ErrorCode code = ErrorCode.INSUFFICIENT_PRIVILEGE;
      throw new AvaticaRuntimeException("permission denied: user '" + caller.name()
          + "' is " + caller.role().label() + " and cannot run " + keyword
          + ("INSERT".equals(keyword) || "UPSERT".equals(keyword) || "DELETE".equals(keyword)
              ? " on this table (an admin can GRANT " + ("DELETE".equals(keyword)
                  ? "DELETE" : "INSERT") + " ON table TO " + caller.name() + ")" : ""),
          code.code(), code.sqlState(), AvaticaSeverity.ERROR);
    }
  }

  /**
   * Whether a read-only user may run {@code statement} all the same: a user statement (checked
   * where it runs), or an INSERT, UPSERT or DELETE on a table where the user was granted it.
   */
  private boolean granted(User caller, String keyword, String statement) {
    if (!USER_STATEMENTS.contains(keyword) && !keyword.equals("INSERT")
        && !keyword.equals("UPSERT") && !keyword.equals("DELETE")) {
      return false;
    }
    SqlNode node;
    try {
      node = SqlParser.create(statement, ParserSettings.CONFIG).parseStmt();
    } catch (SqlParseException e) {
      return false;
    }
    if (node instanceof SqlCreateUser || node instanceof SqlDropUser
        || node instanceof SqlAlterUser || node instanceof SqlGrant) {
      return true;
    }
    SqlNode target;
    Privilege privilege;
    if (node instanceof SqlInsert insert) {
      target = insert.getTargetTable();
      privilege = Privilege.INSERT;
    } else if (node instanceof SqlDelete delete) {
      target = delete.getTargetTable();
      privilege = Privilege.DELETE;
    } else {
      return false;
    }
    if (!(target instanceof SqlIdentifier id)) {
      return false;
    }
    String name = id.names.get(id.names.size() - 1);
    return caller.may(privilege, aliases.get().getOrDefault(name, name));
  }
}
