package org.quiver.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The text form of vectors, as pgvector writes it: {@code [1.0,2.5,-3.0]}. It is how vectors
 * cross the Avatica wire and how {@code ResultSet.getString} shows them.
 */
public final class VectorText {
  /** How many leading values {@link #abbreviate} shows. */
  public static final int DISPLAYED = 4;
  /** Vectors of at most this many values are shown whole by {@link #abbreviate}. */
  private static final int WHOLE = 8;

  /** A decimal number as SQL writes it: sign, digits with an optional point, exponent. */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private VectorText() {}

  /**
   * Whether a JDBC type name is a dense vector's: {@code VECTOR}, {@code HALFVEC}, or either with
   * its dimension.
   */
  public static boolean isVectorTypeName(String typeName) {
    return typeName != null && (typeName.equalsIgnoreCase("VECTOR")
        || typeName.regionMatches(true, 0, "VECTOR(", 0, 7)
        || typeName.equalsIgnoreCase("HALFVEC")
        || typeName.regionMatches(true, 0, "HALFVEC(", 0, 8));
  }

  /**
   * For people reading a table: {@code [0.12, -0.5, 0.3, 0.25, ... 128 dims]} when the vector has
   * more than 8 values, else every value, separated by {@code ", "}.
   */
  public static String abbreviate(String text) {
    float[] v = parse(text);
    int shown = v.length <= WHOLE ? v.length : DISPLAYED;
    StringBuilder sb = new StringBuilder(shown * 12 + 20).append('[');
    for (int i = 0; i < shown; i++) {
      sb.append(i > 0 ? ", " : "").append(v[i]);
    }
    if (shown < v.length) {
      sb.append(", ... ").append(v.length).append(" dims");
    }
    return sb.append(']').toString();
  }

  public static String format(float[] vector) {
    // Latin-1 bytes straight into the string: every vector a remote client or getString reads is
    // formatted here, and a StringBuilder's per-append checks were most of that cost.
    byte[] text = new byte[2 + vector.length * MAX_FLOAT_CHARS];
    int end = 0;
    text[end++] = '[';
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text[end++] = ',';
      }
      end = appendFloat(text, end, vector[i]);
    }
    text[end++] = ']';
    return new String(text, 0, end, StandardCharsets.ISO_8859_1);
  }

  /** The longest {@link Float#toString} result, such as {@code -1.17549435E-38}, plus slack. */
  private static final int MAX_FLOAT_CHARS = 16;

  /**
   * Writes {@code x} at {@code at} as {@link Float#toString} writes it, with a fast path for whole
   * numbers (common in real data sets, such as SIFT's byte values); returns the end.
   */
  private static int appendFloat(byte[] text, int at, float x) {
    int whole = (int) x;
    if (whole == x && Math.abs(whole) < 10_000_000
        && (whole != 0 || Float.floatToRawIntBits(x) == 0)) {
      if (whole < 0) {
        text[at++] = '-';
        whole = -whole;
      }
      int digits = 1;
      for (int rest = whole / 10; rest > 0; rest /= 10) {
        digits++;
      }
      for (int i = at + digits - 1; i >= at; i--) {
        text[i] = (byte) ('0' + whole % 10);
        whole /= 10;
      }
      at += digits;
      text[at++] = '.';
      text[at++] = '0';
      return at;
    }
    String s = Float.toString(x);
    for (int i = 0; i < s.length(); i++) {
      text[at++] = (byte) s.charAt(i);
    }
    return at;
  }

  /**
   * Parses {@code [x, y, ...]} (white space allowed around elements), each element a decimal
   * number in SQL's syntax within a float's range, as pgvector reads them.
   *
   * @throws OutOfRange naming the element a float cannot hold
   * @throws IllegalArgumentException naming the text when it is not a vector
   */
  public static float[] parse(String text) {
    return parse(text, false);
  }

  /**
   * Parses a halfvec's text, which is a vector's, into floats that the caller rounds to float16
   * (this module runs on JDKs without {@code Float.floatToFloat16}); as in pgvector, an element too
   * small for a float becomes zero.
   *
   * @throws OutOfRange naming the element a float cannot hold
   * @throws IllegalArgumentException naming the text when it is not a halfvec
   */
  public static float[] parseHalf(String text) {
    return parse(text, true);
  }

  private static float[] parse(String text, boolean half) {
    String type = half ? "halfvec" : "vector";
    String s = text.strip();
    if (s.length() < 2 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') {
      throw new IllegalArgumentException("invalid " + type + " text " + quoted(text)
          + ": expected a list of numbers in brackets, such as [1.0,2.5,-3.0]");
    }
    String body = s.substring(1, s.length() - 1).strip();
    if (body.isEmpty()) {
      throw new IllegalArgumentException("invalid " + type + " text " + quoted(text)
          + ": a " + type + " needs at least one dimension");
    }
    int count = 1;
    for (int i = 0; i < body.length(); i++) {
      if (body.charAt(i) == ',') {
        count++;
      }
    }
    float[] v = new float[count];
    int start = 0;
    for (int i = 0; i < count; i++) {
      int end = body.indexOf(',', start);
      if (end < 0) {
        end = body.length();
      }
      String element = body.substring(start, end).strip();
      // SQL's number syntax only: Java's parser would also take 1d, 1f, 0x1p3, NaN, Infinity.
      if (!NUMBER.matcher(element).matches()) {
        throw new IllegalArgumentException("invalid " + type + " text " + quoted(text)
            + ": element " + (i + 1) + " is not a number: '" + element + "'");
      }
      v[i] = Float.parseFloat(element);
      // A number too small for a float becomes zero (keeping its sign), as pgvector's vector_in
      // and halfvec_in take it; only one too large for a float is out of range.
      if (Float.isInfinite(v[i])) {
        throw new OutOfRange("\"" + element + "\" is out of range for type " + type
            + " (element " + (i + 1) + " of " + quoted(text) + ")");
      }
      start = end + 1;
    }
    return v;
  }

  /**
   * A vector element that is a number but no float can hold: beyond the largest, or so small
   * that it would round to zero, which would silently change the vector.
   */
  public static final class OutOfRange extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    OutOfRange(String message) {
      super(message);
    }
  }

  private static String quoted(String text) {
    return "'" + (text.length() <= 60 ? text : text.substring(0, 57) + "...") + "'";
  }
}
