package org.quiver.grammar;

import java.util.Locale;

/**
 * What a statement is, told from its first keyword before it is parsed: whether it returns rows,
 * whether it may change data, whether it can be prepared without running it. The doors decide by
 * it what to do with a statement they have not parsed yet (a read-only user's statement, a Flight
 * SQL statement's result shape, the kind a metric counts it under), all from this one table.
 */
public enum StatementKind {
  /** SELECT, WITH, VALUES. */
  QUERY(true, true, true),
  /** EXPLAIN, SHOW, DESCRIBE, DESC: rows about the catalog or a plan. */
  INSPECT(true, true, true),
  /** SET, RESET, CANCEL: the session's settings and its running statements. */
  SESSION(false, true, false),
  /** INSERT, UPSERT. */
  INSERT(false, false, true),
  /** DELETE. */
  DELETE(false, false, true),
  /** UPDATE, MERGE. */
  UPDATE(false, false, true),
  /**
   * Everything else: DDL, users and grants, COPY, FLUSH, LOAD and the other commands, which
   * Calcite runs while preparing them.
   */
  COMMAND(false, false, false);

  private final boolean returnsRows;
  private final boolean readOnly;
  private final boolean preparable;

  StatementKind(boolean returnsRows, boolean readOnly, boolean preparable) {
    this.returnsRows = returnsRows;
    this.readOnly = readOnly;
    this.preparable = preparable;
  }

  /** Whether it answers with rows rather than an update count. */
  public boolean returnsRows() {
    return returnsRows;
  }

  /** Whether it never changes data, the catalog or the users. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Whether Calcite prepares it without running it (commands run while being prepared). */
  public boolean preparable() {
    return preparable;
  }

  /** The kind of {@code sql}, from its {@link #firstKeyword}. */
  public static StatementKind of(String sql) {
    return ofKeyword(firstKeyword(sql));
  }

  /** The kind of a statement whose {@link #firstKeyword} is {@code keyword}. */
  public static StatementKind ofKeyword(String keyword) {
    return switch (keyword) {
      case "SELECT", "WITH", "VALUES" -> QUERY;
      case "EXPLAIN", "SHOW", "DESCRIBE", "DESC" -> INSPECT;
      case "SET", "RESET", "CANCEL" -> SESSION;
      case "INSERT", "UPSERT" -> INSERT;
      case "DELETE" -> DELETE;
      case "UPDATE", "MERGE" -> UPDATE;
      default -> COMMAND;
    };
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
