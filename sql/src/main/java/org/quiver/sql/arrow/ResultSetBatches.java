package org.quiver.sql.arrow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;

/**
 * A JDBC result as Arrow record batches, one batch of at most {@link #BATCH_BYTES} (estimated) at
 * a time: what Flight SQL streams to its clients and what COPY writes to Parquet.
 */
public final class ResultSetBatches {
  /** About this many bytes of column data per record batch. */
  static final int BATCH_BYTES = 4 << 20;
  static final int MAX_BATCH_ROWS = 65_536;
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
  private static final long DAY_MS = 86_400_000L;

  private ResultSetBatches() {}

  /** Rows per batch for this schema: about {@link #BATCH_BYTES} of data, at least 64 rows. */
  public static int batchRows(Schema schema) {
    long rowBytes = 0;
    for (Field f : schema.getFields()) {
      rowBytes += f.getType() instanceof ArrowType.FixedSizeList l ? 4L * l.getListSize()
          : f.getType() instanceof ArrowType.FixedSizeBinary b ? b.getByteWidth()
          : f.getType() instanceof ArrowType.List ? 256
          : f.getType() instanceof ArrowType.Utf8 ? 32 : 8;
    }
    return (int) Math.max(64, Math.min(MAX_BATCH_ROWS, BATCH_BYTES / Math.max(1, rowBytes)));
  }

  /**
   * Fills {@code root} with up to {@code limit} rows, starting at the current row of {@code rs}
   * ({@code more[0]} true: it is on a row); on return {@code more[0]} tells whether rows remain.
   */
  public static int fill(VectorSchemaRoot root, ResultSet result, int limit, boolean[] more)
      throws SQLException {
    // The driver's result set is a proxy that copies each vector it hands an application; the
    // batch copies the floats itself, so it reads the engine's values from the one underneath,
    // without the reflective call per value.
    ResultSet rs = result.isWrapperFor(ResultSet.class) ? result.unwrap(ResultSet.class) : result;
    root.allocateNew();
    List<FieldVector> vectors = root.getFieldVectors();
    int n = 0;
    while (more[0] && n < limit) {
      for (int c = 0; c < vectors.size(); c++) {
        write(vectors.get(c), n, rs, c + 1);
      }
      n++;
      more[0] = rs.next();
    }
    for (FieldVector v : vectors) {
      v.setValueCount(n);
    }
    root.setRowCount(n);
    return n;
  }

  private static void write(FieldVector vector, int row, ResultSet rs, int column)
      throws SQLException {
    switch (vector) {
      case BitVector v -> {
        boolean b = rs.getBoolean(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, b ? 1 : 0);
        }
      }
      case TinyIntVector v -> {
        byte b = rs.getByte(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, b);
        }
      }
      case SmallIntVector v -> {
        short s = rs.getShort(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, s);
        }
      }
      case IntVector v -> {
        int i = rs.getInt(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, i);
        }
      }
      case BigIntVector v -> {
        long l = rs.getLong(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, l);
        }
      }
      case Float4Vector v -> {
        float f = rs.getFloat(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, f);
        }
      }
      case Float8Vector v -> {
        double d = rs.getDouble(column);
        if (rs.wasNull()) {
          v.setNull(row);
        } else {
          v.setSafe(row, d);
        }
      }
      case DecimalVector v -> {
        BigDecimal d = rs.getBigDecimal(column);
        if (d == null) {
          v.setNull(row);
        } else {
          v.setSafe(row, d.setScale(v.getScale(), RoundingMode.HALF_UP));
        }
      }
      case TimeStampMilliVector v -> {
        java.sql.Timestamp t = rs.getTimestamp(column, UTC);
        if (t == null) {
          v.setNull(row);
        } else {
          v.setSafe(row, t.getTime());
        }
      }
      case DateDayVector v -> {
        java.sql.Date d = rs.getDate(column, UTC);
        if (d == null) {
          v.setNull(row);
        } else {
          v.setSafe(row, (int) Math.floorDiv(d.getTime(), DAY_MS));
        }
      }
      case TimeMilliVector v -> {
        java.sql.Time t = rs.getTime(column, UTC);
        if (t == null) {
          v.setNull(row);
        } else {
          v.setSafe(row, (int) Math.floorMod(t.getTime(), DAY_MS));
        }
      }
      case VarBinaryVector v -> {
        byte[] b = rs.getBytes(column);
        if (b == null) {
          v.setNull(row);
        } else {
          v.setSafe(row, b);
        }
      }
      case FixedSizeListVector v -> writeVector(v, row, rs.getObject(column), column);
      case ListVector v when v.getDataVector() instanceof StructVector ->
          writeSparse(v, row, rs.getObject(column), column);
      case ListVector v -> writeVector(v, row, rs.getObject(column));
      case FixedSizeBinaryVector v -> writeBits(v, row, rs.getObject(column), column);
      case VarCharVector v -> {
        String s = rs.getString(column);
        if (s == null) {
          v.setNull(row);
        } else {
          v.setSafe(row, s.getBytes(StandardCharsets.UTF_8));
        }
      }
      default -> throw new SQLException("no Arrow writer for " + vector.getField(), "XX000");
    }
  }

  /** One vector as a variable-length list of Float4 (see {@link ArrowTypes#forParquet}). */
  private static void writeVector(ListVector v, int row, Object value) {
    if (value == null) {
      v.setNull(row);
      return;
    }
    float[] f = value instanceof VectorValue vector ? vector.elements() : (float[]) value;
    int start = v.startNewValue(row);
    Float4Vector data = (Float4Vector) v.getDataVector();
    for (int i = 0; i < f.length; i++) {
      data.setSafe(start + i, f[i]);
    }
    v.endValue(row, f.length);
  }

  /**
   * Writes one sparse vector as a list of (index from 0, value) structs: the engine's {@link
   * SparseVectorValue}, or one read from its text (a connection that hands out text).
   */
  private static void writeSparse(ListVector v, int row, Object value, int column)
      throws SQLException {
    if (value == null) {
      v.setNull(row);
      return;
    }
    SparseVectorValue sparse;
    try {
      sparse = value instanceof SparseVectorValue s ? s : SparseVectorValue.parse(value.toString());
    } catch (SparseVectorValue.Invalid e) {
      throw new SQLException("column " + column + ": " + e.getMessage(), e.sqlState(), e);
    }
    StructVector elements = (StructVector) v.getDataVector();
    IntVector indices = (IntVector) elements.getChildByOrdinal(0);
    Float4Vector values = (Float4Vector) elements.getChildByOrdinal(1);
    int start = v.startNewValue(row);
    for (int i = 0; i < sparse.nonZeros(); i++) {
      indices.setSafe(start + i, sparse.indexAt(i));
      values.setSafe(start + i, sparse.valueAt(i));
      elements.setIndexDefined(start + i);
    }
    v.endValue(row, sparse.nonZeros());
  }

  /**
   * Writes one bit string's packed bytes: the engine's {@link BitValue}, or one read from its text
   * (a connection that hands out text).
   */
  private static void writeBits(FixedSizeBinaryVector v, int row, Object value, int column)
      throws SQLException {
    if (value == null) {
      v.setNull(row);
      return;
    }
    BitValue bits;
    try {
      bits = value instanceof BitValue b ? b : BitValue.parse(value.toString());
    } catch (IllegalArgumentException e) {
      throw new SQLException(e.getMessage(), "22P02", e);
    }
    if (bits.bytes().length != v.getByteWidth()) {
      throw new SQLException("column " + column + " holds a bit string of " + bits.length()
          + " bits, which does not fit " + v.getByteWidth() + " bytes", "22026");
    }
    v.setSafe(row, bits.bytes());
  }

  /**
   * Copies the floats of one vector, the engine's value (a connection of Quiver's driver hands out
   * a copy as {@code float[]}), into the list's Float4 data in one block, or a halfvec's into its
   * Float2 data element by element.
   */
  private static void writeVector(FixedSizeListVector v, int row, Object value, int column)
      throws SQLException {
    if (value == null) {
      v.setNull(row);
      return;
    }
    float[] f = value instanceof VectorValue vector ? vector.elements() : (float[]) value;
    int dimension = v.getListSize();
    if (f.length != dimension) {
      throw new SQLException("column " + column + " holds a vector of " + f.length
          + " dimensions, expected " + dimension, "22000");
    }
    int start = v.startNewValue(row);
    if (v.getDataVector() instanceof Float2Vector halves) {
      for (int i = 0; i < dimension; i++) {
        halves.setSafe(start + i, Float.floatToFloat16(f[i]));
      }
      return;
    }
    Float4Vector data = (Float4Vector) v.getDataVector();
    while (data.getValueCapacity() < start + dimension) {
      data.reAlloc();
    }
    data.getDataBuffer().nioBuffer((long) start * Float.BYTES, dimension * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(f);
    ArrowBuf validity = data.getValidityBuffer();
    for (int i = start; i < start + dimension; i++) {
      BitVectorHelper.setBit(validity, i);
    }
  }
}
