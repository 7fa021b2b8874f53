package org.quiver.sql.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user may do: read every table; read and write every table (INSERT, DELETE, DDL); or
 * that and manage users and grants (admin). Table grants add rights to a role, never remove them.
 */
public enum Role {
  READ_ONLY,
  READ_WRITE,
  ADMIN;

  /** The name in the users file and on the command line, e.g. {@code read-only}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether the role writes every table and runs DDL. */
  public boolean writes() {
    return this != READ_ONLY;
  }

  /** Parses {@code read-only} as well as {@code read_only} (SQL names cannot hold a '-'). */
  public static Role parse(String label) {
    String normal = label.toLowerCase(Locale.ROOT).replace('_', '-');
    for (Role r : values()) {
      if (r.label().equals(normal)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + label + "': expected one of "
        + Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", ")));
  }
}
