package org.quiver.sql.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.server.AvaticaServerConfiguration;
import org.apache.calcite.avatica.server.RemoteUserDisallowedException;
import org.apache.calcite.avatica.server.RemoteUserExtractionException;
import org.apache.calcite.avatica.server.RemoteUserExtractor;
import org.quiver.engine.error.ErrorCode;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;

/**
 * Who runs a request and what they may do. Avatica calls {@link #doAsRemoteUser} around each
 * request with the user Jetty authenticated; the server's meta layer then asks
 * {@link #checkStatement} before a statement is prepared, so a read-only user's INSERT, DELETE or
 * DDL fails with 42501 before it reaches the engine.
 */
public final class AccessControl implements AvaticaServerConfiguration {
  /** Statements a read-only user may run: the first keyword after comments and parentheses. */
  private static final Set<String> READ_ONLY_STATEMENTS =
      Set.of("SELECT", "WITH", "VALUES", "EXPLAIN", "SHOW", "DESCRIBE", "DESC", "SET", "RESET");

  private static final ThreadLocal<User> CALLER = new ThreadLocal<>();

  private final UserStore users;

  AccessControl(UserStore users) {
    this.users = users;
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
    User user;
    try {
      user = users.find(remoteUserName).orElse(null);
    } catch (IOException e) {
      throw new RemoteUserDisallowedException("cannot read the users file: " + e.getMessage());
    }
    if (user == null) {
      throw new RemoteUserDisallowedException("user '" + remoteUserName + "' was removed");
    }
    CALLER.set(user);
    try {
      return action.call();
    } finally {
      CALLER.remove();
    }
  }

  @Override
  public RemoteUserExtractor getRemoteUserExtractor() {
    return request -> {
      String user = request.getRemoteUser();
      if (user == null) {
        throw new RemoteUserExtractionException("the request carries no authenticated user");
      }
      return user;
    };
  }

  /**
   * Fails with 42501 if the user running this request may not run {@code sql}; passes when the
   * server has no users (loopback only).
   */
  static void checkStatement(List<String> sql) {
    User caller = CALLER.get();
    if (caller == null || caller.role() == Role.READ_WRITE) {
      return;
    }
    for (String statement : sql) {
      String keyword = firstKeyword(statement);
      if (!READ_ONLY_STATEMENTS.contains(keyword)) {
        ErrorCode code = ErrorCode.INSUFFICIENT_PRIVILEGE;
        throw new AvaticaRuntimeException("permission denied: user '" + caller.name()
            + "' is " + caller.role().label() + " and cannot run " + keyword,
            code.code(), code.sqlState(), AvaticaSeverity.ERROR);
      }
    }
  }

  /** Whether {@code user} may run {@code sql}: read-only users run only reading statements. */
  public static boolean permits(User user, String sql) {
    return user.role() == Role.READ_WRITE || READ_ONLY_STATEMENTS.contains(firstKeyword(sql));
  }

  /** The first word of a statement, upper case, skipping comments, blanks and parentheses. */
  public static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }
}
