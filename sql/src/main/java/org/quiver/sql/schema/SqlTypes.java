package org.quiver.sql.schema;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.jdbc.VectorText;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * How storage types appear in SQL, in one place: the Calcite type of each column and the
 * conversion of values between Calcite's row representation and the engine's.
 *
 * <p>Inside Calcite a VECTOR(n) column is a VARCHAR holding the vector's text form; the engine
 * holds {@code float[]}. Other types keep the same boxed Java value on both sides.
 */
public final class SqlTypes {
  /** The type name that JDBC metadata reports for vector columns. */
  public static final String VECTOR_TYPE_NAME = "VECTOR";

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
      case VARCHAR -> field.dimension() > 0
          ? f.createSqlType(SqlTypeName.VARCHAR, field.dimension())
          : f.createSqlType(SqlTypeName.VARCHAR);
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case FLOAT_VECTOR -> f.createSqlType(SqlTypeName.VARCHAR);
    };
    return f.createTypeWithNullability(t, field.nullable());
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
    };
  }

  /** Converts an engine value to Calcite's representation of the column. */
  public static Object toSql(FieldSchema field, Object value) {
    if (value instanceof float[] vector) {
      return VectorText.format(vector);
    }
    return value;
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
      case BOOL -> (Boolean) value;
      case INT8 -> ((Number) value).byteValue();
      case INT16 -> ((Number) value).shortValue();
      case INT32 -> ((Number) value).intValue();
      case INT64 -> ((Number) value).longValue();
      case FLOAT -> ((Number) value).floatValue();
      case DOUBLE -> ((Number) value).doubleValue();
      case TIMESTAMP -> value instanceof java.sql.Timestamp t ? t.getTime() : ((Number) value).longValue();
      case VARCHAR -> {
        String s = value.toString();
        if (field.dimension() > 0 && s.length() > field.dimension()) {
          throw QuiverException.of(ErrorCode.STRING_TOO_LONG,
              "value too long for column \"%s\" VARCHAR(%d): %d characters (row %d)",
              field.name(), field.dimension(), s.length(), row);
        }
        yield s;
      }
      case FLOAT_VECTOR -> vector(field, value, row);
    };
  }

  private static float[] vector(FieldSchema field, Object value, int row) {
    float[] v;
    if (value instanceof float[] f) {
      v = f;
    } else {
      try {
        v = VectorText.parse(value.toString());
      } catch (IllegalArgumentException e) {
        throw new QuiverException(ErrorCode.DATA_EXCEPTION,
            e.getMessage() + " (column \"" + field.name() + "\", row " + row + ")");
      }
    }
    if (v.length != field.dimension()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "expected %d dimensions, not %d, for column \"%s\" VECTOR(%d) (row %d)",
          field.dimension(), v.length, field.name(), field.dimension(), row);
    }
    return v;
  }
}
