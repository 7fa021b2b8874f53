package org.quiver.sql.auth;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A user of {@code quiver serve}: a name, a role, a password hash (never the password) and the
 * privileges granted on single tables, on top of what the role gives.
 *
 * @param passwordHash in {@link PasswordHash}'s text form
 * @param grants by table name
 */
public record User(String name, Role role, String passwordHash,
    Map<String, Set<Privilege>> grants) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@-]{0,63}");

  public User {
    checkName(name);
    TreeMap<String, Set<Privilege>> copy = new TreeMap<>();
    grants.forEach((table, privileges) -> {
      if (!privileges.isEmpty()) {
        copy.put(table, Set.copyOf(privileges));
      }
    });
    grants = java.util.Collections.unmodifiableMap(copy);
  }

  public User(String name, Role role, String passwordHash) {
    this(name, role, passwordHash, Map.of());
  }

  /** Whether this user may {@code privilege} on {@code table}: every role reads everything. */
  public boolean may(Privilege privilege, String table) {
    return privilege == Privilege.SELECT || role.writes()
        || grants.getOrDefault(table, Set.of()).contains(privilege);
  }

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid user name '" + name + "': letters, digits, "
          + "'_', '.', '@' and '-', starting with a letter or '_', at most 64 characters");
    }
  }
}
