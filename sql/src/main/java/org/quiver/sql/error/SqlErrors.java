package org.quiver.sql.error;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.sql.SQLFeatureNotSupportedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;

/**
 * Turns whatever went wrong under a statement (a Quiver error, a Calcite parse or validation
 * error) into a SQLException with the SQLSTATE of Quiver's error catalogue and a message that
 * names the bad value and, where there is one, the position.
 */
public final class SqlErrors {
  private static final Pattern NOT_NULL =
      Pattern.compile("Column '([^']*)' has no default value and does not allow NULLs");
  private static final Pattern NOT_FOUND =
      Pattern.compile("(Object|Table|Column|Schema) '([^']*)' not found(.*)");

  private static final Pattern ENCOUNTERED = Pattern.compile("^Encountered \"(.*)\" at line");
  private static final int MAX_EXPECTED = 12;
  /** JavaCC's names of token kinds, in words; kinds not listed are internal and not shown. */
  private static final Map<String, String> TOKEN_KINDS = Map.ofEntries(
      Map.entry("<IDENTIFIER>", "a name"),
      Map.entry("<QUOTED_IDENTIFIER>", "a name"),
      Map.entry("<BACK_QUOTED_IDENTIFIER>", "a name"),
      Map.entry("<BRACKET_QUOTED_IDENTIFIER>", "a name"),
      Map.entry("<UNICODE_QUOTED_IDENTIFIER>", "a name"),
      Map.entry("<UNSIGNED_INTEGER_LITERAL>", "a number"),
      Map.entry("<APPROX_NUMERIC_LITERAL>", "a number"),
      Map.entry("<DECIMAL_NUMERIC_LITERAL>", "a number"),
      Map.entry("<QUOTED_STRING>", "a string"),
      Map.entry("<PREFIXED_STRING_LITERAL>", "a string"),
      Map.entry("<UNICODE_STRING_LITERAL>", "a string"),
      Map.entry("<EOF>", "end of statement"),
      Map.entry("<HOOK>", "?"));

  private SqlErrors() {}

  public static SQLException translate(SQLException error) {
    if (error.getSQLState() != null && !error.getSQLState().isEmpty()
        && !(error.getCause() instanceof RuntimeException)) {
      return error;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof QuiverException q) {
        return of(q.code(), q.getMessage(), error);
      }
      if (t instanceof NumberFormatException n) {
        return of(ErrorCode.INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for a number: " + n.getMessage(), error);
      }
      if (t instanceof ArithmeticException a) {
        return of(ErrorCode.NUMERIC_OUT_OF_RANGE, a.getMessage(), error);
      }
      if (t instanceof SqlParseException p) {
        return of(ErrorCode.SYNTAX_ERROR, syntaxError(p), error);
      }
      if (t instanceof CalciteContextException c) {
        return validation(c, error);
      }
    }
    return of(ErrorCode.INTERNAL_ERROR, rootMessage(error), error);
  }

  /**
   * Returns a parse error in words a user reads: {@code syntax error at line 1, column 8:
   * unexpected "x"; expected one of: FROM, WHERE, ...}, with punctuation and keywords before
   * kinds of token, the list capped, and the words Calcite's grammar would take as names left
   * out when a name is expected (they are most of its keywords).
   */
  static String syntaxError(SqlParseException p) {
    String first = p.getMessage().lines().findFirst().orElse("syntax error");
    String where = p.getPos() != null && p.getPos().getLineNum() > 0
        ? String.format("syntax error at line %d, column %d: ", p.getPos().getLineNum(),
            p.getPos().getColumnNum())
        : "syntax error: ";
    if (first.startsWith("Non-query expression encountered in illegal context")) {
      return where + "this does not start a statement; is a keyword misspelled?";
    }
    Matcher m = ENCOUNTERED.matcher(first);
    if (!m.find() || p.getExpectedTokenSequences() == null || p.getTokenImages() == null) {
      return where + first;
    }
    String found = m.group(1).equals("<EOF>") ? "end of statement" : "\"" + m.group(1) + "\"";
    Set<String> punctuation = new LinkedHashSet<>();
    Set<String> keywords = new TreeSet<>();
    Set<String> kinds = new LinkedHashSet<>();
    for (int[] sequence : p.getExpectedTokenSequences()) {
      if (sequence.length == 0) {
        continue;
      }
      String image = p.getTokenImages()[sequence[0]];
      if (image.startsWith("<")) {
        String kind = TOKEN_KINDS.get(image);
        if (kind != null) {
          kinds.add(kind);
        }
      } else {
        String word = image.substring(1, image.length() - 1);
        if (Character.isLetter(word.charAt(0))) {
          keywords.add(word);
        } else {
          punctuation.add("\"" + word + "\"");
        }
      }
    }
    if (kinds.contains("a name") && keywords.size() > MAX_EXPECTED) {
      keywords.clear();
    }
    List<String> expected = new ArrayList<>();
    expected.addAll(punctuation);
    expected.addAll(keywords);
    expected.addAll(kinds);
    StringBuilder message = new StringBuilder(where).append("unexpected ").append(found);
    if (!expected.isEmpty()) {
      message.append("; expected ").append(expected.size() == 1 ? "" : "one of: ");
      message.append(String.join(", ", expected.subList(0, Math.min(MAX_EXPECTED, expected.size()))));
      if (expected.size() > MAX_EXPECTED) {
        message.append(", ...");
      }
    }
    return message.toString();
  }

  private static SQLException validation(CalciteContextException c, SQLException error) {
    String detail = c.getCause() != null ? c.getCause().getMessage() : c.getMessage();
    ErrorCode code = ErrorCode.VALIDATION_ERROR;
    Matcher m = NOT_FOUND.matcher(detail);
    if (m.matches()) {
      code = switch (m.group(1)) {
        case "Column" -> ErrorCode.UNDEFINED_COLUMN;
        case "Schema" -> ErrorCode.UNDEFINED_OBJECT;
        default -> ErrorCode.UNDEFINED_TABLE;
      };
      String kind = m.group(1).equals("Column") ? "column" : "table";
      detail = String.format("%s \"%s\" does not exist%s", kind, m.group(2), m.group(3));
    } else if (detail.startsWith("Unknown identifier") || detail.startsWith("Unknown target column")) {
      code = ErrorCode.UNDEFINED_COLUMN;
    } else if (NOT_NULL.matcher(detail).matches()) {
      Matcher n = NOT_NULL.matcher(detail);
      n.matches();
      code = ErrorCode.NOT_NULL_VIOLATION;
      detail = String.format("null value in column \"%s\" violates not-null constraint", n.group(1));
    } else if (detail.startsWith("Number of INSERT target columns")) {
      code = ErrorCode.SYNTAX_ERROR;
    } else if (detail.startsWith("No match found for function signature")) {
      code = ErrorCode.UNDEFINED_FUNCTION;
    } else if (detail.startsWith("Cannot apply") && detail.contains("<VECTOR(")) {
      // As PostgreSQL says of an operator that vectors lack: it does not exist for them.
      code = ErrorCode.UNDEFINED_FUNCTION;
    } else if (detail.startsWith("Cannot assign") || detail.startsWith("Cannot apply")) {
      code = ErrorCode.DATATYPE_MISMATCH;
    }
    String message = c.getPosLine() > 0
        ? String.format("%s (line %d, column %d)", detail, c.getPosLine(), c.getPosColumn())
        : detail;
    return of(code, message, error);
  }

  private static SQLException of(ErrorCode code, String message, Throwable cause) {
    SQLException e = code == ErrorCode.FEATURE_NOT_SUPPORTED
        ? new SQLFeatureNotSupportedException(message, code.sqlState(), code.code(), cause)
        : new SQLException(message, code.sqlState(), code.code(), cause);
    return e;
  }

  private static String rootMessage(Throwable t) {
    String message = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        message = c.getMessage();
      }
    }
    return message == null ? t.toString() : message;
  }
}
