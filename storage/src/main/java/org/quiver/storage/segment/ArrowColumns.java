package org.quiver.storage.segment;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.vector.NullVectors;

/** Conversions between Quiver's in-memory columns and Arrow vectors, one loop per type. */
final class ArrowColumns {

  private static final ArrowType FLOAT4 =
      new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);

  private ArrowColumns() {}

  /** The Arrow type that stores a column of {@code type}; vectors are FixedSizeList(dim). */
  static ArrowType arrowType(DataType type, int dimension) {
    return switch (type) {
      case BOOL -> ArrowType.Bool.INSTANCE;
      case INT8 -> new ArrowType.Int(8, true);
      case INT16 -> new ArrowType.Int(16, true);
      case INT32 -> new ArrowType.Int(32, true);
      case INT64 -> new ArrowType.Int(64, true);
      case FLOAT -> FLOAT4;
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case VARCHAR -> ArrowType.Utf8.INSTANCE;
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");
      case FLOAT_VECTOR -> new ArrowType.FixedSizeList(dimension);
    };
  }

  static Field field(
      String name, DataType type, int dimension, boolean nullable, Map<String, String> metadata) {
    FieldType fieldType = new FieldType(nullable, arrowType(type, dimension), null, metadata);
    List<Field> children =
        type.isVector() ? List.of(new Field("item", FieldType.notNullable(FLOAT4), null)) : null;
    return new Field(name, fieldType, children);
  }

  /** Whether a column read from a file has the layout this build expects for {@code type}. */
  static boolean matches(Field file, DataType type, int dimension) {
    if (!file.getType().equals(arrowType(type, dimension))) {
      return false;
    }
    return !type.isVector()
        || (file.getChildren().size() == 1 && file.getChildren().get(0).getType().equals(FLOAT4));
  }

  /** Allocates room for {@code count} rows, dropping what the vector held. */
  static void allocate(FieldVector v, int count) {
    v.setInitialCapacity(count);
    v.allocateNew();
  }

  /** Writes {@code values[from, from + count)} of a scalar column into rows 0..count-1. */
  static void writeScalars(
      FieldVector v, String column, DataType type, boolean nullable, Object[] values, int from,
      int count) {
    for (int i = 0; i < count; i++) {
      if (values[from + i] == null && !nullable) {
        throw new IllegalArgumentException(
            "column " + column + " is not nullable but row " + (from + i) + " is null");
      }
    }
    switch (type) {
      case BOOL -> {
        BitVector out = (BitVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Boolean.class, column, from + i) ? 1 : 0);
          }
        }
      }
      case INT8 -> {
        TinyIntVector out = (TinyIntVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Byte.class, column, from + i));
          }
        }
      }
      case INT16 -> {
        SmallIntVector out = (SmallIntVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Short.class, column, from + i));
          }
        }
      }
      case INT32 -> {
        IntVector out = (IntVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Integer.class, column, from + i));
          }
        }
      }
      case INT64 -> {
        BigIntVector out = (BigIntVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Long.class, column, from + i));
          }
        }
      }
      case FLOAT -> {
        Float4Vector out = (Float4Vector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Float.class, column, from + i));
          }
        }
      }
      case DOUBLE -> {
        Float8Vector out = (Float8Vector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Double.class, column, from + i));
          }
        }
      }
      case VARCHAR -> {
        VarCharVector out = (VarCharVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            String text = cast(o, String.class, column, from + i);
            out.setSafe(i, text.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
      case TIMESTAMP -> {
        TimeStampMilliTZVector out = (TimeStampMilliTZVector) v;
        for (int i = 0; i < count; i++) {
          Object o = values[from + i];
          if (o == null) {
            out.setNull(i);
          } else {
            out.setSafe(i, cast(o, Long.class, column, from + i));
          }
        }
      }
      case FLOAT_VECTOR -> throw new IllegalArgumentException("column " + column + " is a vector");
    }
  }

  /** Reads every row of a scalar column vector into {@code out[at, at + rows)}. */
  static void readScalars(FieldVector v, DataType type, Object[] out, int at) {
    int n = v.getValueCount();
    switch (type) {
      case BOOL -> {
        BitVector in = (BitVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i) != 0;
        }
      }
      case INT8 -> {
        TinyIntVector in = (TinyIntVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case INT16 -> {
        SmallIntVector in = (SmallIntVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case INT32 -> {
        IntVector in = (IntVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case INT64 -> {
        BigIntVector in = (BigIntVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case FLOAT -> {
        Float4Vector in = (Float4Vector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case DOUBLE -> {
        Float8Vector in = (Float8Vector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case VARCHAR -> {
        VarCharVector in = (VarCharVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : new String(in.get(i), StandardCharsets.UTF_8);
        }
      }
      case TIMESTAMP -> {
        TimeStampMilliTZVector in = (TimeStampMilliTZVector) v;
        for (int i = 0; i < n; i++) {
          out[at + i] = in.isNull(i) ? null : in.get(i);
        }
      }
      case FLOAT_VECTOR -> throw new IllegalArgumentException(v.getName() + " is a vector column");
    }
  }

  /** Writes rows {@code [from, from + count)} of a flat vector column into rows 0..count-1. */
  static void writeVectors(FixedSizeListVector v, float[] values, int dim, int from, int count) {
    Float4Vector data = (Float4Vector) v.getDataVector();
    int floats = count * dim;
    // One bulk copy instead of a bounds-checked set per float; capacity was allocated up front.
    data.getDataBuffer()
        .nioBuffer(0, floats * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .put(values, from * dim, floats);
    data.getValidityBuffer().setOne(0L, validityBytes(floats));
    v.getValidityBuffer().setOne(0L, validityBytes(count));
    // A NULL vector keeps its NaN floats in the data buffer, so a mapped read sees the mark too.
    for (int i = 0; i < count; i++) {
      if (NullVectors.isNull(values, from + i, dim)) {
        BitVectorHelper.unsetBit(v.getValidityBuffer(), i);
      }
    }
  }

  /** Reads every row of a vector column into {@code out}, starting at row {@code at}. */
  static void readVectors(FixedSizeListVector v, float[] out, int dim, int at) {
    int floats = v.getValueCount() * dim;
    Float4Vector data = (Float4Vector) v.getDataVector();
    data.getDataBuffer()
        .nioBuffer(0, floats * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(out, at * dim, floats);
    for (int i = 0; i < v.getValueCount(); i++) {
      if (v.isNull(i)) {
        NullVectors.set(out, at + i, dim);
      }
    }
  }

  static void writeLongs(BigIntVector v, long[] values, int from, int count) {
    for (int i = 0; i < count; i++) {
      v.setSafe(i, values[from + i]);
    }
  }

  /** Reads a non-null long column; returns false if it holds a null. */
  static boolean readLongs(BigIntVector v, long[] out, int at) {
    int n = v.getValueCount();
    for (int i = 0; i < n; i++) {
      if (v.isNull(i)) {
        return false;
      }
      out[at + i] = v.get(i);
    }
    return true;
  }

  private static long validityBytes(int count) {
    return (count + 7L) / 8;
  }

  private static <T> T cast(Object value, Class<T> type, String column, int row) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "column "
              + column
              + " row "
              + row
              + " must be a "
              + type.getSimpleName()
              + ", got "
              + value.getClass().getSimpleName()
              + " "
              + value);
    }
    return type.cast(value);
  }
}
