package org.quiver.sql.error;

import java.sql.SQLException;
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
        String message = p.getMessage().lines().findFirst().orElse("syntax error");
        if (p.getPos() != null && p.getPos().getLineNum() > 0) {
          message = String.format("syntax error at line %d, column %d: %s",
              p.getPos().getLineNum(), p.getPos().getColumnNum(), message);
        }
        return of(ErrorCode.SYNTAX_ERROR, message, error);
      }
      if (t instanceof CalciteContextException c) {
        return validation(c, error);
      }
    }
    return of(ErrorCode.INTERNAL_ERROR, rootMessage(error), error);
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
