package org.quiver.sql.error;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.sql.SQLFeatureNotSupportedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(SqlErrors.class);
  /** Janino's words when a generated method passes the JVM's limit. */
  private static final String CODE_TOO_LARGE = "grows beyond 64 KB";
  /** Calcite's parser on a number too large for where it stands (VECTOR(n), VARCHAR(n)). */
  private static final Pattern LITERAL_RANGE = Pattern.compile(
      "Literal '([^']*)' can not be parsed to type 'java\\.lang\\.(\\w+)'");
  /** Calcite's words for a parameter without a value, at prepare or execution. */
  private static final Pattern UNBOUND = Pattern.compile("unbound parameter|no value for parameter",
      Pattern.CASE_INSENSITIVE);
  /** Avatica's words for a setter with an index beyond the statement's parameters. */
  private static final Pattern PARAMETER_INDEX = Pattern.compile("parameter ordinal -?\\d+ out of range");
  /** The Volcano planner's words when no plan implements a statement. */
  private static final String CANNOT_PLAN = "There are not enough rules to produce a node";
  private static final AtomicLong INCIDENTS = new AtomicLong();
  /** Incident numbers differ between processes, so two logs' incidents are not confused. */
  private static final long INCIDENT_SALT = System.nanoTime() & 0xffff_ffffL;
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
    if (hasState(error) && !(error.getCause() instanceof RuntimeException)
        && !(error.getCause() instanceof Error)) {
      return error;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      // Parsers and Calcite wrap what they meet, a stack overflow too: the cause decides.
      if (t instanceof StackOverflowError) {
        return of(ErrorCode.STATEMENT_TOO_COMPLEX, "statement too complex: its expressions nest "
            + "too deeply to plan or run; simplify it or split it", error);
      }
      if (t instanceof OutOfMemoryError) {
        return of(ErrorCode.OUT_OF_MEMORY, "out of memory while running the statement; ask "
            + "for fewer rows or a smaller k, or give the engine more heap", error);
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof QuiverException q) {
        return q.code() == ErrorCode.INTERNAL_ERROR ? internal(error)
            : of(q.code(), q.getMessage(), error);
      }
      if (t instanceof NumberFormatException n) {
        return of(ErrorCode.INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for a number: " + n.getMessage(), error);
      }
      if (t instanceof ArithmeticException a) {
        return of(ErrorCode.NUMERIC_OUT_OF_RANGE, "numeric value out of range: "
            + a.getMessage(), error);
      }
      if (t instanceof SqlParseException p) {
        if (p.getCause() instanceof ArithmeticException a) {
          // A well-formed number the parser could not hold (a vector literal's element).
          return of(ErrorCode.NUMERIC_OUT_OF_RANGE, a.getMessage(), error);
        }
        Matcher literal = LITERAL_RANGE.matcher(String.valueOf(p.getMessage()));
        if (literal.find()) {
          return of(ErrorCode.NUMERIC_OUT_OF_RANGE, String.format("%s is out of range for %s%s",
              abbreviate(literal.group(1)), literal.group(2).equals("Integer") ? "an integer"
                  : "a " + literal.group(2).toLowerCase(java.util.Locale.ROOT),
              p.getPos() == null ? "" : String.format(" (line %d, column %d)",
                  p.getPos().getLineNum(), p.getPos().getColumnNum())), error);
        }
        return of(ErrorCode.SYNTAX_ERROR, syntaxError(p), error);
      }
      if (t instanceof NullPointerException && String.valueOf(t.getMessage())
          .contains("\"org.apache.calcite.DataContext.get(String)\" is null")) {
        return of(ErrorCode.PARAMETER_NOT_BOUND, "a parameter is not set, or is NULL where a "
            + "number is needed (LIMIT, OFFSET)", error);
      }
      if (t instanceof CalciteContextException c) {
        return validation(c, error);
      }
      if (t instanceof IllegalArgumentException && thrownBy(t, "org.apache.calcite.rex.RexBuilder")
          && String.valueOf(t.getMessage()).startsWith("Cannot convert")) {
        return of(ErrorCode.NUMERIC_OUT_OF_RANGE, "numeric value out of range: "
            + abbreviate(t.getMessage().substring("Cannot convert ".length())), error);
      }
      if (t instanceof IllegalArgumentException
          && thrownBy(t, "org.apache.calcite.avatica.util.DateTimeUtils")) {
        return of(ErrorCode.INVALID_DATETIME_FORMAT, "invalid input syntax for a date or time: "
            + abbreviate(t.getMessage()), error);
      }
      if ((t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException)
          && thrownBy(t, "org.apache.calcite.runtime.SqlFunctions")) {
        // Calcite's built-in functions refuse bad arguments this way (LN(-1), bad lengths).
        return of(ErrorCode.INVALID_PARAMETER_VALUE, "invalid argument of a function: "
            + abbreviate(t.getMessage()), error);
      }
      if (t instanceof CalciteException c && !(t instanceof CalciteContextException)) {
        // Calcite's own errors, raised while literals are converted or rows computed: their
        // messages come from its resource bundle and are written for users.
        String message = String.valueOf(c.getMessage());
        ErrorCode code = message.startsWith("Invalid character for cast")
            ? ErrorCode.INVALID_TEXT_REPRESENTATION
            : message.startsWith("Failed to encode") ? ErrorCode.CHARACTER_NOT_IN_REPERTOIRE
            : ErrorCode.VALIDATION_ERROR;
        return of(code, abbreviate(message), error);
      }
      if (t instanceof ClassCastException) {
        // A value bound to a parameter whose type it does not have reaches the generated code.
        return of(ErrorCode.DATATYPE_MISMATCH, "a value has the wrong type for where it is used; "
            + "is a parameter set with a type the statement does not take?", error);
      }
      if (t instanceof SQLException e && UNBOUND.matcher(String.valueOf(e.getMessage())).find()) {
        return of(ErrorCode.PARAMETER_NOT_BOUND, "a parameter is not set: set every ? before "
            + "executing", error);
      }
      if (t instanceof SQLException e && !hasState(e) && PARAMETER_INDEX.matcher(
          String.valueOf(e.getMessage())).matches()) {
        return of(ErrorCode.INVALID_PARAMETER_VALUE, e.getMessage() + ": the statement has "
            + "fewer parameters", error);
      }
      if (String.valueOf(t.getMessage()).startsWith(CANNOT_PLAN)) {
        LOG.warn("no plan for a statement", t);
        return of(ErrorCode.FEATURE_NOT_SUPPORTED, "this statement is not supported: Quiver "
            + "has no plan for it", error);
      }
      if (t instanceof PatternSyntaxException p
          && String.valueOf(p.getDescription()).startsWith("Stack overflow")) {
        return of(ErrorCode.STATEMENT_TOO_COMPLEX, "statement too complex: a LIKE or SIMILAR TO "
            + "pattern has too many parts to compile", error);
      }
      if (t.getMessage() != null && t.getMessage().contains(CODE_TOO_LARGE)) {
        return of(ErrorCode.STATEMENT_TOO_COMPLEX, "statement too complex: the code compiled "
            + "for it exceeds the JVM's 64 KB limit per method; use fewer expressions, or a "
            + "table and a join instead of a long list", error);
      }
      if (t instanceof SQLException e && t != error && hasState(e)) {
        return e;
      }
    }
    return internal(error);
  }

  /**
   * A bug of Quiver's: logged with its stack trace under an incident number, which is all the
   * client learns besides the SQLSTATE (its message could show internals).
   */
  private static SQLException internal(Throwable error) {
    String incident = Long.toHexString(INCIDENTS.incrementAndGet() ^ INCIDENT_SALT);
    LOG.error("internal error incident={}", incident, error);
    return of(ErrorCode.INTERNAL_ERROR, "internal error (incident " + incident + "): please "
        + "report it with the statement; the log of the process that runs the engine has the "
        + "details", error);
  }

  /** Whether {@code t} was thrown by a method of class {@code className}. */
  private static boolean thrownBy(Throwable t, String className) {
    StackTraceElement[] frames = t.getStackTrace();
    return frames.length > 0 && frames[0].getClassName().equals(className);
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static boolean hasState(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().length() == 5
        && !e.getSQLState().equals("00000");
  }

  /**
   * Returns a parse error in words a user reads: {@code syntax error at line 1, column 8:
   * unexpected "x"; expected one of: FROM, WHERE, ...}, with punctuation and keywords before
   * kinds of token, the list capped, and the words Calcite's grammar would take as names left
   * out when a name is expected (they are most of its keywords).
   */
  static String syntaxError(SqlParseException p) {
    String first = p.getMessage() == null ? "the statement is empty or incomplete"
        : p.getMessage().lines().findFirst().orElse("syntax error");
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
    } else if (detail.startsWith("Cast function cannot convert value")) {
      code = ErrorCode.CANNOT_COERCE;
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

}
