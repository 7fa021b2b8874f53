package org.quiver.sql.type;

import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.quiver.engine.error.ErrorCode;
import org.quiver.grammar.ast.SqlVectorTypeNameSpec;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.engine.error.QuiverException;
import org.quiver.jdbc.VectorText;
import org.quiver.jdbc.VectorValue;

/**
 * The casts to and from {@code VECTOR(n)}, as functions that generated code calls: Calcite's own
 * cast code knows nothing of Quiver's value class. NULL in, NULL out.
 */
public final class VectorCasts {
  /** {@code vector_in(x, n)}: text or a vector as a {@code VECTOR(n)}. */
  public static final SqlUserDefinedFunction TO_VECTOR = function("vector_in", "toVector");
  /**
   * {@code vector_for_column(x, n)}: text as a value for a {@code VECTOR(n)} column, its dimension
   * left to the column's write, whose error names the column and the row.
   */
  public static final SqlUserDefinedFunction FOR_COLUMN = new SqlUserDefinedFunction(
      new SqlIdentifier("vector_for_column", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      binding -> binding.getTypeFactory().createTypeWithNullability(
          VectorSqlType.of(binding.getTypeFactory(),
              binding.getOperandLiteralValue(1, Integer.class)),
          binding.getOperandType(0).isNullable()),
      InferTypes.RETURN_TYPE, null, ScalarFunctionImpl.create(VectorCasts.class, "forColumn")) {
    @Override public boolean isDeterministic() {
      return false;
    }
  };
  /** {@code vector_out(v)}: a vector's text form. */
  public static final SqlUserDefinedFunction TO_TEXT = function("vector_out", "toText");
  /** {@code vector_cmp(a, b)}: negative, zero or positive, in pgvector's order. */
  public static final SqlUserDefinedFunction COMPARE = function("vector_cmp", "compare");

  private VectorCasts() {}

  public static VectorValue toVector(Object value, int dimension) {
    if (value == null) {
      return null;
    }
    VectorValue v = vector(value);
    // VECTOR without a dimension (PostgreSQL's '[1,2]'::vector) takes the value's.
    if (dimension != SqlVectorTypeNameSpec.ANY_DIMENSION && v.dimension() != dimension) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "expected %d dimensions, not %d", dimension, v.dimension());
    }
    return v;
  }

  public static VectorValue forColumn(Object value, int dimension) {
    return value == null ? null : vector(value);
  }

  public static String toText(VectorValue v) {
    return v == null ? null : v.toString();
  }

  public static Integer compare(VectorValue a, VectorValue b) {
    return a == null || b == null ? null : a.compareTo(b);
  }

  /**
   * A vector from what SQL or a client gave: a vector, a {@code float[]}, or text (22000 when it is
   * not a vector's text); 42883 for anything else.
   */
  public static VectorValue vector(Object value) {
    if (value instanceof VectorValue v) {
      return v;
    }
    if (value instanceof float[] a) {
      return VectorValue.wrap(a.clone());
    }
    if (value instanceof String text) {
      try {
        return VectorValue.parse(text);
      } catch (IllegalArgumentException e) {
        throw new QuiverException(e instanceof VectorText.OutOfRange
            ? ErrorCode.NUMERIC_OUT_OF_RANGE : ErrorCode.DATA_EXCEPTION, e.getMessage());
      }
    }
    throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
        "a vector was expected, not a %s (%s)", value.getClass().getSimpleName(), value);
  }

  private static SqlUserDefinedFunction function(String name, String method) {
    // The return type is given where a call is made (RexBuilder.makeCall with a type). Not
    // deterministic for the planner: a call on constants must not be folded into a literal,
    // which Calcite cannot make of a vector.
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, InferTypes.RETURN_TYPE, null,
        ScalarFunctionImpl.create(VectorCasts.class, method)) {
      @Override public boolean isDeterministic() {
        return false;
      }
    };
  }
}
