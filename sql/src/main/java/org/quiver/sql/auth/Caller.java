package org.quiver.sql.auth;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The authenticated user on whose behalf this thread runs a request of {@code quiver serve}.
 * Absent for embedded connections and for a server without users (loopback only): there, whoever
 * can reach the data may do anything, as with the files themselves.
 */
public final class Caller {
  private static final ThreadLocal<User> CURRENT = new ThreadLocal<>();

  private Caller() {}

  public static Optional<User> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Runs {@code action} as {@code user}. */
  public static <T> T runAs(User user, Callable<T> action) throws Exception {
    User outer = CURRENT.get();
    CURRENT.set(user);
    try {
      return action.call();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }
}
