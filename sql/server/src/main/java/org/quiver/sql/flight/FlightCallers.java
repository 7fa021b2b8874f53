package org.quiver.sql.flight;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.quiver.engine.api.Engine;
import org.quiver.sql.auth.Caller;
import org.quiver.sql.auth.Privilege;
import org.quiver.sql.auth.User;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.AccessControl;

/**
 * Who calls a Flight SQL method and what they may do: the caller's name from the call, checked
 * against the users file on every call (a user removed while connected loses access at once),
 * the server's check of a statement before it runs, and running work as that user so that grants
 * and user statements see who runs them.
 */
final class FlightCallers {
  private final Engine engine;
  private final UserStore users;
  private final AccessControl access;

  FlightCallers(Engine engine, UserStore users, AccessControl access) {
    this.engine = engine;
    this.users = users;
    this.access = access;
  }

  /** The caller's name ("" while the server runs open), checked against the users file now. */
  String name(CallContext context) {
    String name = context.peerIdentity() == null ? "" : context.peerIdentity();
    if (name.isEmpty() && access.openWithoutUsers()) {
      return name;
    }
    user(name);
    return name;
  }

  /** The user of this name from the users file, or null while the server runs open. */
  private User user(String name) {
    if (name.isEmpty() && access.openWithoutUsers()) {
      return null;
    }
    try {
      return users.find(name).orElseThrow(() -> FlightErrors.error("28000",
          name.isEmpty() ? "this server has users now: log in with user and password"
              : "user '" + name + "' was removed"));
    } catch (IOException e) {
      throw FlightErrors.error("58030", "cannot read the users file: " + e.getMessage());
    }
  }

  /** Runs {@code action} as the user {@code name}. */
  <T> T runAs(String name, Callable<T> action) throws SQLException {
    return as(name, null, action);
  }

  /** Fails with the server's refusal if the user {@code name} may not run {@code sql}. */
  void checkMayRun(String name, String sql) {
    try {
      as(name, sql, () -> null);
    } catch (SQLException e) {
      throw FlightErrors.of(e);
    }
  }

  /** Fails with 42501 if the user {@code name} may not bulk-ingest into {@code table}. */
  void checkMayWrite(String name, String table) {
    User u = user(name);
    String target = engine.aliases().getOrDefault(table, table);
    if (u != null && !u.role().writes() && !u.may(Privilege.INSERT, target)) {
      throw FlightErrors.error("42501", "permission denied: user '" + name + "' is "
          + u.role().label() + " and cannot ingest into table " + table
          + " (an admin can GRANT INSERT ON " + table + " TO " + name + ")");
    }
  }

  /**
   * Runs {@code action} as the caller, after the server's own check of what the caller may run
   * ({@link AccessControl#checkStatement}) when {@code sql} is given; the check reads the caller
   * that {@link Caller#runAs} sets, so it runs inside it.
   */
  private <T> T as(String name, String sql, Callable<T> action) throws SQLException {
    User u = user(name);
    try {
      return Caller.runAs(u, () -> {
        if (sql != null) {
          try {
            access.checkStatement(List.of(sql));
          } catch (AvaticaRuntimeException denied) {
            throw FlightErrors.error(denied.getSqlState(), denied.getErrorMessage());
          }
        }
        return action.call();
      });
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException(e.getMessage(), "XX000", e);
    }
  }
}
