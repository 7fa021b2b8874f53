package org.quiver.sql.auth;

import java.util.regex.Pattern;

/**
 * A user of {@code quiver serve}: a name, a role and a password hash (never the password).
 *
 * @param passwordHash in {@link PasswordHash}'s text form
 */
public record User(String name, Role role, String passwordHash) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@-]{0,63}");

  public User {
    checkName(name);
  }

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid user name '" + name + "': letters, digits, "
          + "'_', '.', '@' and '-', starting with a letter or '_', at most 64 characters");
    }
  }
}
