package org.quiver.sql.type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.quiver.grammar.ast.SqlVectorTypeNameSpec;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorText;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.schema.SqlTypes;

/**
 * The casts to and from {@code VECTOR(n)} and {@code HALFVEC(n)}, as functions that generated code
 * calls: Calcite's own cast code knows nothing of Quiver's value class. NULL in, NULL out.
 */
public final class VectorCasts {
  /** {@code vector_in(x, n)}: text, a vector or an array as a {@code VECTOR(n)}. */
  public static final SqlUserDefinedFunction TO_VECTOR = function("vector_in", "toVector");
  /** {@code halfvec_in(x, n)}: text, a vector or an array as a {@code HALFVEC(n)}. */
  public static final SqlUserDefinedFunction TO_HALFVEC = function("halfvec_in", "toHalfvec");
  /**
   * {@code vector_for_column(x, n)}: text as a value for a {@code VECTOR(n)} column, its dimension
   * left to the column's write, whose error names the column and the row.
   */
  private static final SqlUserDefinedFunction FOR_VECTOR_COLUMN =
      columnFunction("vector_for_column", VectorSqlType.Kind.VECTOR, "forColumn");
  /** {@code halfvec_for_column(x, n)}: as {@code vector_for_column}, for a halfvec column. */
  private static final SqlUserDefinedFunction FOR_HALFVEC_COLUMN =
      columnFunction("halfvec_for_column", VectorSqlType.Kind.HALFVEC, "forHalfvecColumn");
  /** {@code vector_out(v)}: a vector's text form. */
  public static final SqlUserDefinedFunction TO_TEXT = function("vector_out", "toText");
  /** {@code vector_cmp(a, b)}: negative, zero or positive, in pgvector's order. */
  public static final SqlUserDefinedFunction COMPARE = function("vector_cmp", "compare");
  /** {@code vector_to_real_array(v)}: a vector's elements as a {@code REAL ARRAY}. */
  public static final SqlUserDefinedFunction TO_REAL_ARRAY =
      function("vector_to_real_array", "toRealArray");

  private VectorCasts() {}

  /** The cast of {@code value} to the vector type {@code to}. */
  public static RexNode cast(RexBuilder rex, VectorSqlType to, RexNode value) {
    return rex.makeCall(to, to.kind() == VectorSqlType.Kind.HALFVEC ? TO_HALFVEC : TO_VECTOR,
        List.of(value, rex.makeExactLiteral(BigDecimal.valueOf(to.dimension()))));
  }

  /** The function that reads text as a value for a column of this kind. */
  public static SqlUserDefinedFunction columnWrite(VectorSqlType.Kind kind) {
    return kind == VectorSqlType.Kind.HALFVEC ? FOR_HALFVEC_COLUMN : FOR_VECTOR_COLUMN;
  }

  public static VectorValue toVector(Object value, int dimension) {
    if (value == null) {
      return null;
    }
    VectorValue v = vector(value);
    return withDimension(v.isHalf() ? VectorValue.wrap(v.elements()) : v, dimension);
  }

  public static VectorValue toHalfvec(Object value, int dimension) {
    if (value == null) {
      return null;
    }
    return withDimension(halfvec(value), dimension);
  }

  /**
   * The value, checked to have {@code dimension} elements; a type without a dimension (PostgreSQL's
   * {@code '[1,2]'::vector}) takes the value's.
   */
  private static VectorValue withDimension(VectorValue v, int dimension) {
    if (dimension != SqlVectorTypeNameSpec.ANY_DIMENSION && v.dimension() != dimension) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "expected %d dimensions, not %d", dimension, v.dimension());
    }
    return v;
  }

  public static VectorValue forColumn(Object value, int dimension) {
    return value == null ? null : vector(value);
  }

  /**
   * Text read as a halfvec's, its rounding (and the error of an element too large for float16)
   * left to the column's write, whose error names the column and the row.
   */
  public static VectorValue forHalfvecColumn(Object value, int dimension) {
    return value instanceof String text ? VectorValue.wrap(parse(text, true))
        : value == null ? null : vector(value);
  }

  /**
   * Vector or halfvec text as floats (a halfvec's not yet rounded): 22003 for an element no float
   * holds, 22000 for text that is not a vector's.
   */
  private static float[] parse(String text, boolean half) {
    try {
      return half ? VectorText.parseHalf(text) : VectorText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new QuiverException(e instanceof VectorText.OutOfRange
          ? ErrorCode.NUMERIC_OUT_OF_RANGE : ErrorCode.DATA_EXCEPTION, e.getMessage());
    }
  }

  public static String toText(VectorValue v) {
    return v == null ? null : v.toString();
  }

  public static Integer compare(VectorValue a, VectorValue b) {
    return a == null || b == null ? null : a.compareTo(b);
  }

  public static List<Float> toRealArray(VectorValue v) {
    if (v == null) {
      return null;
    }
    List<Float> elements = new ArrayList<>(v.dimension());
    for (float e : v.elements()) {
      elements.add(e);
    }
    return elements;
  }

  /** Fails with 54000 when a vector would have more dimensions than a VECTOR(n) may declare. */
  public static void checkDimensionLimit(long dimension) {
    checkDimensionLimit(VectorSqlType.Kind.VECTOR, dimension);
  }

  /** Fails with 54000 when a vector of {@code kind} would have more dimensions than it may. */
  public static void checkDimensionLimit(VectorSqlType.Kind kind, long dimension) {
    int limit = SqlTypes.maxDimension(kind);
    if (dimension > limit) {
      throw QuiverException.of(ErrorCode.PROGRAM_LIMIT_EXCEEDED,
          "%s cannot have more than %d dimensions, got %d", kind.typeName(), limit, dimension);
    }
  }

  /**
   * A halfvec from what SQL or a client gave, as {@link #vector} reads it, its elements rounded to
   * float16 (22003 for an element too large for it).
   */
  public static VectorValue halfvec(Object value) {
    if (value instanceof VectorValue v && v.isHalf()) {
      return v;
    }
    if (value instanceof SparseVectorValue sparse) {
      checkDimensionLimit(VectorSqlType.Kind.HALFVEC, sparse.dimension());
      return HalfVectors.of(sparse.toDense());
    }
    if (value instanceof String text) {
      return HalfVectors.of(parse(text, true));
    }
    VectorValue v = vector(value);
    checkDimensionLimit(VectorSqlType.Kind.HALFVEC, v.dimension());
    return HalfVectors.of(v.elements());
  }

  /**
   * A vector from what SQL or a client gave: a vector, a {@code float[]}, a sparse vector (54000
   * when its dimension is more than a vector's limit), an array of numbers
   * (Calcite's ARRAY value, or a bound {@code Object[]}), or text (22000 when it is not a vector's
   * text); 42883 for anything else.
   */
  public static VectorValue vector(Object value) {
    if (value instanceof VectorValue v) {
      return v;
    }
    if (value instanceof float[] a) {
      return VectorValue.wrap(a.clone());
    }
    if (value instanceof SparseVectorValue sparse) {
      checkDimensionLimit(sparse.dimension());
      return VectorValue.wrap(sparse.toDense());
    }
    if (value instanceof List<?> array) {
      return fromArray(array);
    }
    if (value instanceof Object[] array) {
      return fromArray(Arrays.asList(array));
    }
    if (value instanceof String text) {
      return VectorValue.wrap(parse(text, false));
    }
    throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
        "a vector was expected, not a %s (%s)", value.getClass().getSimpleName(), value);
  }

  /**
   * The vector of an array's numbers, as pgvector's array cast: 22000 for no element, NaN or an
   * infinity (also a number too large for a float), 22004 for a NULL element.
   */
  private static VectorValue fromArray(List<?> array) {
    if (array.isEmpty()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "vector must have at least 1 dimension");
    }
    checkDimensionLimit(array.size());
    float[] elements = new float[array.size()];
    for (int i = 0; i < elements.length; i++) {
      Object element = array.get(i);
      if (element == null) {
        throw QuiverException.of(ErrorCode.NULL_VALUE_NOT_ALLOWED,
            "array must not contain nulls: element %d is NULL", i + 1);
      }
      if (!(element instanceof Number number)) {
        throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
            "a vector was expected, not an array of %s (%s)",
            element.getClass().getSimpleName(), element);
      }
      elements[i] = number.floatValue();
      if (Float.isNaN(elements[i])) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "NaN not allowed in vector: element %d", i + 1);
      }
      if (Float.isInfinite(elements[i])) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "infinite value not allowed in vector: element %d is %s", i + 1, number);
      }
    }
    return VectorValue.wrap(elements);
  }

  /** A function reading text as a value for a column of {@code kind}, whose type it returns. */
  private static SqlUserDefinedFunction columnFunction(String name, VectorSqlType.Kind kind,
      String method) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        binding -> binding.getTypeFactory().createTypeWithNullability(
            VectorSqlType.of(binding.getTypeFactory(), kind,
                binding.getOperandLiteralValue(1, Integer.class)),
            binding.getOperandType(0).isNullable()),
        InferTypes.RETURN_TYPE, null, ScalarFunctionImpl.create(VectorCasts.class, method)) {
      @Override public boolean isDeterministic() {
        return false;
      }
    };
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
