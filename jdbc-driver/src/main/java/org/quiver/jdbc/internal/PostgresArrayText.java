package org.quiver.jdbc.internal;

import java.sql.Array;
import java.sql.SQLException;
import java.util.List;

/**
 * An array value as PostgreSQL writes one ({@code {1,2.5,NULL}}, elements in double quotes where
 * they hold a brace, comma, quote, backslash or blank), which is how the Avatica server hands
 * array columns to its clients: Avatica 1.28 fails on an array column of an embedded result set
 * (CALCITE-3162), and text every client can show. The engine reads this text back in a cast
 * ({@code '{1,2}'::real[]}).
 */
final class PostgresArrayText {
  private PostgresArrayText() {}

  static String format(Object value) throws SQLException {
    if (value == null) {
      return null;
    }
    Object elements = value instanceof Array array ? array.getArray() : value;
    StringBuilder text = new StringBuilder("{");
    if (elements instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        append(text, i, list.get(i));
      }
    } else if (elements instanceof Object[] objects) {
      for (int i = 0; i < objects.length; i++) {
        append(text, i, objects[i]);
      }
    } else {
      // A primitive array: its elements boxed one by one.
      int length = java.lang.reflect.Array.getLength(elements);
      for (int i = 0; i < length; i++) {
        append(text, i, java.lang.reflect.Array.get(elements, i));
      }
    }
    return text.append('}').toString();
  }

  private static void append(StringBuilder text, int index, Object element) throws SQLException {
    if (index > 0) {
      text.append(',');
    }
    if (element == null) {
      text.append("NULL");
      return;
    }
    String item = element instanceof Array || element instanceof List<?>
        ? format(element) : element.toString();
    if (!needsQuotes(item)) {
      text.append(item);
      return;
    }
    text.append('"');
    for (int i = 0; i < item.length(); i++) {
      char c = item.charAt(i);
      if (c == '"' || c == '\\') {
        text.append('\\');
      }
      text.append(c);
    }
    text.append('"');
  }

  private static boolean needsQuotes(String item) {
    if (item.isEmpty() || item.equalsIgnoreCase("NULL")) {
      return true;
    }
    for (int i = 0; i < item.length(); i++) {
      char c = item.charAt(i);
      if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || Character.isWhitespace(c)) {
        return true;
      }
    }
    return false;
  }
}
