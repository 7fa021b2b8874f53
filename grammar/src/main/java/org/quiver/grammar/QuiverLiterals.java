package org.quiver.grammar;

import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.math.BigDecimal;
import java.util.List;
import org.quiver.grammar.ast.SqlBitTypeNameSpec;
import org.quiver.grammar.type.BitSqlType;

/**
 * Vector literals: {@code [1, 2]} is the character string of its canonical text form, which the
 * SQL layer casts to a vector wherever one is expected, as it does pgvector's {@code '[1,2]'}.
 * Bit-string literals: {@code B'101'} is a cast of {@code '101'} to {@code BIT(3)}.
 */
public final class QuiverLiterals {

  private QuiverLiterals() {
  }

  /**
   * Returns the character literal of the vector whose elements are the given numeric literals,
   * each rounded to a float.
   *
   * @throws ArithmeticException if an element is beyond a float's range (the parser passes it on
   *     as the cause of its exception); one too small for a float is zero, as in vector text
   */
  public static SqlLiteral vector(List<SqlLiteral> elements, SqlParserPos pos) {
    float[] values = new float[elements.size()];
    for (int i = 0; i < values.length; i++) {
      SqlLiteral element = elements.get(i);
      BigDecimal exact = element.getValueAs(BigDecimal.class);
      float value = exact.floatValue();
      if (Float.isInfinite(value)) {
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

  /**
   * Returns PostgreSQL's bit-string literal {@code B'1010'} (the token's image) as {@code
   * CAST('1010' AS BIT(4))}. Text that is not a bit string becomes a cast to {@code BIT}, whose
   * evaluation names the bad digit, as PostgreSQL's error does.
   */
  public static SqlNode bits(String image, SqlParserPos pos) {
    String text = image.substring(2, image.length() - 1);
    boolean valid = !text.isEmpty() && text.chars().allMatch(c -> c == '0' || c == '1');
    SqlDataTypeSpec type = new SqlDataTypeSpec(
        new SqlBitTypeNameSpec(valid ? text.length() : BitSqlType.ANY_LENGTH, pos), pos);
    return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(text, pos), type);
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
