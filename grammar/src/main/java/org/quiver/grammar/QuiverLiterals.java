package org.quiver.grammar;

import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.math.BigDecimal;
import java.util.List;

/**
 * Vector literals: {@code [1, 2]} is the character string of its canonical text form, which the
 * SQL layer casts to a vector wherever one is expected, as it does pgvector's {@code '[1,2]'}.
 */
public final class QuiverLiterals {

  private QuiverLiterals() {
  }

  /**
   * Returns the character literal of the vector whose elements are the given numeric literals,
   * each rounded to a float.
   *
   * @throws ArithmeticException if an element is beyond a float's range, or so small that it
   *     would round to zero (the parser passes it on as the cause of its exception)
   */
  public static SqlLiteral vector(List<SqlLiteral> elements, SqlParserPos pos) {
    float[] values = new float[elements.size()];
    for (int i = 0; i < values.length; i++) {
      SqlLiteral element = elements.get(i);
      BigDecimal exact = element.getValueAs(BigDecimal.class);
      float value = exact.floatValue();
      if (Float.isInfinite(value) || value == 0 && exact.signum() != 0) {
        // A data error, not a syntax error: the number is well formed, no float holds it.
        SqlParserPos at = element.getParserPosition();
        throw new ArithmeticException(String.format(
            "\"%s\" is out of range for type vector (line %d, column %d)",
            element.toValue(), at.getLineNum(), at.getColumnNum()));
      }
      values[i] = value;
    }
    return SqlLiteral.createCharString(format(values), pos);
  }

  /** Returns the canonical text form of a vector, {@code [1.0,2.5,-3.0]}: Java's float format, no spaces. */
  public static String format(float[] vector) {
    StringBuilder text = new StringBuilder(2 + vector.length * 8).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(Float.toString(vector[i]));
    }
    return text.append(']').toString();
  }
}
