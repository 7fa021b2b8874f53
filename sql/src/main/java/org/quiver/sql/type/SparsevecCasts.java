package org.quiver.sql.type;

import java.math.BigDecimal;
import java.util.Arrays;
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
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;

/**
 * The casts to and from {@code SPARSEVEC(n)}, as functions that generated code calls: Calcite's
 * own cast code knows nothing of Quiver's value class {@link SparseVectorValue}. NULL in, NULL
 * out. Errors are pgvector's: text that is not a sparsevec is 22P02, an element no float holds
 * 22003, a broken rule (an index out of bounds, NaN, another dimension than the type's) 22000,
 * too many dimensions or non-zero elements 54000.
 */
public final class SparsevecCasts {
  /** {@code sparsevec_in(x, n)}: text, a sparse or dense vector or an array as a SPARSEVEC(n). */
  public static final SqlUserDefinedFunction TO_SPARSEVEC = function("sparsevec_in", "toSparsevec");
  /**
   * {@code sparsevec_for_column(x, n)}: text as a value for a {@code SPARSEVEC(n)} column, its
   * dimension left to the column's write, whose error names the column and the row.
   */
  public static final SqlUserDefinedFunction FOR_COLUMN = new SqlUserDefinedFunction(
      new SqlIdentifier("sparsevec_for_column", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      binding -> binding.getTypeFactory().createTypeWithNullability(
          SparsevecSqlType.of(binding.getTypeFactory(), binding.getOperandLiteralValue(1,
              Integer.class)), binding.getOperandType(0).isNullable()),
      InferTypes.RETURN_TYPE, null, ScalarFunctionImpl.create(SparsevecCasts.class,
          "forColumn")) {
    @Override public boolean isDeterministic() {
      return false;
    }
  };
  /** {@code sparsevec_out(s)}: a sparse vector's text form, {@code {1:1.5,3:2}/5}. */
  public static final SqlUserDefinedFunction TO_TEXT = function("sparsevec_out", "toText");
  /** {@code sparsevec_cmp(a, b)}: negative, zero or positive, in pgvector's order. */
  public static final SqlUserDefinedFunction COMPARE = function("sparsevec_cmp", "compare");

  private SparsevecCasts() {}

  /** The cast of {@code value} to the sparse vector type {@code to}. */
  public static RexNode cast(RexBuilder rex, SparsevecSqlType to, RexNode value) {
    return rex.makeCall(to, TO_SPARSEVEC,
        List.of(value, rex.makeExactLiteral(BigDecimal.valueOf(to.dimension()))));
  }

  /**
   * {@code CAST(value AS SPARSEVEC(dimension))}: 22000 {@code expected n dimensions, not m} for
   * another dimension, as in pgvector; {@code SPARSEVEC} (-1) takes the value's. Deterministic
   * for the generated code, which computes a literal's cast once per statement; not for the
   * planner, which must not fold it into a literal (see {@link #function}).
   */
  @Deterministic
  public static SparseVectorValue toSparsevec(Object value, int dimension) {
    return value == null ? null : withDimension(sparse(value), dimension);
  }

  /** {@code value} read as a sparse vector for a column, its dimension checked by the write. */
  public static SparseVectorValue forColumn(Object value, int dimension) {
    return value == null ? null : sparse(value);
  }

  public static String toText(SparseVectorValue value) {
    return value == null ? null : value.toString();
  }

  public static Integer compare(SparseVectorValue a, SparseVectorValue b) {
    return a == null || b == null ? null : a.compareTo(b);
  }

  /** {@code value}, checked to have {@code dimension} dimensions unless that is -1. */
  public static SparseVectorValue withDimension(SparseVectorValue value, int dimension) {
    if (dimension != SparsevecSqlType.ANY_DIMENSION && value.dimension() != dimension) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "expected %d dimensions, not %d",
          dimension, value.dimension());
    }
    return value;
  }

  /**
   * A sparse vector from what SQL or a client gave: a sparse vector, its text, a dense vector or
   * halfvec (its non-zero elements), an array of numbers, or a bound {@code float[]}; 42883 for
   * anything else.
   */
  public static SparseVectorValue sparse(Object value) {
    try {
      if (value instanceof SparseVectorValue s) {
        return s;
      }
      if (value instanceof String text) {
        return SparseVectorValue.parse(text);
      }
      if (value instanceof VectorValue v) {
        return SparseVectorValue.fromDense(v.elements());
      }
      if (value instanceof float[] a) {
        return SparseVectorValue.fromDense(a);
      }
      if (value instanceof List<?> array) {
        return fromArray(array);
      }
      if (value instanceof Object[] array) {
        return fromArray(Arrays.asList(array));
      }
    } catch (SparseVectorValue.Invalid e) {
      throw error(e);
    }
    throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
        "a sparsevec was expected, not a %s (%s)", value.getClass().getSimpleName(), value);
  }

  /** The Quiver error of a value that is not a sparse vector, with pgvector's SQLSTATE. */
  public static QuiverException error(SparseVectorValue.Invalid e) {
    ErrorCode code = switch (e.sqlState()) {
      case SparseVectorValue.INVALID_TEXT -> ErrorCode.INVALID_TEXT_REPRESENTATION;
      case SparseVectorValue.OUT_OF_RANGE -> ErrorCode.NUMERIC_OUT_OF_RANGE;
      case SparseVectorValue.LIMIT_EXCEEDED -> ErrorCode.PROGRAM_LIMIT_EXCEEDED;
      default -> ErrorCode.DATA_EXCEPTION;
    };
    return new QuiverException(code, e.getMessage());
  }

  /**
   * The sparse vector of an array's numbers, as pgvector's array cast: 22004 for a NULL element,
   * 22000 for none at all, NaN or an infinity (also a number too large for a float).
   */
  private static SparseVectorValue fromArray(List<?> array) {
    float[] dense = new float[array.size()];
    for (int i = 0; i < dense.length; i++) {
      Object element = array.get(i);
      if (element == null) {
        throw QuiverException.of(ErrorCode.NULL_VALUE_NOT_ALLOWED,
            "array must not contain nulls: element %d is NULL", i + 1);
      }
      if (!(element instanceof Number number)) {
        throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
            "a sparsevec was expected, not an array of %s (%s)",
            element.getClass().getSimpleName(), element);
      }
      dense[i] = number.floatValue();
    }
    return SparseVectorValue.fromDense(dense);
  }

  private static SqlUserDefinedFunction function(String name, String method) {
    // Deterministic for the generated code (see toSparsevec), but not for the planner: a call on
    // constants must not be folded into a literal, which Calcite cannot make of a sparse vector.
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, InferTypes.RETURN_TYPE, null,
        ScalarFunctionImpl.create(SparsevecCasts.class, method)) {
      @Override public boolean isDeterministic() {
        return false;
      }
    };
  }
}
