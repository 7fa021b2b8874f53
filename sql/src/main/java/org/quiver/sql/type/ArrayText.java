package org.quiver.sql.type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * A cast of text to an array of numbers, from PostgreSQL's array text ({@code '{1,2.5,NULL}'}),
 * as in {@code '{1,2,3}'::real[]::vector}; Calcite has no cast from text to an array. One
 * dimension only; elements may be quoted and surrounded by blanks, and {@code NULL} (unquoted,
 * any case) is a NULL element. Bad text fails with 22P02, naming it, as PostgreSQL's does.
 */
public final class ArrayText {
  /** The array's element types this cast reads: each has a Java class Calcite's arrays hold. */
  static boolean readsElementsOf(RelDataType element) {
    return switch (element.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, FLOAT, DOUBLE, DECIMAL -> true;
      default -> false;
    };
  }

  private static final SqlUserDefinedFunction TO_ARRAY = new SqlUserDefinedFunction(
      new SqlIdentifier("array_in", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0,
      InferTypes.RETURN_TYPE, null, ScalarFunctionImpl.create(ArrayText.class, "toArray")) {
    // Not folded by the planner: a malformed literal fails when the statement runs, as any
    // other bad value does, with its SQLSTATE.
    @Override public boolean isDeterministic() {
      return false;
    }
  };

  private ArrayText() {}

  /** The call that reads {@code text} as an array of type {@code to}. */
  static RexNode cast(RexBuilder rex, RelDataType to, RexNode text) {
    RelDataType element = to.getComponentType();
    return rex.makeCall(to, TO_ARRAY, List.of(text,
        rex.makeLiteral(element.getSqlTypeName().name())));
  }

  /** The elements of {@code text} as values of the SQL type named {@code element}. */
  public static @Nullable List<@Nullable Object> toArray(@Nullable String text, String element) {
    if (text == null) {
      return null;
    }
    SqlTypeName type = SqlTypeName.valueOf(element);
    String body = text.strip();
    if (body.length() < 2 || body.charAt(0) != '{' || body.charAt(body.length() - 1) != '}') {
      throw malformed(text, "Array value must start with \"{\" and end with \"}\".");
    }
    body = body.substring(1, body.length() - 1);
    if (body.isBlank()) {
      return Collections.emptyList();
    }
    List<@Nullable Object> values = new ArrayList<>();
    for (String item : splitElements(text, body)) {
      String trimmed = item.strip();
      if (trimmed.isEmpty()) {
        throw malformed(text, "Unexpected \",\" character.");
      }
      if (trimmed.startsWith("{")) {
        throw malformed(text, "Quiver reads arrays of one dimension only.");
      }
      boolean quoted = trimmed.length() >= 2 && trimmed.startsWith("\"")
          && trimmed.endsWith("\"");
      if (!quoted && trimmed.equalsIgnoreCase("NULL")) {
        values.add(null);
        continue;
      }
      values.add(number(quoted ? trimmed.substring(1, trimmed.length() - 1) : trimmed, type));
    }
    return values;
  }

  /** The elements between the braces, split at the commas outside double quotes. */
  private static List<String> splitElements(String text, String body) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    boolean inQuotes = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '"') {
        inQuotes = !inQuotes;
      } else if (c == ',' && !inQuotes) {
        items.add(item.toString());
        item.setLength(0);
        continue;
      }
      item.append(c);
    }
    if (inQuotes) {
      throw malformed(text, "Unexpected end of input.");
    }
    items.add(item.toString());
    return items;
  }

  private static Object number(String value, SqlTypeName type) {
    try {
      return switch (type) {
        case TINYINT -> Byte.parseByte(value.strip());
        case SMALLINT -> Short.parseShort(value.strip());
        case INTEGER -> Integer.parseInt(value.strip());
        case BIGINT -> Long.parseLong(value.strip());
        case REAL -> Float.parseFloat(value);
        case FLOAT, DOUBLE -> Double.parseDouble(value);
        default -> new BigDecimal(value.strip());
      };
    } catch (NumberFormatException e) {
      throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION,
          "invalid input syntax for type %s: \"%s\"", typeName(type), value);
    }
  }

  private static String typeName(SqlTypeName type) {
    return switch (type) {
      case REAL -> "real";
      case FLOAT, DOUBLE -> "double precision";
      case DECIMAL -> "numeric";
      default -> type.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static QuiverException malformed(String text, String detail) {
    return QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION,
        "malformed array literal: \"%s\" (%s)", text, detail);
  }
}
