package org.quiver.sql.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.JDBCType;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.remote.TypedValue;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * Checks the values bound to a statement's parameters against the parameters' SQL types before
 * an execution, under SQL's rules for numbers: a numeric parameter takes a number, or text that
 * casts to one exactly, and an integer parameter only an integer within its type's range.
 *
 * <p>Avatica hands the engine each value in its local form (a TIMESTAMP as epoch milliseconds, a
 * DATE as epoch days, a BOOLEAN as itself), and Calcite's generated code converts what it gets to
 * the parameter's Java type: unchecked, {@code id = ?} with a TIMESTAMP of 9 ms would match key 9,
 * and 8.5 would be cut to 8. Every door (embedded, Quiver's remote driver, the stock Avatica
 * driver, Flight SQL) executes through the embedded connection, so checking here covers them all.
 */
public final class BoundParameters {
  /** Longest text of a bound string that an error message quotes. */
  private static final int QUOTED_TEXT = 40;

  private BoundParameters() {}

  /**
   * The values to execute with: {@code values}, with numeric text bound to a numeric parameter
   * turned into that parameter's number. Unbound (null) slots are left to the execution, which
   * reports them.
   *
   * @throws QuiverException 42804 if a value cannot be compared with or assigned to its
   *     parameter's type (a TIMESTAMP, DATE, TIME or BOOLEAN for a number, a fraction for an
   *     integer), 22P02 for text that is no number, 22003 for an integer out of the type's range
   */
  public static List<TypedValue> bind(List<AvaticaParameter> parameters,
      List<TypedValue> values) {
    List<TypedValue> bound = null;
    int n = Math.min(parameters.size(), values.size());
    for (int i = 0; i < n; i++) {
      TypedValue value = values.get(i);
      if (value == null || value.value == null) {
        continue;
      }
      TypedValue checked = bind(i + 1, parameters.get(i), value);
      if (checked != value) {
        if (bound == null) {
          bound = new ArrayList<>(values);
        }
        bound.set(i, checked);
      }
    }
    return bound == null ? values : bound;
  }

  private static TypedValue bind(int position, AvaticaParameter parameter, TypedValue value) {
    int type = parameter.parameterType;
    if (!isNumeric(type)) {
      return value;
    }
    Object local = value.toLocal();
    if (local instanceof String text && value.type == ColumnMetaData.Rep.STRING) {
      return parse(position, parameter, text);
    }
    if (!isNumber(value.type, local)) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "parameter %d is %s, but the value bound to it is %s%s: bind a number",
          position, parameter.typeName, article(valueType(value.type, local)),
          describe(value.type, local));
    }
    checkInteger(position, parameter, (Number) local, local);
    return value;
  }

  /** Numeric text as the parameter's number, as {@code CAST(text AS type)} would give it. */
  private static TypedValue parse(int position, AvaticaParameter parameter, String text) {
    BigDecimal number;
    try {
      number = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION,
          "parameter %d is %s, but the text bound to it, %s, is not a number", position,
          parameter.typeName, quote(text));
    }
    checkInteger(position, parameter, number, quote(text));
    return switch (parameter.parameterType) {
      case Types.TINYINT -> TypedValue.ofLocal(ColumnMetaData.Rep.BYTE, number.byteValue());
      case Types.SMALLINT -> TypedValue.ofLocal(ColumnMetaData.Rep.SHORT, number.shortValue());
      case Types.INTEGER -> TypedValue.ofLocal(ColumnMetaData.Rep.INTEGER, number.intValue());
      case Types.BIGINT -> TypedValue.ofLocal(ColumnMetaData.Rep.LONG, number.longValue());
      case Types.REAL -> TypedValue.ofLocal(ColumnMetaData.Rep.FLOAT, number.floatValue());
      case Types.FLOAT, Types.DOUBLE ->
          TypedValue.ofLocal(ColumnMetaData.Rep.DOUBLE, number.doubleValue());
      default -> TypedValue.ofLocal(ColumnMetaData.Rep.NUMBER, number);
    };
  }

  /** For an integer parameter: fails unless {@code number} is an integer within its range. */
  private static void checkInteger(int position, AvaticaParameter parameter, Number number,
      Object shown) {
    long[] range = integerRange(parameter.parameterType);
    if (range == null) {
      return;
    }
    BigDecimal exact = exact(number);
    if (exact == null || exact.stripTrailingZeros().scale() > 0) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "parameter %d is %s, but the value bound to it, %s, is not an integer",
          position, parameter.typeName, shown);
    }
    if (exact.compareTo(BigDecimal.valueOf(range[0])) < 0
        || exact.compareTo(BigDecimal.valueOf(range[1])) > 0) {
      throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
          "parameter %d is %s, and the value bound to it, %s, is out of its range",
          position, parameter.typeName, shown);
    }
  }

  private static boolean isNumeric(int sqlType) {
    return switch (sqlType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT,
          Types.DOUBLE, Types.DECIMAL, Types.NUMERIC -> true;
      default -> false;
    };
  }

  /** The smallest and largest value of an integer type; null for other types. */
  private static long[] integerRange(int sqlType) {
    return switch (sqlType) {
      case Types.TINYINT -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
      case Types.SMALLINT -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
      case Types.INTEGER -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
      case Types.BIGINT -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
      default -> null;
    };
  }

  /** Whether the bound value is a number; a generic object counts when it is a Number. */
  private static boolean isNumber(ColumnMetaData.Rep rep, Object local) {
    if (rep == ColumnMetaData.Rep.OBJECT) {
      return local instanceof Number;
    }
    return switch (rep.typeId) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.FLOAT, Types.DOUBLE,
          Types.NUMERIC -> local instanceof Number;
      default -> false;
    };
  }

  /** The exact value of a number; null for NaN and the infinities. */
  private static BigDecimal exact(Number n) {
    return switch (n) {
      case BigDecimal d -> d;
      case BigInteger b -> new BigDecimal(b);
      case Double d -> Double.isFinite(d) ? new BigDecimal(d) : null;
      case Float f -> Float.isFinite(f) ? new BigDecimal(f) : null;
      default -> BigDecimal.valueOf(n.longValue());
    };
  }

  private static String valueType(ColumnMetaData.Rep rep, Object local) {
    return switch (rep) {
      case OBJECT -> local.getClass().getSimpleName();
      case JAVA_UTIL_DATE -> "TIMESTAMP";
      default -> JDBCType.valueOf(rep.typeId).getName();
    };
  }

  private static String article(String type) {
    return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /** The bound value as the user would recognise it, in parentheses; empty for an object. */
  private static String describe(ColumnMetaData.Rep rep, Object local) {
    return rep == ColumnMetaData.Rep.OBJECT ? "" : " (" + text(rep, local) + ")";
  }

  private static String text(ColumnMetaData.Rep rep, Object local) {
    return switch (rep) {
      case JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE -> Instant.ofEpochMilli((Long) local).toString();
      case JAVA_SQL_DATE -> LocalDate.ofEpochDay((Integer) local).toString();
      case JAVA_SQL_TIME -> LocalTime.ofNanoOfDay((Integer) local * 1_000_000L).toString();
      default -> String.valueOf(local);
    };
  }

  private static String quote(String text) {
    return "'" + (text.length() > QUOTED_TEXT ? text.substring(0, QUOTED_TEXT) + "..." : text)
        + "'";
  }
}
