package org.quiver.sql.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a user may do: read, or read and write (INSERT, DELETE, DDL). */
public enum Role {
  READ_ONLY,
  READ_WRITE;

  /** The name in the users file and on the command line, e.g. {@code read-only}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Role parse(String label) {
    for (Role r : values()) {
      if (r.label().equals(label)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + label + "': expected one of "
        + Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", ")));
  }
}
