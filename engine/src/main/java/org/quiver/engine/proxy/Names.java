package org.quiver.engine.proxy;

import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.MetaTable;

/**
 * The names a table, column or alias may take: not {@code sys} (the schema of the catalog
 * tables) nor one ending in {@code @<digits>} (the catalog's names of table versions) for a table
 * or alias, and for any of them no control character, no {@code /}, and not
 * {@code .} or {@code ..}, which read as paths wherever a name reaches a file or a log line.
 */
final class Names {
  /** The schema that holds the catalog's tables. */
  private static final String SYSTEM_SCHEMA = "sys";

  private Names() {}

  /** Fails with 42602 unless {@code name} may name a table or an alias ({@code kind}). */
  static void checkTableOrAlias(String kind, String name) {
    check(kind, name);
    if (name.equalsIgnoreCase(SYSTEM_SCHEMA)) {
      throw invalid(kind, name, "it is reserved for the catalog's schema");
    }
    if (MetaTable.isStaging(name)) {
      throw invalid(kind, name, "a name ending in '@' and digits is reserved for the versions"
          + " of a table the catalog keeps (a dropped table read back in time, a table being"
          + " filled to replace another)");
    }
  }

  /** Fails with 42602 unless {@code name} may name a column. */
  static void checkColumn(String name) {
    check("column", name);
  }

  private static void check(String kind, String name) {
    if (name.isEmpty()) {
      throw invalid(kind, name, "a name needs at least one character");
    }
    if (name.equals(".") || name.equals("..")) {
      throw invalid(kind, name, "it reads as a path");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/') {
        throw invalid(kind, name, "it contains '/'");
      }
      if (Character.isISOControl(c)) {
        throw invalid(kind, name, String.format("it contains the control character U+%04X", (int) c));
      }
    }
  }

  private static QuiverException invalid(String kind, String name, String why) {
    return QuiverException.of(ErrorCode.INVALID_NAME, "invalid %s name \"%s\": %s", kind,
        printable(name), why);
  }

  /** The name with its control characters escaped, so that the message shows them. */
  private static String printable(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
