package org.quiver.sql.type;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.linq4j.function.Deterministic;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.jdbc.BitValue;

/**
 * The casts to and from {@code BIT(n)}, as functions that generated code calls: Calcite's own cast
 * code knows nothing of Quiver's value class {@link BitValue}. NULL in, NULL out. Errors are
 * PostgreSQL's: text that is not a bit string is 22P02 naming the bad digit, text of another
 * length than a {@code BIT(n)} is 22026.
 */
public final class BitCasts {
  /** {@code bit_in(x, n)}: text or a bit string as a {@code BIT(n)} ({@code n} -1: any length). */
  public static final SqlUserDefinedFunction TO_BIT = function("bit_in", "toBit");
  /**
   * {@code bit_for_column(x, n)}: text as a value for a {@code BIT(n)} column, its length left to
   * the column's write, whose error names the column and the row.
   */
  public static final SqlUserDefinedFunction FOR_COLUMN = new SqlUserDefinedFunction(
      new SqlIdentifier("bit_for_column", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      binding -> binding.getTypeFactory().createTypeWithNullability(
          BitSqlType.of(binding.getTypeFactory(), binding.getOperandLiteralValue(1,
              Integer.class)), binding.getOperandType(0).isNullable()),
      InferTypes.RETURN_TYPE, null, ScalarFunctionImpl.create(BitCasts.class, "forColumn")) {
    @Override public boolean isDeterministic() {
      return false;
    }
  };
  /** {@code bit_out(b)}: a bit string's text form, {@code 1010}. */
  public static final SqlUserDefinedFunction TO_TEXT = function("bit_out", "toText");
  /** {@code bit_cmp(a, b)}: negative, zero or positive, in PostgreSQL's order of bit strings. */
  public static final SqlUserDefinedFunction COMPARE = function("bit_cmp", "compare");

  private BitCasts() {}

  /** The cast of {@code value} (text or a bit string) to the bit type {@code to}. */
  public static RexNode cast(RexBuilder rex, BitSqlType to, RexNode value) {
    return rex.makeCall(to, TO_BIT,
        List.of(value, rex.makeExactLiteral(BigDecimal.valueOf(to.length()))));
  }

  /**
   * {@code CAST(value AS BIT(length))}: text must have {@code length} bits (22026 otherwise, as in
   * PostgreSQL); a bit string of another length is cut or padded with zeros on the right, as
   * PostgreSQL's explicit cast between bit types does. {@code BIT} (length -1) takes the value's.
   * Deterministic for the generated code, which computes a call on constants (a literal's cast)
   * once per statement rather than once per row; not for the planner, which must not fold it into
   * a literal (see {@link #function}).
   */
  @Deterministic
  public static BitValue toBit(Object value, int length) {
    if (value == null) {
      return null;
    }
    if (value instanceof BitValue bits) {
      return length == BitSqlType.ANY_LENGTH || bits.length() == length ? bits
          : resize(bits, length);
    }
    return withLength(bit(value), length);
  }

  /** {@code value} read as a bit string for a column, its length checked by the column's write. */
  public static BitValue forColumn(Object value, int length) {
    return value == null ? null : bit(value);
  }

  public static String toText(BitValue value) {
    return value == null ? null : value.toString();
  }

  public static Integer compare(BitValue a, BitValue b) {
    return a == null || b == null ? null : a.compareTo(b);
  }

  /**
   * {@code bits}, checked to have {@code length} bits unless {@code length} is -1: 22026 with
   * PostgreSQL's message otherwise.
   */
  public static BitValue withLength(BitValue bits, int length) {
    if (length != BitSqlType.ANY_LENGTH && bits.length() != length) {
      throw lengthMismatch(bits.length(), length);
    }
    return bits;
  }

  /** PostgreSQL's error for a bit string whose length is not its type's. */
  public static QuiverException lengthMismatch(int actual, int length) {
    return QuiverException.of(ErrorCode.STRING_DATA_LENGTH_MISMATCH,
        "bit string length %d does not match type bit(%d)", actual, length);
  }

  /**
   * A bit string from what SQL or a client gave: a bit string, or its text ({@code '1010'}; 22P02
   * naming the bad digit, 54000 past 64,000 bits); 42883 for anything else.
   */
  public static BitValue bit(Object value) {
    if (value instanceof BitValue bits) {
      return bits;
    }
    if (value instanceof String text) {
      if (text.length() > BitValue.MAX_LENGTH && text.strip().length() > BitValue.MAX_LENGTH) {
        throw QuiverException.of(ErrorCode.PROGRAM_LIMIT_EXCEEDED,
            "bit string of %d bits is longer than the %d bits a BIT(n) may have",
            text.strip().length(), BitValue.MAX_LENGTH);
      }
      try {
        return BitValue.parse(text);
      } catch (IllegalArgumentException e) {
        throw QuiverException.of(ErrorCode.INVALID_TEXT_REPRESENTATION, "%s", e.getMessage());
      }
    }
    throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
        "a bit string was expected, not a %s (%s)", value.getClass().getSimpleName(), value);
  }

  /** {@code bits} cut to {@code length} bits or padded with zeros on the right to it. */
  private static BitValue resize(BitValue bits, int length) {
    byte[] out = new byte[BitValue.byteLength(length)];
    byte[] in = bits.bytes();
    System.arraycopy(in, 0, out, 0, Math.min(in.length, out.length));
    int used = length & 7;
    if (used != 0) {
      out[out.length - 1] &= (byte) (0xFF << (8 - used));
    }
    return BitValue.wrap(length, out);
  }

  private static SqlUserDefinedFunction function(String name, String method) {
    // The return type is given where a call is made (RexBuilder.makeCall with a type). Not
    // deterministic for the planner: a call on constants must not be folded into a literal,
    // which Calcite cannot make of a bit string.
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, InferTypes.RETURN_TYPE, null,
        ScalarFunctionImpl.create(BitCasts.class, method)) {
      @Override public boolean isDeterministic() {
        return false;
      }
    };
  }
}
