package org.quiver.sql.arrow;

import java.nio.ByteOrder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.util.Text;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.column.ArrowColumns;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.column.HeapVectorColumn;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.NullVectors;

/**
 * Arrow record batches as the engine's column batches: Arrow columns are matched to table
 * columns by name (exactly, else ignoring case); a table column missing from the batch is NULL.
 * Values are checked as INSERT checks them (types, ranges, lengths, dimensions); a vector column
 * ({@code FixedSizeList<Float4>(n)}, or a list of floats or doubles) and a column in the table
 * column's own Arrow type ({@link ArrowColumns#arrowType}) are copied in bulk, without boxing.
 */
public final class ArrowBatches {
  private ArrowBatches() {}

  /**
   * Converts one batch for {@code table}.
   *
   * @param firstRow the number of the batch's first row in the whole load, for messages
   */
  public static ColumnBatch toColumns(String table, CollectionSchema schema, VectorSchemaRoot root,
      long firstRow) {
    List<FieldVector> used = new ArrayList<>();
    List<Column> columns = new ArrayList<>(schema.size());
    int rows = root.getRowCount();
    for (FieldSchema f : schema.fields()) {
      FieldVector v = find(root, f.name());
      if (v != null) {
        used.add(v);
      }
      columns.add(f.isVector()
          ? new HeapVectorColumn(f.type(), f.dimension(), vectors(f, v, rows, firstRow))
          : scalars(f, v, rows, firstRow));
    }
    for (FieldVector v : root.getFieldVectors()) {
      if (!used.contains(v)) {
        throw QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
            "column \"%s\" of the data does not exist in table \"%s\"", v.getName(), table);
      }
    }
    return new ColumnBatch(schema, rows, columns);
  }

  private static FieldVector find(VectorSchemaRoot root, String name) {
    FieldVector exact = root.getVector(name);
    if (exact != null) {
      return exact;
    }
    for (FieldVector v : root.getFieldVectors()) {
      if (v.getName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    return null;
  }

  private static Column scalars(FieldSchema f, FieldVector v, int rows, long firstRow) {
    boolean bits = f.type() == DataType.BINARY_VECTOR;
    boolean dimensioned = bits || f.type() == DataType.SPARSE_FLOAT_VECTOR;
    if (v != null && ArrowColumns.matches(v.getField(), f.type(), dimensioned ? f.dimension() : 0)
        && !(f.type() == DataType.VARCHAR && f.dimension() > 0)) {
      // The column's own Arrow type: copied in bulk, with nothing to convert or check (but the
      // unused bits of a bit string, which must be zero, and a sparse vector's indices, which
      // must ascend within its dimension).
      try {
        return ArrowColumns.read(v, f);
      } catch (IllegalArgumentException e) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "%s in the data for column \"%s\" %s",
            e.getMessage(), f.name(), SqlTypes.displayName(f));
      }
    }
    // NOT NULL is checked where every write is (the proxy's RowChecks), as for INSERT.
    ColumnBuilder values = ColumnBuilder.deferringNotNull(f, rows);
    for (int r = 0; v == null && r < rows; r++) {
      values.appendNull();
    }
    for (int r = 0; v != null && r < rows; r++) {
      Object value = v.getObject(r);
      if (value instanceof Text t) {
        value = t.toString();
      } else if (value instanceof LocalDateTime t) {
        value = t.toInstant(ZoneOffset.UTC).toEpochMilli();
      } else if (value instanceof byte[] && !bits) {
        throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
            "binary data cannot go into column \"%s\" %s", f.name(), SqlTypes.displayName(f));
      }
      values.append(
          SqlTypes.toEngine(f, value, (int) Math.min(Integer.MAX_VALUE, firstRow + r)));
    }
    return values.build();
  }

  private static float[] vectors(FieldSchema f, FieldVector v, int rows, long firstRow) {
    int dimension = f.dimension();
    float[] flat = new float[rows * dimension];
    // A column the data lacks is NULL, like a NULL value; NOT NULL is checked where every write
    // is (the proxy's RowChecks).
    if (v == null) {
      for (int r = 0; r < rows; r++) {
        NullVectors.set(flat, r, dimension);
      }
      return flat;
    }
    if (v instanceof FixedSizeListVector list) {
      if (list.getListSize() != dimension) {
        throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
            "expected %d dimensions, not %d, for column \"%s\" %s", dimension,
            list.getListSize(), f.name(), SqlTypes.displayName(f));
      }
      if (v.getNullCount() == 0) {
        copy(f, list.getDataVector(), 0, flat, rows * dimension, firstRow);
        return flat;
      }
      float[] one = new float[dimension];
      for (int r = 0; r < rows; r++) {
        if (v.isNull(r)) {
          NullVectors.set(flat, r, dimension);
        } else {
          copy(f, list.getDataVector(), r * dimension, one, dimension, firstRow + r);
          System.arraycopy(one, 0, flat, r * dimension, dimension);
        }
      }
      return flat;
    }
    if (v instanceof ListVector list) {
      for (int r = 0; r < rows; r++) {
        if (v.isNull(r)) {
          NullVectors.set(flat, r, dimension);
          continue;
        }
        int start = list.getElementStartIndex(r);
        int length = list.getElementEndIndex(r) - start;
        if (length != dimension) {
          throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
              "expected %d dimensions, not %d, for column \"%s\" %s (row %d)",
              dimension, length, f.name(), SqlTypes.displayName(f), firstRow + r);
        }
        float[] one = new float[dimension];
        copy(f, list.getDataVector(), start, one, dimension, firstRow + r);
        System.arraycopy(one, 0, flat, r * dimension, dimension);
      }
      return flat;
    }
    for (int r = 0; r < rows; r++) {
      Object value = v.getObject(r);
      float[] one = (float[]) SqlTypes.toEngine(f,
          value instanceof Text t ? t.toString() : value, (int) (firstRow + r));
      if (one == null) {
        NullVectors.set(flat, r, dimension);
      } else {
        System.arraycopy(one, 0, flat, r * dimension, dimension);
      }
    }
    return flat;
  }

  /**
   * Copies {@code count} elements from {@code start} of a float or double vector, refusing a NaN
   * as every way in does; {@code firstRow} is the number of the first row they belong to.
   */
  private static void copy(FieldSchema f, FieldVector data, int start, float[] to, int count,
      long firstRow) {
    if (data.getNullCount() > 0) {
      for (int i = start; i < start + count; i++) {
        if (data.isNull(i)) {
          throw QuiverException.of(ErrorCode.NOT_NULL_VIOLATION,
              "null element in a vector of column \"%s\"", f.name());
        }
      }
    }
    if (data instanceof Float4Vector floats) {
      ArrowBuf buf = floats.getDataBuffer();
      buf.nioBuffer((long) start * Float.BYTES, count * Float.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(to, 0, count);
    } else if (data instanceof Float8Vector doubles) {
      for (int i = 0; i < count; i++) {
        to[i] = (float) doubles.get(start + i);
      }
    } else if (data instanceof Float2Vector halves) {
      for (int i = 0; i < count; i++) {
        to[i] = Float.float16ToFloat(halves.get(start + i));
      }
    } else {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "vector column \"%s\" needs float elements, the data has %s", f.name(),
          data.getField().getType());
    }
    for (int i = 0; i < count; i++) {
      if (Float.isNaN(to[i])) {
        throw SqlTypes.nanInVector(f, i % f.dimension(), firstRow + i / f.dimension());
      }
    }
    if (f.type() == DataType.FLOAT16_VECTOR) {
      for (int i = 0; i < count; i++) {
        to[i] = HalfFloats.round(to[i]);
        if (Float.isInfinite(to[i])) {
          throw QuiverException.of(ErrorCode.NUMERIC_OUT_OF_RANGE,
              "element %d of a vector for column \"%s\" %s is out of range for float16 "
                  + "(row %d)", i % f.dimension() + 1, f.name(), SqlTypes.displayName(f),
              firstRow + i / f.dimension());
        }
      }
    }
  }
}
