package org.quiver.storage.column;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.NullVectors;

/**
 * The one conversion between typed {@link Column}s and Arrow vectors, used by segment files and by
 * Arrow ingest: each column layout maps onto one Arrow type and is copied in bulk where Arrow's
 * buffers allow it.
 */
public final class ArrowColumns {

  private static final ArrowType FLOAT4 =
      new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  private static final ArrowType FLOAT2 =
      new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private ArrowColumns() {}

  /**
   * The Arrow type that stores a column of {@code type}; vectors are FixedSizeList(dim), of
   * {@link #elementType} elements, bit strings of n bits FixedSizeBinary(ceil(n / 8)), sparse
   * vectors a List of {@link #sparseElement}.
   */
  public static ArrowType arrowType(DataType type, int dimension) {
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
      case FLOAT_VECTOR, FLOAT16_VECTOR -> new ArrowType.FixedSizeList(dimension);
      case BINARY_VECTOR -> new ArrowType.FixedSizeBinary(DataType.bitBytes(dimension));
      case SPARSE_FLOAT_VECTOR -> ArrowType.List.INSTANCE;
    };
  }

  /** The name of a sparse vector's element struct in its List: {@value}. */
  public static final String SPARSE_ELEMENT = "element";
  /** The name of a sparse vector element's index (int32, counted from 0): {@value}. */
  public static final String SPARSE_INDEX = "index";
  /** The name of a sparse vector element's value (float32): {@value}. */
  public static final String SPARSE_VALUE = "value";

  /**
   * The element of a sparse vector column's List: a non-null Struct of a non-null int32 {@code
   * index}, counted from 0, and a non-null float32 {@code value}.
   */
  public static Field sparseElement() {
    return new Field(SPARSE_ELEMENT, FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
        new Field(SPARSE_INDEX, FieldType.notNullable(new ArrowType.Int(32, true)), null),
        new Field(SPARSE_VALUE, FieldType.notNullable(FLOAT4), null)));
  }

  /** The Arrow type of a vector's elements: float32 (Float4) or, for float16, half (Float2). */
  private static ArrowType elementType(DataType type) {
    return type == DataType.FLOAT16_VECTOR ? FLOAT2 : FLOAT4;
  }

  public static Field field(
      String name, DataType type, int dimension, boolean nullable, Map<String, String> metadata) {
    FieldType fieldType = new FieldType(nullable, arrowType(type, dimension), null, metadata);
    List<Field> children =
        type.isVector()
            ? List.of(new Field("item", FieldType.notNullable(elementType(type)), null))
            : type == DataType.SPARSE_FLOAT_VECTOR ? List.of(sparseElement()) : null;
    return new Field(name, fieldType, children);
  }

  /** Whether a column read from a file has the layout this build expects for {@code type}. */
  public static boolean matches(Field file, DataType type, int dimension) {
    if (!file.getType().equals(arrowType(type, dimension))) {
      return false;
    }
    if (type == DataType.SPARSE_FLOAT_VECTOR) {
      return isSparseElement(file.getChildren());
    }
    return !type.isVector()
        || (file.getChildren().size() == 1
            && file.getChildren().get(0).getType().equals(elementType(type)));
  }

  /**
   * Whether {@code children}, those of a List, are a sparse vector's element: a Struct of an int32
   * and a float32, by position (a client's names may differ).
   */
  public static boolean isSparseElement(List<Field> children) {
    if (children.size() != 1 || !(children.get(0).getType() instanceof ArrowType.Struct)) {
      return false;
    }
    List<Field> parts = children.get(0).getChildren();
    return parts.size() == 2 && parts.get(0).getType().equals(new ArrowType.Int(32, true))
        && parts.get(1).getType().equals(FLOAT4);
  }

  /** Allocates room for {@code count} rows, dropping what the vector held. */
  public static void allocate(FieldVector v, int count) {
    v.setInitialCapacity(count);
    v.allocateNew();
  }

  /**
   * Writes rows {@code [from, from + count)} of {@code column} into rows 0..count-1 of {@code v},
   * which {@link #allocate} readied for {@code count} rows and whose type {@link #arrowType} gives
   * for the column's: fixed-width values and float32 vectors in one bulk copy each (float16
   * vectors encoded in one pass), NULL rows as unset validity bits (a NULL vector keeps its NaN
   * elements, so a mapped read sees the mark too). A
   * NULL where {@code v}'s field is not nullable fails naming the column and the row.
   */
  public static void write(Column column, int from, int count, FieldVector v) {
    Objects.checkFromIndexSize(from, count, column.size());
    if (!v.getField().isNullable()) {
      for (int r = from; r < from + count && column.hasNulls(); r++) {
        if (column.isNull(r)) {
          throw new IllegalArgumentException(
              "column " + v.getName() + " is not nullable but row " + r + " is null");
        }
      }
    }
    switch (column) {
      case FloatVectorColumn vectors -> writeVectors((FixedSizeListVector) v, vectors, from, count);
      case SparseVectorColumn c -> {
        writeSparse((ListVector) v, c, from, count);
        return;
      }
      case BinaryVectorColumn c -> v.getDataBuffer()
          .setBytes(0, c.flat(), from * c.bytesPerRow(), count * c.bytesPerRow());
      case BoolColumn c -> {
        BitVector out = (BitVector) v;
        for (int i = 0; i < count; i++) {
          out.set(i, c.getBoolean(from + i) ? 1 : 0);
        }
      }
      case Int8Column c -> v.getDataBuffer().setBytes(0, c.values(), from, count);
      case Int16Column c ->
          data(v, count * Short.BYTES).asShortBuffer().put(c.values(), from, count);
      case Int32Column c ->
          data(v, count * Integer.BYTES).asIntBuffer().put(c.values(), from, count);
      case Int64Column c ->
          data(v, count * Long.BYTES).asLongBuffer().put(c.values(), from, count);
      case FloatColumn c ->
          data(v, count * Float.BYTES).asFloatBuffer().put(c.values(), from, count);
      case DoubleColumn c ->
          data(v, count * Double.BYTES).asDoubleBuffer().put(c.values(), from, count);
      case VarcharColumn c -> {
        VarCharVector out = (VarCharVector) v;
        for (int i = 0; i < count; i++) {
          String text = c.values()[from + i];
          if (text != null) {
            out.setSafe(i, text.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
      default -> throw new IllegalArgumentException("no Arrow layout for " + column.getClass());
    }
    BitSet nulls = column instanceof NullableColumn scalar ? scalar.nullBitmap()
        : column instanceof BinaryVectorColumn c ? c.nullBitmap() : null;
    if (nulls != null) {
      ArrowBuf validity = v.getValidityBuffer();
      validity.setOne(0L, validityBytes(count));
      int end = from + count;
      for (int r = nulls.nextSetBit(from); r >= 0 && r < end; r = nulls.nextSetBit(r + 1)) {
        BitVectorHelper.unsetBit(validity, r - from);
      }
    }
    v.setValueCount(count);
  }

  /**
   * The rows of {@code v}, a vector of the Arrow type {@link #arrowType} gives for {@code field},
   * as a heap column: fixed-width values and vectors copied in bulk, no value boxed. A NULL in a
   * NOT NULL field is kept; the batch that holds the column refuses it.
   */
  public static Column read(FieldVector v, FieldSchema field) {
    int n = v.getValueCount();
    BitSet nulls = new BitSet();
    if (v.getNullCount() > 0) {
      for (int i = 0; i < n; i++) {
        if (v.isNull(i)) {
          nulls.set(i);
        }
      }
    }
    return switch (field.type()) {
      case BOOL -> {
        BitVector in = (BitVector) v;
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i++) {
          values[i] = !nulls.get(i) && in.get(i) != 0;
        }
        yield new BoolColumn(values, nulls);
      }
      case INT8 -> {
        byte[] values = new byte[n];
        v.getDataBuffer().getBytes(0, values);
        yield new Int8Column(values, nulls);
      }
      case INT16 -> {
        short[] values = new short[n];
        data(v, n * Short.BYTES).asShortBuffer().get(values);
        yield new Int16Column(values, nulls);
      }
      case INT32 -> {
        int[] values = new int[n];
        data(v, n * Integer.BYTES).asIntBuffer().get(values);
        yield new Int32Column(values, nulls);
      }
      case INT64, TIMESTAMP -> {
        long[] values = new long[n];
        data(v, n * Long.BYTES).asLongBuffer().get(values);
        yield new Int64Column(field.type(), values, nulls);
      }
      case FLOAT -> {
        float[] values = new float[n];
        data(v, n * Float.BYTES).asFloatBuffer().get(values);
        yield new FloatColumn(values, nulls);
      }
      case DOUBLE -> {
        double[] values = new double[n];
        data(v, n * Double.BYTES).asDoubleBuffer().get(values);
        yield new DoubleColumn(values, nulls);
      }
      case VARCHAR -> {
        VarCharVector in = (VarCharVector) v;
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
          values[i] = nulls.get(i) ? null : new String(in.get(i), StandardCharsets.UTF_8);
        }
        yield new VarcharColumn(values);
      }
      case FLOAT_VECTOR, FLOAT16_VECTOR -> readVectors((FixedSizeListVector) v, field, nulls);
      case BINARY_VECTOR -> {
        // A NULL row's bytes are whatever the writer left; the column keeps them zero.
        int bytes = DataType.bitBytes(field.dimension());
        byte[] values = new byte[n * bytes];
        v.getDataBuffer().getBytes(0, values);
        for (int r = nulls.nextSetBit(0); r >= 0; r = nulls.nextSetBit(r + 1)) {
          java.util.Arrays.fill(values, r * bytes, (r + 1) * bytes, (byte) 0);
        }
        yield new BinaryVectorColumn(field.dimension(), values, nulls);
      }
      case SPARSE_FLOAT_VECTOR -> readSparse((ListVector) v, field, nulls);
    };
  }

  /**
   * Writes the rows of a sparse vector column into a List of Struct(index, value): the elements
   * of all rows in one pass, each row's extent through the List's offsets.
   */
  private static void writeSparse(ListVector v, SparseVectorColumn column, int from, int count) {
    StructVector struct = (StructVector) v.getDataVector();
    IntVector indices = (IntVector) struct.getChildByOrdinal(0);
    Float4Vector values = (Float4Vector) struct.getChildByOrdinal(1);
    int[] offsets = column.offsets();
    int start = offsets[from];
    int n = offsets[from + count] - start;
    for (int i = 0; i < n; i++) {
      indices.setSafe(i, column.flatIndices()[start + i]);
      values.setSafe(i, column.flatValues()[start + i]);
      struct.setIndexDefined(i);
    }
    indices.setValueCount(n);
    values.setValueCount(n);
    for (int r = 0; r < count; r++) {
      if (column.isNull(from + r)) {
        v.setNull(r);
      } else {
        v.startNewValue(r);
        v.endValue(r, offsets[from + r + 1] - offsets[from + r]);
      }
    }
    v.setValueCount(count);
  }

  /**
   * The rows of a List of Struct(index int32, value float32) as a sparse vector column of {@code
   * field}'s dimension; fails naming the row whose elements break a sparse vector's rules.
   */
  private static SparseVectorColumn readSparse(ListVector v, FieldSchema field, BitSet nulls) {
    int n = v.getValueCount();
    StructVector struct = (StructVector) v.getDataVector();
    IntVector indices = (IntVector) struct.getChildByOrdinal(0);
    Float4Vector values = (Float4Vector) struct.getChildByOrdinal(1);
    int[] offsets = new int[n + 1];
    for (int r = 0; r < n; r++) {
      offsets[r + 1] = offsets[r]
          + (nulls.get(r) ? 0 : v.getElementEndIndex(r) - v.getElementStartIndex(r));
    }
    int[] is = new int[offsets[n]];
    float[] vs = new float[offsets[n]];
    for (int r = 0; r < n; r++) {
      if (!nulls.get(r)) {
        int start = v.getElementStartIndex(r);
        for (int i = 0; i < offsets[r + 1] - offsets[r]; i++) {
          is[offsets[r] + i] = indices.get(start + i);
          vs[offsets[r] + i] = values.get(start + i);
        }
      }
    }
    try {
      return new SparseVectorColumn(field.dimension(), offsets, is, vs, nulls);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("column " + field.name() + " of SPARSEVEC("
          + field.dimension() + "): " + e.getMessage(), e);
    }
  }

  private static void writeVectors(
      FixedSizeListVector v, FloatVectorColumn vectors, int from, int count) {
    int dim = vectors.dimension();
    DataType type = vectors.type();
    FieldVector data = v.getDataVector();
    int elements = count * dim;
    MemorySegment out = elements(data, elements, type);
    if (vectors instanceof HeapVectorColumn heap) {
      // One bulk copy instead of a bounds-checked set per element; capacity was allocated up front.
      putElements(heap.flat(), from * dim, elements, type, out, 0);
    } else {
      float[] row = new float[dim];
      long rowBytes = (long) dim * type.elementBytes();
      for (int i = 0; i < count; i++) {
        vectors.copyRow(from + i, row, 0);
        putElements(row, 0, dim, type, out, i * rowBytes);
      }
    }
    data.getValidityBuffer().setOne(0L, validityBytes(elements));
    data.setValueCount(elements);
    v.getValidityBuffer().setOne(0L, validityBytes(count));
    for (int i = 0; i < count; i++) {
      if (vectors.isNull(from + i)) {
        BitVectorHelper.unsetBit(v.getValidityBuffer(), i);
      }
    }
  }

  /** Writes {@code count} floats of {@code src} from {@code from} as elements of {@code type}. */
  private static void putElements(float[] src, int from, int count, DataType type,
      MemorySegment out, long offset) {
    if (type == DataType.FLOAT16_VECTOR) {
      HalfFloats.encode(src, from, count, out, offset);
    } else {
      MemorySegment.copy(src, from, out, FLOAT_LE, offset, count);
    }
  }

  private static HeapVectorColumn readVectors(
      FixedSizeListVector v, FieldSchema field, BitSet nulls) {
    int dim = field.dimension();
    int elements = v.getValueCount() * dim;
    float[] out = new float[elements];
    MemorySegment in = elements(v.getDataVector(), elements, field.type());
    if (field.type() == DataType.FLOAT16_VECTOR) {
      HalfFloats.decode(in, 0, out, 0, elements);
    } else {
      MemorySegment.copy(in, FLOAT_LE, 0, out, 0, elements);
    }
    for (int r = nulls.nextSetBit(0); r >= 0; r = nulls.nextSetBit(r + 1)) {
      NullVectors.set(out, r, dim);
    }
    return new HeapVectorColumn(field.type(), dim, out);
  }

  /** The first {@code count} elements of a vector column's data, as memory. */
  private static MemorySegment elements(FieldVector data, int count, DataType type) {
    return MemorySegment.ofBuffer(
        data.getDataBuffer().nioBuffer(0, Math.multiplyExact(count, type.elementBytes())));
  }

  /** The first {@code bytes} of a fixed-width vector's data, little-endian as Arrow stores them. */
  private static ByteBuffer data(FieldVector v, int bytes) {
    return v.getDataBuffer().nioBuffer(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  public static void writeLongs(BigIntVector v, long[] values, int from, int count) {
    for (int i = 0; i < count; i++) {
      v.setSafe(i, values[from + i]);
    }
  }

  /** Reads a non-null long column; returns false if it holds a null. */
  public static boolean readLongs(BigIntVector v, long[] out, int at) {
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
}
