package org.quiver.sql.arrow;

import java.sql.ParameterMetaData;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.api.Engine;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.column.ArrowColumns;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * How SQL columns appear in Arrow, in one place for results, parameters and table schemas.
 * VECTOR(n) is {@code FixedSizeList<Float4>(n)} and HALFVEC(n) {@code FixedSizeList<Float2>(n)}, as
 * in Quiver's segment files, BIT(n) {@code FixedSizeBinary(ceil(n / 8))}, SPARSEVEC(n) {@code
 * List<Struct<index: Int32, value: Float4>>}; TIMESTAMP is
 * milliseconds without a zone (Quiver's TIMESTAMP is UTC wall time); types Arrow has no close
 * match for travel as text.
 */
public final class ArrowTypes {
  /** The element field of a vector list, as Arrow names it. */
  public static final String VECTOR_ELEMENT = "$data$";

  private ArrowTypes() {}

  public static ArrowType vectorType(int dimension) {
    return new ArrowType.FixedSizeList(dimension);
  }

  public static Field vectorField(String name, int dimension, boolean nullable) {
    return vectorField(name, dimension, nullable, false);
  }

  /**
   * A {@code VECTOR(n)} field, {@code FixedSizeList<Float4>(n)}, or with {@code half} a {@code
   * HALFVEC(n)} field, {@code FixedSizeList<Float2>(n)}.
   */
  public static Field vectorField(String name, int dimension, boolean nullable, boolean half) {
    Field element = new Field(VECTOR_ELEMENT, FieldType.notNullable(new ArrowType.FloatingPoint(
        half ? FloatingPointPrecision.HALF : FloatingPointPrecision.SINGLE)), null);
    return new Field(name, new FieldType(nullable, vectorType(dimension), null,
        Map.of("quiver:type", (half ? "HALFVEC(" : "VECTOR(") + dimension + ")")),
        List.of(element));
  }

  /**
   * {@code schema} as a Parquet file takes it: each vector field a variable-length {@code
   * List<Float4>} (its metadata unchanged, so a halfvec's still says HALFVEC(n)). Arrow's Parquet
   * writer (18.3) refuses a NULL entry of a {@code FixedSizeList} that other entries follow
   * ("Lists with non-zero length null components are not supported", apache/arrow#35697); a NULL
   * list entry is empty, and float16 values are exact in float32. COPY FROM reads both forms.
   */
  public static Schema forParquet(Schema schema) {
    List<Field> fields = new ArrayList<>();
    for (Field f : schema.getFields()) {
      fields.add(!(f.getType() instanceof ArrowType.FixedSizeList) ? f
          : new Field(f.getName(), new FieldType(f.isNullable(), ArrowType.List.INSTANCE, null,
              f.getMetadata()), List.of(new Field(VECTOR_ELEMENT, FieldType.notNullable(
                  new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null))));
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  /**
   * A {@code BIT(n)} field: {@code FixedSizeBinary(ceil(n / 8))}, the bits packed most significant
   * first as in Quiver's segment files, with {@code quiver:type} = {@code BIT(n)} for the length.
   */
  public static Field bitField(String name, int length, boolean nullable) {
    return new Field(name, new FieldType(nullable,
        new ArrowType.FixedSizeBinary(BitValue.byteLength(length)), null,
        Map.of("quiver:type", "BIT(" + length + ")")), null);
  }

  /**
   * A {@code SPARSEVEC(n)} field: a {@code List} of non-null {@code Struct<index: Int32, value:
   * Float4>}, a row's non-zero elements by ascending index counted from 0, as in Quiver's segment
   * files, with {@code quiver:type} = {@code SPARSEVEC(n)} for the dimension.
   */
  public static Field sparseField(String name, int dimension, boolean nullable) {
    return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null,
        Map.of("quiver:type", "SPARSEVEC(" + dimension + ")")),
        List.of(ArrowColumns.sparseElement()));
  }

  /**
   * The Arrow field of a column with this JDBC type; {@code dimension} > 0 for vectors, a BIT(n)
   * column's length is its precision (a bit string whose length is the value's travels as text).
   */
  public static Field field(String name, int jdbcType, String typeName, int precision, int scale,
      boolean nullable, int dimension) {
    if (org.quiver.jdbc.VectorText.isVectorTypeName(typeName) && dimension > 0) {
      return vectorField(name, dimension, nullable,
          typeName.regionMatches(true, 0, "HALFVEC", 0, 7));
    }
    if (BitValue.isTypeName(typeName) && precision > 0) {
      return bitField(name, precision, nullable);
    }
    if (SparseVectorValue.isTypeName(typeName) && precision > 0) {
      return sparseField(name, precision, nullable);
    }
    ArrowType type = switch (jdbcType) {
      case Types.BOOLEAN, Types.BIT -> ArrowType.Bool.INSTANCE;
      case Types.TINYINT -> new ArrowType.Int(8, true);
      case Types.SMALLINT -> new ArrowType.Int(16, true);
      case Types.INTEGER -> new ArrowType.Int(32, true);
      case Types.BIGINT -> new ArrowType.Int(64, true);
      case Types.REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case Types.FLOAT, Types.DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case Types.DECIMAL, Types.NUMERIC -> precision >= 1 && precision <= 38 && scale >= 0
          && scale <= precision ? new ArrowType.Decimal(precision, scale, 128)
          : new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case Types.TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
      case Types.DATE -> new ArrowType.Date(DateUnit.DAY);
      case Types.TIME -> new ArrowType.Time(TimeUnit.MILLISECOND, 32);
      case Types.BINARY, Types.VARBINARY -> ArrowType.Binary.INSTANCE;
      default -> ArrowType.Utf8.INSTANCE;
    };
    return new Field(name, new FieldType(nullable, type, null), null);
  }

  /** The Arrow field of a table column. */
  public static Field field(FieldSchema f) {
    if (f.isVector()) {
      return vectorField(f.name(), f.dimension(), false, f.type() == DataType.FLOAT16_VECTOR);
    }
    if (f.type() == DataType.BINARY_VECTOR) {
      return bitField(f.name(), f.dimension(), f.nullable());
    }
    if (f.type() == DataType.SPARSE_FLOAT_VECTOR) {
      return sparseField(f.name(), f.dimension(), f.nullable());
    }
    int jdbc = switch (f.type()) {
      case BOOL -> Types.BOOLEAN;
      case INT8 -> Types.TINYINT;
      case INT16 -> Types.SMALLINT;
      case INT32 -> Types.INTEGER;
      case INT64 -> Types.BIGINT;
      case FLOAT -> Types.REAL;
      case DOUBLE -> Types.DOUBLE;
      case TIMESTAMP -> Types.TIMESTAMP;
      default -> Types.VARCHAR;
    };
    return field(f.name(), jdbc, SqlTypes.displayName(f), 0, 0, f.nullable(), 0);
  }

  /**
   * The schema of a result. Vector columns are VARCHAR to Calcite and named VECTOR by the
   * metadata; their dimension comes from the column of origin in the catalog. A computed
   * vector, whose dimension no catalog knows, travels as text.
   */
  public static Schema schema(ResultSetMetaData md, Engine engine) throws SQLException {
    List<Field> fields = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      int dimension = 0;
      if (org.quiver.jdbc.VectorText.isVectorTypeName(md.getColumnTypeName(i))) {
        // VECTOR(n) reports n as its precision; the catalog answers for a column that does not.
        dimension = md.getPrecision(i) > 0 ? md.getPrecision(i)
            : vectorDimension(engine, md.getSchemaName(i), md.getTableName(i), md.getColumnName(i));
      }
      fields.add(field(md.getColumnLabel(i), md.getColumnType(i), md.getColumnTypeName(i),
          md.getPrecision(i), md.getScale(i),
          md.isNullable(i) != ResultSetMetaData.columnNoNulls, dimension));
    }
    return new Schema(fields);
  }

  /** The schema of a statement's parameters, named {@code p1, p2, ...}. */
  public static Schema parameters(ParameterMetaData md) throws SQLException {
    List<Field> fields = new ArrayList<>();
    int n = md == null ? 0 : md.getParameterCount();
    for (int i = 1; i <= n; i++) {
      int type;
      int precision = 0;
      int scale = 0;
      try {
        type = md.getParameterType(i);
        precision = md.getPrecision(i);
        scale = md.getScale(i);
      } catch (SQLException unknown) {
        type = Types.VARCHAR;
      }
      fields.add(field("p" + i, type, null, precision, scale, true, 0));
    }
    return new Schema(fields);
  }

  public static int vectorDimension(Engine engine, String schema, String table, String column) {
    if (table == null || table.isEmpty() || column == null
        || (schema != null && !schema.isEmpty() && !schema.equals(QuiverSchema.NAME))) {
      return 0;
    }
    return engine.table(engine.aliases().getOrDefault(table, table))
        .flatMap(info -> info.schema().field(column))
        .filter(FieldSchema::isVector)
        .map(FieldSchema::dimension)
        .orElse(0);
  }
}
