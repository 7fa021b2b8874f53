package org.quiver.sql.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.jetty.security.AbstractLoginService;
import org.eclipse.jetty.util.security.Credential;
import org.quiver.sql.auth.UserStore;

/** Jetty's view of Quiver's users file: checks HTTP BASIC credentials and gives the user's role. */
final class QuiverLoginService extends AbstractLoginService {
  private final UserStore users;

  QuiverLoginService(UserStore users) {
    this.users = users;
    setName("Quiver");
  }

  @Override
  protected UserPrincipal loadUserInfo(String username) {
    try {
      return users.find(username).isPresent()
          ? new UserPrincipal(username, new StoredPassword(users, username))
          : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected String[] loadRoleInfo(UserPrincipal principal) {
    try {
      return users.find(principal.getName())
          .map(u -> new String[] {u.role().label()})
          .orElse(new String[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A password checked against the users file's hash at the time of the check. */
  private static final class StoredPassword extends Credential {
    private static final long serialVersionUID = 1L;
    private final transient UserStore users;
    private final String name;

    StoredPassword(UserStore users, String name) {
      this.users = users;
      this.name = name;
    }

    @Override
    public boolean check(Object credentials) {
      if (!(credentials instanceof String password)) {
        return false;
      }
      try {
        return users.authenticate(name, password.toCharArray()).isPresent();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
