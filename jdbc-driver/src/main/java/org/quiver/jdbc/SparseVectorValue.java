package org.quiver.jdbc;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * An immutable sparse vector as a SQL value: what a {@code SPARSEVEC(n)} expression holds
 * (pgvector's sparsevec), and what {@code ResultSet.getObject} returns for a SPARSEVEC column.
 * It is a dimension and its non-zero elements: their indices, counted from 0 and strictly
 * ascending, and their values, finite and never zero. Its text form is pgvector's, with indices
 * counted from 1: {@code {1:1.5,3:2}/5}.
 *
 * <p>Values compare as pgvector compares sparsevecs, as the dense vectors they stand for compare
 * element by element and then the shorter first; {@code equals} and {@code hashCode} agree with
 * that order.
 */
public final class SparseVectorValue implements Comparable<SparseVectorValue> {
  /** The most dimensions of a sparsevec, pgvector's. */
  public static final int MAX_DIMENSION = 1_000_000_000;
  /** The most non-zero elements of a sparsevec, pgvector's. */
  public static final int MAX_NONZEROS = 16_000;

  /** SQLSTATE of text that is not a sparsevec. */
  public static final String INVALID_TEXT = "22P02";
  /** SQLSTATE of a value that breaks a sparsevec's rules (index, NaN, dimension below 1). */
  public static final String DATA_EXCEPTION = "22000";
  /** SQLSTATE of an element a float cannot hold. */
  public static final String OUT_OF_RANGE = "22003";
  /** SQLSTATE of too many dimensions or non-zero elements. */
  public static final String LIMIT_EXCEEDED = "54000";

  private final int dimension;
  private final int[] indices;
  private final float[] values;

  private SparseVectorValue(int dimension, int[] indices, float[] values) {
    this.dimension = dimension;
    this.indices = indices;
    this.values = values;
  }

  /**
   * The sparse vector of {@code dimension} whose element {@code indices[i]} (counted from 0) is
   * {@code values[i]}; the arrays are copied, the indices must ascend strictly and lie within the
   * dimension, the values must be finite; zero values are left out, as pgvector leaves them out.
   *
   * @throws Invalid naming the bad dimension, index or value
   */
  public static SparseVectorValue of(int dimension, int[] indices, float[] values) {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(indices.length + " indices for " + values.length
          + " values");
    }
    checkDimension(dimension);
    if (indices.length > MAX_NONZEROS) {
      throw tooManyNonZeros(indices.length);
    }
    int kept = 0;
    int[] is = new int[indices.length];
    float[] vs = new float[values.length];
    for (int i = 0; i < indices.length; i++) {
      checkElement(values[i]);
      if (indices[i] < 0 || indices[i] >= dimension) {
        throw new Invalid(DATA_EXCEPTION, "sparsevec index out of bounds: index " + indices[i]
            + " (counted from 0) is not in [0, " + (dimension - 1) + "]");
      }
      if (i > 0 && indices[i] <= indices[i - 1]) {
        throw new Invalid(DATA_EXCEPTION, indices[i] == indices[i - 1]
            ? "sparsevec indices must not contain duplicates: index " + indices[i] + " twice"
            : "sparsevec indices must be in ascending order: " + indices[i] + " after "
                + indices[i - 1]);
      }
      if (values[i] != 0) {
        is[kept] = indices[i];
        vs[kept] = values[i];
        kept++;
      }
    }
    return new SparseVectorValue(dimension, Arrays.copyOf(is, kept), Arrays.copyOf(vs, kept));
  }

  /**
   * As {@link #of}, without copies or checks: the caller hands over arrays that already obey a
   * sparsevec's rules (strictly ascending indices within the dimension, finite non-zero values)
   * and must not change them afterwards. How the engine's values become SQL values.
   */
  public static SparseVectorValue wrap(int dimension, int[] indices, float[] values) {
    return new SparseVectorValue(dimension, indices, values);
  }

  /** The sparse vector of a dense one: its non-zero elements. */
  public static SparseVectorValue fromDense(float[] dense) {
    checkDimension(dense.length);
    int nonZeros = 0;
    for (float x : dense) {
      checkElement(x);
      if (x != 0) {
        nonZeros++;
      }
    }
    if (nonZeros > MAX_NONZEROS) {
      throw tooManyNonZeros(nonZeros);
    }
    int[] is = new int[nonZeros];
    float[] vs = new float[nonZeros];
    for (int i = 0, k = 0; i < dense.length; i++) {
      if (dense[i] != 0) {
        is[k] = i;
        vs[k++] = dense[i];
      }
    }
    return new SparseVectorValue(dense.length, is, vs);
  }

  /**
   * Parses pgvector's text form {@code {1:1.5,3:2}/5}: indices counted from 1 in any order, zero
   * values dropped, white space allowed between the parts; as pgvector reads it, with its errors.
   *
   * @throws Invalid with the SQLSTATE pgvector gives and the text named
   */
  public static SparseVectorValue parse(String text) {
    return new Parser(text).parse();
  }

  /** Whether a JDBC type name is a sparse vector's: {@code SPARSEVEC}, or with its dimension. */
  public static boolean isTypeName(String typeName) {
    return typeName != null && (typeName.equalsIgnoreCase("SPARSEVEC")
        || typeName.regionMatches(true, 0, "SPARSEVEC(", 0, 10));
  }

  /** The number of dimensions. */
  public int dimension() {
    return dimension;
  }

  /** The number of non-zero elements. */
  public int nonZeros() {
    return indices.length;
  }

  /** A copy of the indices of the non-zero elements, counted from 0, ascending. */
  public int[] indices() {
    return indices.clone();
  }

  /** A copy of the values of the non-zero elements, in the order of {@link #indices()}. */
  public float[] values() {
    return values.clone();
  }

  /** The index of non-zero element {@code i}, counted from 0. */
  public int indexAt(int i) {
    return indices[i];
  }

  /** The value of non-zero element {@code i}. */
  public float valueAt(int i) {
    return values[i];
  }

  /** The dense vector this stands for, of {@link #dimension()} floats. */
  public float[] toDense() {
    float[] out = new float[dimension];
    for (int i = 0; i < indices.length; i++) {
      out[indices[i]] = values[i];
    }
    return out;
  }

  /** pgvector's order of sparsevecs: that of the dense vectors, then the shorter first. */
  @Override
  public int compareTo(SparseVectorValue b) {
    int common = Math.min(indices.length, b.indices.length);
    for (int i = 0; i < common; i++) {
      if (indices[i] < b.indices[i]) {
        return values[i] < 0 ? -1 : 1;
      }
      if (indices[i] > b.indices[i]) {
        return b.values[i] < 0 ? 1 : -1;
      }
      if (values[i] < b.values[i]) {
        return -1;
      }
      if (values[i] > b.values[i]) {
        return 1;
      }
    }
    if (indices.length < b.indices.length && b.indices[common] < dimension) {
      return b.values[common] < 0 ? 1 : -1;
    }
    if (indices.length > b.indices.length && indices[common] < b.dimension) {
      return values[common] < 0 ? -1 : 1;
    }
    return Integer.compare(dimension, b.dimension);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseVectorValue && compareTo((SparseVectorValue) o) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dimension + Arrays.hashCode(indices)) + Arrays.hashCode(values);
  }

  /** The text form, as pgvector writes it: {@code {1:1.5,3:2}/5}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(indices.length * 12 + 16).append('{');
    for (int i = 0; i < indices.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(indices[i] + 1).append(':');
      appendFloat(sb, values[i]);
    }
    return sb.append("}/").append(dimension).toString();
  }

  /**
   * Appends {@code x} as PostgreSQL writes a real: its shortest decimal digits, in positional
   * notation when the decimal exponent is in [-4, 6), else as {@code 1.5e+38}.
   */
  static void appendFloat(StringBuilder sb, float x) {
    if (x == 0) {
      sb.append(Float.floatToRawIntBits(x) == 0 ? "0" : "-0");
      return;
    }
    if (x < 0) {
      sb.append('-');
      x = -x;
    }
    BigDecimal d = new BigDecimal(Float.toString(x)).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exponent = digits.length() - d.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        sb.append('0');
      }
      sb.append(abs);
    } else {
      sb.append(d.toPlainString());
    }
  }

  private static void checkDimension(int dimension) {
    if (dimension < 1) {
      throw new Invalid(DATA_EXCEPTION,
          "sparsevec must have at least 1 dimension, got " + dimension);
    }
    if (dimension > MAX_DIMENSION) {
      throw new Invalid(LIMIT_EXCEEDED, "sparsevec cannot have more than " + MAX_DIMENSION
          + " dimensions, got " + dimension);
    }
  }

  private static void checkElement(float x) {
    if (Float.isNaN(x)) {
      throw new Invalid(DATA_EXCEPTION, "NaN not allowed in sparsevec");
    }
    if (Float.isInfinite(x)) {
      throw new Invalid(DATA_EXCEPTION, "infinite value not allowed in sparsevec, got " + x);
    }
  }

  private static Invalid tooManyNonZeros(int count) {
    return new Invalid(LIMIT_EXCEEDED, "sparsevec cannot have more than " + MAX_NONZEROS
        + " non-zero elements, got " + count);
  }

  private static String quoted(String text) {
    return "\"" + (text.length() <= 80 ? text : text.substring(0, 77) + "...") + "\"";
  }

  /** A value that is not a sparsevec, with the SQLSTATE pgvector gives for it. */
  public static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    Invalid(String sqlState, String message) {
      super(message);
      this.sqlState = sqlState;
    }

    /**
     * The SQLSTATE: {@link #INVALID_TEXT}, {@link #DATA_EXCEPTION}, {@link #OUT_OF_RANGE} or
     * {@link #LIMIT_EXCEEDED}.
     */
    public String sqlState() {
      return sqlState;
    }
  }

  /** pgvector's reader of the text form, position by position. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    SparseVectorValue parse() {
      int commas = 0;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == ',') {
          commas++;
        }
      }
      if (commas + 1 > MAX_NONZEROS) {
        throw new Invalid(LIMIT_EXCEEDED, "sparsevec cannot have more than " + MAX_NONZEROS
            + " non-zero elements, text " + quoted(text) + " has " + (commas + 1));
      }
      long[] is = new long[commas + 1];
      float[] vs = new float[commas + 1];
      int nonZeros = 0;
      skipSpace();
      if (!take('{')) {
        throw syntax("contents must start with \"{\"");
      }
      skipSpace();
      if (!take('}')) {
        while (true) {
          skipSpace();
          long index = integer();
          skipSpace();
          if (!take(':')) {
            throw syntax("expected \":\" after index " + index);
          }
          skipSpace();
          float value = element();
          if (value != 0) {
            is[nonZeros] = index;
            vs[nonZeros] = value;
            nonZeros++;
          }
          skipSpace();
          if (take(',')) {
            continue;
          }
          if (take('}')) {
            break;
          }
          throw syntax("expected \",\" or \"}\"");
        }
      }
      skipSpace();
      if (!take('/')) {
        throw syntax("unexpected end of input, expected \"/\" and the dimension");
      }
      skipSpace();
      long dimension = integer();
      skipSpace();
      if (at != text.length()) {
        throw syntax("junk after the dimension");
      }
      if (dimension < 1) {
        throw new Invalid(DATA_EXCEPTION, "sparsevec must have at least 1 dimension, got "
            + dimension + " in " + quoted(text));
      }
      if (dimension > MAX_DIMENSION) {
        throw new Invalid(LIMIT_EXCEEDED, "sparsevec cannot have more than " + MAX_DIMENSION
            + " dimensions, got " + dimension + " in " + quoted(text));
      }
      // As in pgvector, only the indices of the elements kept (non-zero) are checked.
      for (int i = 0; i < nonZeros; i++) {
        if (is[i] < 1 || is[i] > dimension) {
          throw new Invalid(DATA_EXCEPTION, "sparsevec index out of bounds: index " + is[i]
              + " of " + quoted(text) + " is not in [1, " + dimension + "]");
        }
      }
      int[] order = sortedOrder(is, nonZeros);
      int[] sortedIndices = new int[nonZeros];
      float[] sortedValues = new float[nonZeros];
      for (int i = 0; i < nonZeros; i++) {
        sortedIndices[i] = (int) is[order[i]] - 1;
        sortedValues[i] = vs[order[i]];
        if (i > 0 && sortedIndices[i] == sortedIndices[i - 1]) {
          throw new Invalid(DATA_EXCEPTION, "sparsevec indices must not contain duplicates: "
              + "index " + (sortedIndices[i] + 1) + " twice in " + quoted(text));
        }
      }
      return new SparseVectorValue((int) dimension, sortedIndices, sortedValues);
    }

    /** The positions of the first {@code n} indices in ascending order of index (stable). */
    private static int[] sortedOrder(long[] indices, int n) {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, (a, b) -> Long.compare(indices[a], indices[b]));
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = boxed[i];
      }
      return out;
    }

    /** An optionally signed decimal integer, clamped to the long range as strtol clamps. */
    private long integer() {
      int start = at;
      if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
        at++;
      }
      int digits = at;
      while (at < text.length() && isDigit(text.charAt(at))) {
        at++;
      }
      if (at == digits) {
        at = start;
        throw syntax("expected an integer at position " + (start + 1));
      }
      String s = text.substring(start, at);
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return s.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }

    /** A float as strtof reads it: decimal, or NaN and infinity, which a sparsevec refuses. */
    private float element() {
      int start = at;
      if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
        at++;
      }
      for (String word : new String[] {"infinity", "inf", "nan"}) {
        if (text.regionMatches(true, at, word, 0, word.length())) {
          at += word.length();
          throw new Invalid(DATA_EXCEPTION, word.equals("nan") ? "NaN not allowed in sparsevec"
              : "infinite value not allowed in sparsevec: \"" + text.substring(start, at)
                  + "\" in " + quoted(text));
        }
      }
      int mantissa = 0;
      while (at < text.length() && isDigit(text.charAt(at))) {
        at++;
        mantissa++;
      }
      if (at < text.length() && text.charAt(at) == '.') {
        at++;
        while (at < text.length() && isDigit(text.charAt(at))) {
          at++;
          mantissa++;
        }
      }
      if (mantissa == 0) {
        at = start;
        throw syntax("expected a number at position " + (start + 1));
      }
      if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
        int e = at + 1;
        if (e < text.length() && (text.charAt(e) == '+' || text.charAt(e) == '-')) {
          e++;
        }
        if (e < text.length() && isDigit(text.charAt(e))) {
          while (e < text.length() && isDigit(text.charAt(e))) {
            e++;
          }
          at = e;
        }
      }
      String number = text.substring(start, at);
      float value = Float.parseFloat(number);
      if (Float.isInfinite(value) || value == 0 && !isZero(number)) {
        throw new Invalid(OUT_OF_RANGE, "\"" + number + "\" is out of range for type sparsevec"
            + " (in " + quoted(text) + ")");
      }
      return value;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    /** Whether a number's digits before its exponent are all zero. */
    private static boolean isZero(String number) {
      for (int i = 0; i < number.length(); i++) {
        char c = number.charAt(i);
        if (c == 'e' || c == 'E') {
          return true;
        }
        if (c >= '1' && c <= '9') {
          return false;
        }
      }
      return true;
    }

    private void skipSpace() {
      while (at < text.length() && " \t\n\r\u000B\f".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
    }

    private boolean take(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private Invalid syntax(String detail) {
      return new Invalid(INVALID_TEXT, "invalid input syntax for type sparsevec: "
          + quoted(text) + " (" + detail + ")");
    }
  }
}
