package org.quiver.sql.ddl;

import java.math.BigDecimal;
import java.util.Locale;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.ast.SqlTableOption;

/** Reads the values of WITH options and SET, failing with 22023 that names option, value and what is allowed. */
final class Options {
  private Options() {}

  /** Returns the value as text: a string's content, a number's digits, a name, TRUE or FALSE. */
  static String text(SqlNode value) {
    if (value instanceof SqlLiteral literal) {
      String text = literal.toValue();
      return text == null ? "NULL" : text;
    }
    if (value instanceof SqlIdentifier id) {
      return id.isSimple() ? id.getSimple() : id.toString();
    }
    return value.toString();
  }

  /** Returns the option's integer value; fails unless it is an integer literal in [min, max]. */
  static long integer(SqlTableOption option, long min, long max, String allowed) {
    SqlNode value = option.value();
    if (value instanceof SqlLiteral literal && SqlTypeName.EXACT_TYPES.contains(literal.getTypeName())) {
      BigDecimal number = literal.getValueAs(BigDecimal.class);
      if (number.scale() <= 0 && number.compareTo(BigDecimal.valueOf(min)) >= 0
          && number.compareTo(BigDecimal.valueOf(max)) <= 0) {
        return number.longValueExact();
      }
    }
    throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s must be %s, got %s",
        key(option), allowed, value);
  }

  /** Returns the option's value as a boolean; fails unless it is TRUE or FALSE. */
  static boolean bool(SqlTableOption option) {
    SqlNode value = option.value();
    if (value instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.BOOLEAN) {
      return literal.booleanValue();
    }
    throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE, "%s must be true or false, got %s",
        key(option), value);
  }

  /** Returns the option's name in lower case. */
  static String key(SqlTableOption option) {
    return option.key().getSimple().toLowerCase(Locale.ROOT);
  }
}
