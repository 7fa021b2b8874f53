package org.quiver.jdbc.internal;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the passwords of CREATE USER and ALTER USER in text that may be shown or logged: Avatica
 * quotes the whole statement in its errors ({@code Error while executing SQL "..."}), and a
 * server's log names statements.
 */
public final class PasswordRedaction {
  /**
   * {@code PASSWORD 'secret'} (also {@code PASSWORD = '...'} and MySQL's {@code IDENTIFIED BY
   * '...'}, which do not parse but are quoted in the syntax error), quotes doubled inside, up to
   * the closing quote or the end.
   */
  private static final Pattern PASSWORD = Pattern.compile(
      "(?i)(?<!['\"])(\\b(?:PASSWORD\\s*=?|IDENTIFIED\\s+BY)\\s*)'[^']*(?:''[^']*)*(?:'|$)");

  private static final String HIDDEN = "'********'";

  private PasswordRedaction() {}

  /** {@code text} with every password literal replaced by {@code '********'}. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = PASSWORD.matcher(text);
    return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(HIDDEN)) : text;
  }

  /**
   * {@code error} itself if no message in its chain carries a password, else a copy with the
   * state and code, the redacted message and no cause (the causes quote the statement too).
   */
  public static SQLException redact(SQLException error) {
    boolean carries = false;
    for (Throwable t = error; t != null && !carries; t = t.getCause()) {
      String message = t.getMessage();
      carries = message != null && !message.equals(redact(message));
    }
    if (!carries) {
      return error;
    }
    SQLException clean = new SQLException(redact(error.getMessage()), error.getSQLState(),
        error.getErrorCode());
    clean.setStackTrace(error.getStackTrace());
    return clean;
  }
}
