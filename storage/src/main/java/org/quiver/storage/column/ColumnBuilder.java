package org.quiver.storage.column;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.NullVectors;
import org.quiver.storage.vector.SparseVector;

/**
 * Builds the {@link Column} of one field row by row from values in the boxed Java type its
 * {@link org.quiver.storage.schema.DataType} names ({@code float[]} for a vector, {@code byte[]}
 * for a bit string, a {@link SparseVector} for a sparse vector), checking each value's type, a
 * vector's or bit string's length and NULL in a NOT NULL column; a failure is an
 * {@link IllegalArgumentException} naming the column and the row. Also concatenates columns.
 *
 * <p>The elements of a FLOAT16_VECTOR column are rounded to float16 as they enter, by value or by
 * column, so that the column holds what its files and log messages (float16) give back.
 *
 * <p>Not thread-safe; {@link #build} may be called once.
 */
public final class ColumnBuilder {
  private static final int MIN_CAPACITY = 16;

  private final FieldSchema field;
  /** Whether NULL is refused: the field's own NOT NULL, unless a later check takes it over. */
  private final boolean refuseNull;
  private final BitSet nulls = new BitSet();
  private int size;
  /** The growing primitive (or String) array of the field's layout. */
  private Object values;
  /** The rows {@link #values} has room for. */
  private int capacity;
  private boolean built;

  /** A builder for {@code field} with room for {@code expectedRows} before it grows. */
  public ColumnBuilder(FieldSchema field, int expectedRows) {
    this(field, expectedRows, !field.nullable());
  }

  private ColumnBuilder(FieldSchema field, int expectedRows, boolean refuseNull) {
    this.field = field;
    this.refuseNull = refuseNull;
    int rows = Math.max(expectedRows, MIN_CAPACITY);
    this.capacity = rows;
    this.values = switch (field.type()) {
      case BOOL -> new boolean[rows];
      case INT8 -> new byte[rows];
      case INT16 -> new short[rows];
      case INT32 -> new int[rows];
      case INT64, TIMESTAMP -> new long[rows];
      case FLOAT -> new float[rows];
      case DOUBLE -> new double[rows];
      case VARCHAR -> new String[rows];
      case FLOAT_VECTOR, FLOAT16_VECTOR -> new float[rows * field.dimension()];
      case BINARY_VECTOR -> new byte[rows * DataType.bitBytes(field.dimension())];
      case SPARSE_FLOAT_VECTOR -> new SparseVector[rows];
    };
  }

  /** A heap column of {@code field} holding the rows of {@code parts}, one part after another. */
  public static Column concat(FieldSchema field, List<? extends Column> parts) {
    ColumnBuilder builder =
        new ColumnBuilder(field, parts.stream().mapToInt(Column::size).sum());
    parts.forEach(builder::appendColumn);
    return builder.build();
  }

  /**
   * A builder that takes NULL even where {@code field} is NOT NULL, for a writer whose rows meet
   * a later NOT NULL check with an error of its own (the engine's checks before the log), or
   * whose engine assigns the missing keys.
   */
  public static ColumnBuilder deferringNotNull(FieldSchema field, int expectedRows) {
    return new ColumnBuilder(field, expectedRows, false);
  }

  /** The column of {@code field} holding {@code values}, each as {@link #append} takes it. */
  public static Column of(FieldSchema field, Object... values) {
    ColumnBuilder builder = new ColumnBuilder(field, values.length);
    for (Object value : values) {
      builder.append(value);
    }
    return builder.build();
  }

  public FieldSchema field() {
    return field;
  }

  /** The number of rows appended so far. */
  public int size() {
    return size;
  }

  /**
   * Appends {@code value}: null for NULL, else the boxed type the field's DataType names, a
   * {@code float[]} of the field's dimension for a vector, or for a bit string a {@code byte[]} of
   * {@code ceil(n / 8)} bytes whose bits past its length are zero.
   */
  public ColumnBuilder append(Object value) {
    if (value == null) {
      return appendNull();
    }
    ensureRoom(1);
    switch (field.type()) {
      case BOOL -> ((boolean[]) values)[size] = cast(value, Boolean.class);
      case INT8 -> ((byte[]) values)[size] = cast(value, Byte.class);
      case INT16 -> ((short[]) values)[size] = cast(value, Short.class);
      case INT32 -> ((int[]) values)[size] = cast(value, Integer.class);
      case INT64, TIMESTAMP -> ((long[]) values)[size] = cast(value, Long.class);
      case FLOAT -> ((float[]) values)[size] = cast(value, Float.class);
      case DOUBLE -> ((double[]) values)[size] = cast(value, Double.class);
      case VARCHAR -> ((String[]) values)[size] = cast(value, String.class);
      case FLOAT_VECTOR, FLOAT16_VECTOR -> {
        float[] vector = cast(value, float[].class);
        if (vector.length != field.dimension()) {
          throw new IllegalArgumentException("column " + field.name() + " row " + size
              + " must be a vector of " + field.dimension() + " floats, got " + vector.length);
        }
        System.arraycopy(vector, 0, values, size * field.dimension(), vector.length);
        roundHalves(size, 1);
      }
      case BINARY_VECTOR -> {
        byte[] bits = cast(value, byte[].class);
        int bytes = DataType.bitBytes(field.dimension());
        if (bits.length != bytes
            || (bits[bytes - 1] & BinaryVectorColumn.padMask(field.dimension())) != 0) {
          throw new IllegalArgumentException("column " + field.name() + " row " + size
              + " must be a bit string of " + field.dimension() + " bits in " + bytes
              + " bytes, got " + bits.length + " bytes"
              + (bits.length == bytes ? " with bits set past its length" : ""));
        }
        System.arraycopy(bits, 0, values, size * bytes, bytes);
      }
      case SPARSE_FLOAT_VECTOR -> {
        SparseVector vector = cast(value, SparseVector.class);
        if (vector.dimension() != field.dimension()) {
          throw new IllegalArgumentException("column " + field.name() + " row " + size
              + " must be a sparse vector of " + field.dimension() + " dimensions, got "
              + vector.dimension());
        }
        ((SparseVector[]) values)[size] = vector;
      }
    }
    size++;
    return this;
  }

  /** Appends NULL; fails if the field is NOT NULL (unless {@link #deferringNotNull}). */
  public ColumnBuilder appendNull() {
    if (refuseNull) {
      throw new IllegalArgumentException(
          "column " + field.name() + " is not nullable but row " + size + " is null");
    }
    ensureRoom(1);
    if (field.isVector()) {
      NullVectors.set((float[]) values, size, field.dimension());
    } else {
      nulls.set(size);
    }
    size++;
    return this;
  }

  /** Appends every row of {@code part}, a column of the field's type, in bulk. */
  public ColumnBuilder appendColumn(Column part) {
    if (part.type() != field.type()) {
      throw new IllegalArgumentException("column " + field.name() + " holds " + field.type()
          + ", cannot append a column of " + part.type());
    }
    int n = part.size();
    if (refuseNull && part.hasNulls()) {
      int row = 0;
      while (!part.isNull(row)) {
        row++;
      }
      throw new IllegalArgumentException(
          "column " + field.name() + " is not nullable but row " + (size + row) + " is null");
    }
    ensureRoom(n);
    switch (part) {
      case FloatVectorColumn v -> {
        if (v.dimension() != field.dimension()) {
          throw new IllegalArgumentException("column " + field.name() + " holds vectors of "
              + field.dimension() + " floats, cannot append vectors of " + v.dimension());
        }
        if (v instanceof HeapVectorColumn heap) {
          System.arraycopy(heap.flat(), 0, values, size * v.dimension(), n * v.dimension());
        } else {
          for (int r = 0; r < n; r++) {
            v.copyRow(r, (float[]) values, (size + r) * v.dimension());
          }
        }
        roundHalves(size, n);
      }
      case BinaryVectorColumn b -> {
        if (b.bits() != field.dimension()) {
          throw new IllegalArgumentException("column " + field.name() + " holds bit strings of "
              + field.dimension() + " bits, cannot append bit strings of " + b.bits());
        }
        System.arraycopy(b.flat(), 0, values, size * b.bytesPerRow(), n * b.bytesPerRow());
        BitSet partNulls = b.nullBitmap();
        for (int r = partNulls.nextSetBit(0); r >= 0; r = partNulls.nextSetBit(r + 1)) {
          nulls.set(size + r);
        }
      }
      case NullableColumn scalar -> {
        System.arraycopy(backing(scalar), 0, values, size, n);
        BitSet partNulls = scalar.nullBitmap();
        for (int r = partNulls.nextSetBit(0); r >= 0; r = partNulls.nextSetBit(r + 1)) {
          nulls.set(size + r);
        }
      }
      default -> {
        for (int r = 0; r < n; r++) {
          append(part.get(r));
        }
        return this;
      }
    }
    size += n;
    return this;
  }

  /** The column of the rows appended. */
  public Column build() {
    if (built) {
      throw new IllegalStateException("column " + field.name() + " was already built");
    }
    built = true;
    int length = size * perRow();
    return switch (trimmed(length)) {
      case byte[] a when field.type() == DataType.BINARY_VECTOR ->
          new BinaryVectorColumn(field.dimension(), a, nulls);
      case SparseVector[] a -> SparseVectorColumn.of(field.dimension(), a, size);
      case boolean[] a -> new BoolColumn(a, nulls);
      case byte[] a -> new Int8Column(a, nulls);
      case short[] a -> new Int16Column(a, nulls);
      case int[] a -> new Int32Column(a, nulls);
      case long[] a -> new Int64Column(field.type(), a, nulls);
      case float[] a when field.isVector() ->
          new HeapVectorColumn(field.type(), field.dimension(), a);
      case float[] a -> new FloatColumn(a, nulls);
      case double[] a -> new DoubleColumn(a, nulls);
      case String[] a -> new VarcharColumn(a);
      default -> throw new IllegalStateException("no layout " + values.getClass());
    };
  }

  /** The values array cut to {@code length} elements: itself when it is exactly that long. */
  private Object trimmed(int length) {
    return switch (values) {
      case boolean[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case byte[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case short[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case int[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case long[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case float[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case double[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case String[] a -> a.length == length ? a : Arrays.copyOf(a, length);
      case SparseVector[] a -> a;
      default -> throw new IllegalStateException("no layout " + values.getClass());
    };
  }

  /** Rounds the vectors of rows {@code [from, from + rows)} to float16, in a float16 column. */
  private void roundHalves(int from, int rows) {
    if (field.type() == DataType.FLOAT16_VECTOR) {
      int dim = field.dimension();
      HalfFloats.round((float[]) values, from * dim, (from + rows) * dim);
    }
  }

  private void ensureRoom(int rows) {
    if (size + rows > capacity) {
      int perRow = perRow();
      capacity = (int) Math.min(Integer.MAX_VALUE / perRow, Math.max(size + rows, 2L * capacity));
      if (size + rows > capacity) {
        throw new IllegalArgumentException(
            "column " + field.name() + " cannot hold " + (size + rows) + " rows");
      }
      int grown = capacity * perRow;
      values = switch (values) {
        case boolean[] a -> Arrays.copyOf(a, grown);
        case byte[] a -> Arrays.copyOf(a, grown);
        case short[] a -> Arrays.copyOf(a, grown);
        case int[] a -> Arrays.copyOf(a, grown);
        case long[] a -> Arrays.copyOf(a, grown);
        case float[] a -> Arrays.copyOf(a, grown);
        case double[] a -> Arrays.copyOf(a, grown);
        case String[] a -> Arrays.copyOf(a, grown);
        case SparseVector[] a -> Arrays.copyOf(a, grown);
        default -> throw new IllegalStateException("no layout " + values.getClass());
      };
    }
  }

  /** The array elements one row takes: a vector's floats, a bit string's bytes, else one. */
  private int perRow() {
    return field.isVector() ? field.dimension()
        : field.type() == DataType.BINARY_VECTOR ? DataType.bitBytes(field.dimension()) : 1;
  }

  private static Object backing(NullableColumn column) {
    return switch (column) {
      case BoolColumn c -> c.values();
      case Int8Column c -> c.values();
      case Int16Column c -> c.values();
      case Int32Column c -> c.values();
      case Int64Column c -> c.values();
      case FloatColumn c -> c.values();
      case DoubleColumn c -> c.values();
      case VarcharColumn c -> c.values();
    };
  }

  private <T> T cast(Object value, Class<T> type) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("column " + field.name() + " row " + size + " must be a "
          + type.getSimpleName() + ", got " + value.getClass().getSimpleName() + " " + value);
    }
    return type.cast(value);
  }
}
