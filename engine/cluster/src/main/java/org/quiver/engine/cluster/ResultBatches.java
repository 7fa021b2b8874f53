package org.quiver.engine.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.column.ArrowColumns;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.FloatVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * {@link ResultRows} as Arrow record batches, the form rows take from a query node to its caller:
 * one column per output field, of the Arrow type segment files give the field's type ({@link
 * ArrowColumns}, so values are copied in bulk and never boxed), then, for a search, the
 * distances as a float64 column, which the schema's metadata announces, and last each row's
 * source ({@link ResultRows#sources}) as an int64 column, announced too. Columns are read by
 * position, so an output field may be named twice; every column is nullable on the wire (the node
 * already kept NOT NULL).
 */
public final class ResultBatches {
  /** Schema metadata key saying the last column holds the distances: {@value}. */
  static final String DISTANCES_KEY = "quiver.distances";
  private static final String DISTANCE_COLUMN = "_distance";
  /** Schema metadata key saying the last column holds each row's source: {@value}. */
  static final String SOURCES_KEY = "quiver.sources";
  private static final String SOURCE_COLUMN = "_source";
  /** A column's metadata key for its {@link DataType} in a {@link #describedSchema}: {@value}. */
  static final String TYPE_KEY = "quiver.type";
  /** A column's metadata key for its dimension in a {@link #describedSchema}: {@value}. */
  static final String DIMENSION_KEY = "quiver.dimension";

  private ResultBatches() {}

  /**
   * The batches' schema for rows of {@code fields} of a table of {@code schema}, with a distance
   * column when {@code distances}; 42703 naming a field the table does not have.
   */
  public static Schema schema(CollectionSchema schema, List<String> fields, boolean distances) {
    List<Field> arrow = new ArrayList<>(fields.size() + 2);
    for (String name : fields) {
      FieldSchema f = field(schema, name);
      arrow.add(ArrowColumns.field(name, f.type(), f.dimension(), true, null));
    }
    return withTrailers(arrow, distances);
  }

  /**
   * The batches' schema for rows whose columns are {@code fields}, each column saying its type
   * and dimension in its own metadata, so that the reader needs no table to type them ({@link
   * #read(VectorSchemaRoot)}): the form of an engine's answers to a proxy, which may read a table
   * by an alias or a past version of it.
   */
  public static Schema describedSchema(List<FieldSchema> fields, boolean distances) {
    List<Field> arrow = new ArrayList<>(fields.size() + 2);
    for (FieldSchema f : fields) {
      arrow.add(ArrowColumns.field(f.name(), f.type(), f.dimension(), true, Map.of(
          TYPE_KEY, f.type().name(), DIMENSION_KEY, Integer.toString(f.dimension()))));
    }
    return withTrailers(arrow, distances);
  }

  /** The fields of {@code rows}' columns, typed by the columns themselves. */
  public static List<FieldSchema> fieldsOf(ResultRows rows) {
    List<FieldSchema> fields = new ArrayList<>(rows.fields().size());
    for (int c = 0; c < rows.fields().size(); c++) {
      Column column = rows.columns().get(c);
      int dimension = switch (column) {
        case FloatVectorColumn v -> v.dimension();
        case BinaryVectorColumn b -> b.bits();
        case SparseVectorColumn s -> s.dimension();
        default -> 0;
      };
      fields.add(new FieldSchema(c, rows.fields().get(c), column.type(), dimension, true, false));
    }
    return fields;
  }

  /** The distance and source columns after {@code arrow}, announced in the schema's metadata. */
  private static Schema withTrailers(List<Field> arrow, boolean distances) {
    if (distances) {
      arrow.add(new Field(DISTANCE_COLUMN, FieldType.notNullable(
          new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null));
    }
    arrow.add(new Field(SOURCE_COLUMN, FieldType.notNullable(new ArrowType.Int(64, true)), null));
    return new Schema(arrow, Map.of(DISTANCES_KEY, Boolean.toString(distances), SOURCES_KEY,
        "true"));
  }

  /** A root of {@link #schema}, empty; the caller closes it. */
  public static VectorSchemaRoot root(BufferAllocator allocator, CollectionSchema schema,
      List<String> fields, boolean distances) {
    return VectorSchemaRoot.create(schema(schema, fields, distances), allocator);
  }

  /**
   * Puts {@code rows} into {@code root} (made by {@link #root} for its fields), replacing what it
   * held, ready to be sent.
   */
  public static void write(ResultRows rows, VectorSchemaRoot root) {
    boolean distances = hasDistances(root.getSchema());
    boolean sources = hasSources(root.getSchema());
    int columns = rows.columns().size();
    if (root.getFieldVectors().size() != columns + (distances ? 1 : 0) + (sources ? 1 : 0)) {
      throw new IllegalArgumentException(columns + " columns for a batch of "
          + root.getSchema().getFields());
    }
    int n = rows.rowCount();
    for (int c = 0; c < columns; c++) {
      FieldVector v = root.getVector(c);
      ArrowColumns.allocate(v, n);
      ArrowColumns.write(rows.columns().get(c), 0, n, v);
    }
    if (distances) {
      Float8Vector out = (Float8Vector) root.getVector(columns);
      ArrowColumns.allocate(out, n);
      double[] d = rows.distances();
      for (int r = 0; r < n; r++) {
        // A search whose node gave no distances (none of its rows) still has a distance column.
        out.set(r, d == null ? Double.NaN : d[r]);
      }
      out.setValueCount(n);
    }
    if (sources) {
      BigIntVector out = (BigIntVector) root.getVector(columns + (distances ? 1 : 0));
      ArrowColumns.allocate(out, n);
      long[] from = rows.sources();
      for (int r = 0; r < n; r++) {
        out.set(r, from == null ? 0 : from[r]);
      }
      out.setValueCount(n);
    }
    root.setRowCount(n);
  }

  /**
   * The rows of a batch {@link #write} filled, typed by the table's {@code schema}: heap columns,
   * copies of the batch's buffers, so the batch may be let go at once.
   */
  public static ResultRows read(VectorSchemaRoot root, CollectionSchema schema) {
    return read(root, v -> field(schema, v.getName()));
  }

  /** The rows of a batch of a {@link #describedSchema}, typed by its columns' metadata. */
  public static ResultRows read(VectorSchemaRoot root) {
    return read(root, v -> {
      Map<String, String> about = v.getField().getMetadata();
      if (!about.containsKey(TYPE_KEY) || !about.containsKey(DIMENSION_KEY)) {
        throw QuiverException.of(ErrorCode.INTERNAL_ERROR,
            "column \"%s\" came without its type", v.getName());
      }
      return new FieldSchema(0, v.getName(), DataType.valueOf(about.get(TYPE_KEY)),
          Integer.parseInt(about.get(DIMENSION_KEY)), true, false);
    });
  }

  private static ResultRows read(VectorSchemaRoot root, Function<FieldVector, FieldSchema> typed) {
    boolean distances = hasDistances(root.getSchema());
    boolean sources = hasSources(root.getSchema());
    List<FieldVector> vectors = root.getFieldVectors();
    int columns = vectors.size() - (distances ? 1 : 0) - (sources ? 1 : 0);
    List<String> names = new ArrayList<>(columns);
    List<Column> values = new ArrayList<>(columns);
    for (int c = 0; c < columns; c++) {
      FieldVector v = vectors.get(c);
      FieldSchema f = typed.apply(v);
      if (!ArrowColumns.matches(v.getField(), f.type(), f.dimension())) {
        throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
            "column \"%s\" came from the query node as %s where the table holds %s(%d)",
            v.getName(), v.getField().getType(), f.type(), f.dimension());
      }
      names.add(v.getName());
      values.add(ArrowColumns.read(v, f));
    }
    double[] d = null;
    if (distances) {
      Float8Vector in = (Float8Vector) vectors.get(columns);
      d = new double[root.getRowCount()];
      for (int r = 0; r < d.length; r++) {
        d[r] = in.get(r);
      }
    }
    long[] from = null;
    if (sources) {
      BigIntVector in = (BigIntVector) vectors.get(columns + (distances ? 1 : 0));
      from = new long[root.getRowCount()];
      for (int r = 0; r < from.length; r++) {
        from[r] = in.get(r);
      }
    }
    return new ResultRows(names, values, root.getRowCount(), d, from);
  }

  static boolean hasDistances(Schema schema) {
    return Boolean.parseBoolean(schema.getCustomMetadata().get(DISTANCES_KEY));
  }

  static boolean hasSources(Schema schema) {
    return Boolean.parseBoolean(schema.getCustomMetadata().get(SOURCES_KEY));
  }

  private static FieldSchema field(CollectionSchema schema, String name) {
    return schema.field(name).orElseThrow(() -> QuiverException.of(ErrorCode.UNDEFINED_COLUMN,
        "column \"%s\" does not exist in the table", name));
  }
}
