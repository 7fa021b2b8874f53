package org.quiver.sql.auth;

import java.util.Locale;

/** What a GRANT gives on one table. */
public enum Privilege {
  SELECT,
  INSERT,
  DELETE;

  /** The name in the users file, lower case. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Privilege parse(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
