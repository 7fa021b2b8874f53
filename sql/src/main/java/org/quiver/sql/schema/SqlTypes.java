package org.quiver.sql.schema;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.type.BitCasts;
import org.quiver.sql.type.SparsevecCasts;
import org.quiver.sql.type.VectorCasts;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.SparseVector;

/**
 * How storage types appear in SQL, in one place: the Calcite type of each column and the
 * conversion of values between Calcite's row representation and the engine's.
 *
 * <p>Inside Calcite a VECTOR(n) column has Quiver's {@link VectorSqlType} and holds a {@link
 * VectorValue}; the engine holds {@code float[]}. A BIT(n) column has {@link BitSqlType} and holds
 * a {@link BitValue}; the engine holds its packed {@code byte[]}. A SPARSEVEC(n) column has
 * {@link SparsevecSqlType} and holds a {@link SparseVectorValue}; the engine holds a {@link
 * SparseVector}. Other types keep the same boxed
 * Java value on both sides.
 */
public final class SqlTypes {
  private SqlTypes() {}

  public static RelDataType relType(RelDataTypeFactory f, FieldSchema field) {
    RelDataType t = switch (field.type()) {
      case BOOL -> f.createSqlType(SqlTypeName.BOOLEAN);
      case INT8 -> f.createSqlType(SqlTypeName.TINYINT);
      case INT16 -> f.createSqlType(SqlTypeName.SMALLINT);
      case INT32 -> f.createSqlType(SqlTypeName.INTEGER);
      case INT64 -> f.createSqlType(SqlTypeName.BIGINT);
      case FLOAT -> f.createSqlType(SqlTypeName.REAL);
      case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
      // Unbounded inside Calcite: its casts would silently cut a longer string to VARCHAR(n);
      // the engine path checks the declared length and fails with 22001 instead.
      case VARCHAR -> f.createSqlType(SqlTypeName.VARCHAR);
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case FLOAT_VECTOR -> VectorSqlType.of(f, field.dimension());
      case FLOAT16_VECTOR -> VectorSqlType.of(f, VectorSqlType.Kind.HALFVEC, field.dimension());
      case BINARY_VECTOR -> BitSqlType.of(f, field.dimension());
      case SPARSE_FLOAT_VECTOR -> SparsevecSqlType.of(f, field.dimension());
    };
    // An assigned key may be left out of an INSERT, which Calcite fills with NULL.
    return f.createTypeWithNullability(t, field.nullable() || field.autoId());
  }

  /** The storage type of a vector column of {@code kind}. */
  public static DataType storageType(VectorSqlType.Kind kind) {
    return switch (kind) {
      case VECTOR -> DataType.FLOAT_VECTOR;
      case HALFVEC -> DataType.FLOAT16_VECTOR;
    };
  }

  /** The most dimensions a vector of {@code kind} may have, as its storage type allows. */
  public static int maxDimension(VectorSqlType.Kind kind) {
    return FieldSchema.maxDimension(storageType(kind));
  }

  /** The storage type of a SQL column type; null when Quiver cannot store it yet. */
  public static DataType storageType(SqlTypeName sqlType) {
    return switch (sqlType) {
      case BOOLEAN -> DataType.BOOL;
      case TINYINT -> DataType.INT8;
      case SMALLINT -> DataType.INT16;
      case INTEGER -> DataType.INT32;
      case BIGINT -> DataType.INT64;
      case REAL -> DataType.FLOAT;
      case FLOAT, DOUBLE -> DataType.DOUBLE;
      case CHAR, VARCHAR -> DataType.VARCHAR;
      case TIMESTAMP -> DataType.TIMESTAMP;
      default -> null;
    };
  }

  /** The SQL name of a column's type, as DESCRIBE shows it. */
  public static String displayName(FieldSchema field) {
    return switch (field.type()) {
      case BOOL -> "BOOLEAN";
      case INT8 -> "TINYINT";
      case INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case FLOAT -> "REAL";
      case DOUBLE -> "DOUBLE";
      case VARCHAR -> field.dimension() > 0 ? "VARCHAR(" + field.dimension() + ")" : "VARCHAR";
      case TIMESTAMP -> "TIMESTAMP";
      case FLOAT_VECTOR -> "VECTOR(" + field.dimension() + ")";
      case FLOAT16_VECTOR -> "HALFVEC(" + field.dimension() + ")";
      case BINARY_VECTOR -> "BIT(" + field.dimension() + ")";
      case SPARSE_FLOAT_VECTOR -> "SPARSEVEC(" + field.dimension() + ")";
    };
  }

  /** Converts an engine value to Calcite's representation of the column. */
  public static Object toSql(FieldSchema field, Object value) {
    if (value instanceof float[] vector) {
      // The engine's arrays are not changed once read, so the value shares it.
      return field.type() == DataType.FLOAT16_VECTOR ? VectorValue.wrapHalf(vector)
          : VectorValue.wrap(vector);
    }
    if (value instanceof byte[] bits && field.type() == DataType.BINARY_VECTOR) {
      // A copy the engine made for this result (Column.get): the value may keep it.
      return BitValue.wrap(field.dimension(), bits);
    }
    if (value instanceof SparseVector sparse) {
      // The engine's arrays are copies made for this result (Column.get): the value keeps them.
      return SparseVectorValue.wrap(sparse.dimension(), sparse.indices(), sparse.values());
    }
    return value;
  }

  /**
   * Row {@code row} of an engine result as Calcite's values of {@code fields} (the result's
   * columns, in order), in an array of {@code width} values whose places after them are left for
   * the caller.
   */
  public static Object[] toSql(List<FieldSchema> fields, ResultRows rows, int row, int width) {
    Object[] values = new Object[width];
    for (int i = 0; i < fields.size(); i++) {
      values[i] = toSql(fields.get(i), rows.value(i, row));
    }
    return values;
  }

  /**
   * Converts a value that Calcite produced for a column into the engine's boxed type, checking
   * it: vectors are parsed and their dimension checked, strings their length.
   */
  public static Object toEngine(FieldSchema field, Object value, int row) {
    if (value == null) {
      return null;
    }
    return switch (field.type()) {
      case BOOL -> value instanceof Boolean b ? b : parseBoolean(field, value, row);
      case INT8 -> (byte) integral(field, value, row, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case INT16 -> (short) integral(field, value, row, Short.MIN_VALUE, Short.MAX_VALUE);
      case INT32 -> (int) integral(field, value, row, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case INT64 -> integral(field, value, row, Long.MIN_VALUE, Long.MAX_VALUE);
      case FLOAT -> number(field, value, row).floatValue();
      case DOUBLE -> number(field, value, row).doubleValue();
      case TIMESTAMP -> value instanceof java.sql.Timestamp t ? t.getTime()
          : value instanceof String text ? parseTimestamp(field, text, row)
          : number(field, value, row).longValue();
      case VARCHAR -> {
        String s = value.toString();
        // Characters, as SQL counts them: one emoji is one, not its two UTF-16 units.
        if (field.dimension() > 0 && s.length() > field.dimension()
            && s.codePointCount(0, s.length()) > field.dimension()) {
          throw QuiverException.of(ErrorCode.STRING_TOO_LONG,
              "value too long for column \"%s\" VARCHAR(%d): %d characters (row %d)",
              field.name(), field.dimension(), s.codePointCount(0, s.length()), row);
        }
        yield s;
      }
      case FLOAT_VECTOR, FLOAT16_VECTOR -> vector(field, value, row);
      case BINARY_VECTOR -> bits(field, value, row);
      case SPARSE_FLOAT_VECTOR -> sparse(field, value, row);
    };
  }

  /**
   * A sparse vector for a SPARSEVEC(n) column, from a sparse vector, its text, a dense vector or
   * a bound array: pgvector's errors (22P02 for text that is not one, 22000 for another dimension
   * than n), each naming the column and the row.
   */
  private static SparseVector sparse(FieldSchema field, Object value, int row) {
    SparseVectorValue sparse;
    try {
      sparse = SparsevecCasts.withDimension(SparsevecCasts.sparse(value), field.dimension());
    } catch (QuiverException e) {
      throw new QuiverException(e.code(),
          e.getMessage() + " (column \"" + field.name() + "\", row " + row + ")");
    }
    // Copies: the engine may keep what it is given, and a value's arrays may be shared.
    return new SparseVector(sparse.dimension(), sparse.indices(), sparse.values());
  }

  /**
   * The packed bytes of a bit string for a BIT(n) column, from a bit string, its text or its
   * packed bytes: 22P02 for text that is not one, 22026 for another length than n, as in
   * PostgreSQL, each naming the column and the row.
   */
  private static byte[] bits(FieldSchema field, Object value, int row) {
    BitValue bits;
    try {
      if (value instanceof byte[] bytes) {
        if (bytes.length != BitValue.byteLength(field.dimension())) {
          throw QuiverException.of(ErrorCode.STRING_DATA_LENGTH_MISMATCH,
              "%d bytes cannot hold a bit string of type bit(%d), which takes %d", bytes.length,
              field.dimension(), BitValue.byteLength(field.dimension()));
        }
        try {
          bits = BitValue.of(field.dimension(), bytes);
        } catch (IllegalArgumentException e) {
          throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "%s", e.getMessage());
        }
      } else {
        bits = BitCasts.withLength(BitCasts.bit(value instanceof BitValue ? value
            : value.toString()), field.dimension());
      }
    } catch (QuiverException e) {
      throw new QuiverException(e.code(),
          e.getMessage() + " (column \"" + field.name() + "\", row " + row + ")");
    }
    // The engine may keep what it is given; a value's bytes may be shared.
    return value instanceof BitValue ? bits.toByteArray() : bits.bytes();
  }

  private static Number number(FieldSchema field, Object value, int row) {
    if (value instanceof Number n) {
      return n;
    }
    if (value instanceof String text) {
      try {
        return new BigDecimal(text.strip());
      } catch (NumberFormatException e) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "invalid value '%s' for column \"%s\" %s (row %d)", text, field.name(),
            displayName(field), row);
      }
    }
    throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
        "a %s cannot go into column \"%s\" %s (row %d)", value.getClass().getSimpleName(),
        field.name(), displayName(field), row);
  }

  private static long integral(FieldSchema field, Object value, int row, long min, long max) {
    Number n = number(field, value, row);
    long v;
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      v = n.longValue();
    } else {
      // No rounding: a fraction going into an integer column is a mistake, not a value.
      BigDecimal d = exact(n);
      if (d == null || d.stripTrailingZeros().scale() > 0) {
        throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
            "value %s for column \"%s\" %s is not an integer (row %d)", value, field.name(),
            displayName(field), row);
      }
      try {
        v = d.longValueExact();
      } catch (ArithmeticException e) {
        throw outOfRange(field, value, row);
      }
    }
    if (v < min || v > max) {
      throw outOfRange(field, value, row);
    }
    return v;
  }

  /** The exact value of a number; null for NaN and the infinities. */
  private static BigDecimal exact(Number n) {
    if (n instanceof BigDecimal b) {
      return b;
    }
    if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
      return null;
    }
    return new BigDecimal(n.toString());
  }

  /**
   * The error for a NaN at {@code element} of a vector for {@code field}: pgvector refuses NaN, and
   * the engine holds a NULL vector as NaN floats.
   */
  public static QuiverException nanInVector(FieldSchema field, int element, long row) {
    return QuiverException.of(ErrorCode.DATA_EXCEPTION,
        "NaN not allowed in vector: element %d of column \"%s\" %s (row %d)", element + 1,
        field.name(), displayName(field), row);
  }

  private static QuiverException outOfRange(FieldSchema field, Object value, int row) {
    return QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
        "value %s is out of range for column \"%s\" %s (row %d)", value, field.name(),
        displayName(field), row);
  }

  private static Boolean parseBoolean(FieldSchema field, Object value, int row) {
    String text = value.toString().strip().toLowerCase(java.util.Locale.ROOT);
    return switch (text) {
      case "true", "t", "1" -> true;
      case "false", "f", "0" -> false;
      default -> throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "invalid value '%s' for column \"%s\" BOOLEAN (row %d)", value, field.name(), row);
    };
  }

  private static long parseTimestamp(FieldSchema field, String text, int row) {
    try {
      return java.time.LocalDateTime.parse(text.strip().replace(' ', 'T'))
          .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "invalid value '%s' for column \"%s\" TIMESTAMP (row %d)", text, field.name(), row);
    }
  }

  /**
   * The vector for a vector column, a fresh array or the client's own: a halfvec column's elements
   * rounded to float16 (22003 for one too large for it).
   */
  private static float[] vector(FieldSchema field, Object value, int row) {
    Object given = value instanceof VectorValue || value instanceof float[] ? value
        : value.toString();
    float[] v;
    try {
      if (field.type() == DataType.FLOAT16_VECTOR) {
        VectorValue half = VectorCasts.halfvec(given);
        // The engine may keep what it is given; a value's array may be shared.
        v = half == given ? half.elements().clone() : half.elements();
      } else if (given instanceof float[] f) {
        v = f;
      } else if (given instanceof VectorValue vector) {
        v = vector.elements().clone();
      } else {
        v = VectorCasts.vector(given).elements();
      }
    } catch (QuiverException e) {
      throw new QuiverException(e.code(),
          e.getMessage() + " (column \"" + field.name() + "\", row " + row + ")");
    }
    if (v.length != field.dimension()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "expected %d dimensions, not %d, for column \"%s\" %s (row %d)",
          field.dimension(), v.length, field.name(), displayName(field), row);
    }
    int nan = NullVectors.firstNaN(v);
    if (nan >= 0) {
      throw nanInVector(field, nan, row);
    }
    return v;
  }
}
