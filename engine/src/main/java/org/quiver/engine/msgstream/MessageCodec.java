package org.quiver.engine.msgstream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.column.BoolColumn;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.DoubleColumn;
import org.quiver.storage.column.FloatColumn;
import org.quiver.storage.column.HeapVectorColumn;
import org.quiver.storage.column.Int16Column;
import org.quiver.storage.column.Int32Column;
import org.quiver.storage.column.Int64Column;
import org.quiver.storage.column.Int8Column;
import org.quiver.storage.column.VarcharColumn;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.HalfFloats;
import org.quiver.storage.vector.SparseVector;

/**
 * Binary form of stream messages in the log.
 *
 * <p>Layout (big-endian): version byte, message type number (int), collection id (long), timestamp
 * (long), then the body. An insert body is the row count followed by each column in schema order:
 * a presence byte per row for scalar columns followed, if present, by the value (a string as its
 * UTF-8 length and bytes, a bit string as its {@code ceil(n / 8)} packed bytes, a sparse vector as
 * its count of non-zero elements, their int32 indices and then their float32 values), and vectors as
 * raw little-endian float32, or float16 for a FLOAT16_VECTOR column (a NULL vector as NaN
 * elements, see {@code NullVectors}). A delete body is the key count and the keys, each a tag byte
 * (0: long, 1: string) and the key. Flush and time-tick messages have no body. An insert into a
 * partition other than {@code _default} has version byte 2 and the partition name (modified
 * UTF-8) after the rows; every other message is version 1, so logs written before partitions
 * existed read unchanged. The width of a vector column's elements follows from its type in the
 * schema, so FLOAT16_VECTOR needs no new version.
 *
 * <p>A message is encoded into one array sized up front (the strings of a batch are turned into
 * UTF-8 once, to measure and then to copy), vectors copied in bulk; decoding fills the primitive
 * arrays of typed columns without boxing.
 */
public final class MessageCodec {
  private static final byte VERSION = 1;
  /** An insert that names its partition. */
  private static final byte VERSION_PARTITIONED = 2;
  private static final int HEADER_BYTES = 1 + Integer.BYTES + 2 * Long.BYTES;
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private MessageCodec() {}

  public static byte[] encode(TsMsg message) {
    boolean partitioned = message instanceof DmlMessage.Insert insert
        && !insert.partition().equals(PartitionInfo.DEFAULT);
    return switch (message) {
      case DmlMessage.Insert insert -> {
        byte[][][] strings = utf8Strings(insert.rows());
        byte[] partition = partitioned ? modifiedUtf8(insert.partition()) : new byte[0];
        ByteBuffer out = header(message, partitioned,
            rowsSize(insert.rows(), strings) + partition.length);
        writeRows(out, insert.rows(), strings);
        yield out.put(partition).array();
      }
      case DmlMessage.Delete delete -> {
        Object[] keys = delete.primaryKeys();
        byte[][] text = new byte[keys.length][];
        long size = Integer.BYTES;
        for (int i = 0; i < keys.length; i++) {
          if (keys[i] instanceof String s) {
            text[i] = s.getBytes(StandardCharsets.UTF_8);
            size += 1 + Integer.BYTES + text[i].length;
          } else {
            size += 1 + Long.BYTES;
          }
        }
        ByteBuffer out = header(message, false, size).putInt(keys.length);
        for (int i = 0; i < keys.length; i++) {
          if (text[i] == null) {
            out.put((byte) 0).putLong((Long) keys[i]);
          } else {
            out.put((byte) 1).putInt(text[i].length).put(text[i]);
          }
        }
        yield out.array();
      }
      case DmlMessage.Flush flush -> header(message, false, 0).array();
      case TimeTickMsg tick -> header(message, false, 0).array();
    };
  }

  /** Decodes a DML message; inserts need the schema of their collection. */
  public static DmlMessage decode(byte[] payload, CollectionSchema schema) {
    if (decodeMessage(payload, schema) instanceof DmlMessage dml) {
      return dml;
    }
    throw new IllegalStateException("not a DML message: " + MessageType.TIME_TICK);
  }

  /** Decodes any stream message; inserts need the schema of their collection. */
  public static TsMsg decodeMessage(byte[] payload, CollectionSchema schema) {
    return decodeMessage(payload, schema, false);
  }

  /**
   * Decodes a stream message as {@link #decodeMessage} does, except that an insert's rows keep
   * their primary-key column alone (a batch over {@link #keySchema}): the other columns are
   * stepped over, not decoded, for readers that only track which keys were written.
   */
  public static TsMsg decodeKeys(byte[] payload, CollectionSchema schema) {
    return decodeMessage(payload, schema, true);
  }

  /** The schema of a batch that {@link #decodeKeys} decodes: the primary key alone. */
  public static CollectionSchema keySchema(CollectionSchema schema) {
    return new CollectionSchema(List.of(schema.primaryKey()));
  }

  private static TsMsg decodeMessage(byte[] payload, CollectionSchema schema, boolean keysOnly) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    byte version = in.get();
    if (version != VERSION && version != VERSION_PARTITIONED) {
      throw new IllegalStateException("unsupported message version " + version);
    }
    MessageType type = MessageType.ofNumber(in.getInt());
    long collectionId = in.getLong();
    long ts = in.getLong();
    return switch (type) {
      case INSERT -> {
        ColumnBatch rows = readRows(in, schema, keysOnly);
        yield new DmlMessage.Insert(collectionId, ts, rows,
            version == VERSION_PARTITIONED ? readModifiedUtf8(in) : PartitionInfo.DEFAULT);
      }
      case DELETE -> {
        Object[] keys = new Object[in.getInt()];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = in.get() == 0 ? (Object) in.getLong() : readString(in);
        }
        yield new DmlMessage.Delete(collectionId, ts, keys);
      }
      case FLUSH -> new DmlMessage.Flush(collectionId, ts);
      case TIME_TICK -> new TimeTickMsg(collectionId, ts);
      default -> throw new IllegalStateException("not a stream message: " + type);
    };
  }

  /** The collection a message belongs to, read without decoding the body. */
  public static long collectionId(byte[] payload) {
    return ByteBuffer.wrap(payload, 5, Long.BYTES).getLong();
  }

  private static ByteBuffer header(TsMsg message, boolean partitioned, long bodyBytes) {
    long size = HEADER_BYTES + bodyBytes;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a message of " + size + " bytes is too large for the log");
    }
    return ByteBuffer.allocate((int) size)
        .put(partitioned ? VERSION_PARTITIONED : VERSION)
        .putInt(message.type().number())
        .putLong(message.collectionId())
        .putLong(message.timestamp());
  }

  /** The UTF-8 bytes of every non-NULL value of each VARCHAR column; null for other columns. */
  private static byte[][][] utf8Strings(ColumnBatch rows) {
    byte[][][] out = new byte[rows.schema().size()][][];
    for (int c = 0; c < out.length; c++) {
      if (rows.schema().fields().get(c).type() == DataType.VARCHAR) {
        Column column = rows.column(c);
        out[c] = new byte[rows.rowCount()][];
        for (int r = 0; r < rows.rowCount(); r++) {
          if (!column.isNull(r)) {
            out[c][r] = ((String) column.get(r)).getBytes(StandardCharsets.UTF_8);
          }
        }
      }
    }
    return out;
  }

  private static long rowsSize(ColumnBatch rows, byte[][][] strings) {
    long size = Integer.BYTES;
    int n = rows.rowCount();
    for (int c = 0; c < rows.schema().size(); c++) {
      FieldSchema field = rows.schema().fields().get(c);
      if (field.isVector()) {
        size += (long) n * field.dimension() * field.type().elementBytes();
        continue;
      }
      size += n;
      Column column = rows.column(c);
      int present = 0;
      for (int r = 0; r < n; r++) {
        if (!column.isNull(r)) {
          present++;
          if (strings[c] != null) {
            size += Integer.BYTES + strings[c][r].length;
          }
        }
      }
      if (column instanceof SparseVectorColumn sparse) {
        // A count, then an int32 index and a float32 value per non-zero element.
        size += (long) present * Integer.BYTES
            + (long) sparse.totalNonZeros() * (Integer.BYTES + Float.BYTES);
      } else {
        size += (long) present * valueBytes(field);
      }
    }
    return size;
  }

  /** The bytes of one value of {@code field}; 0 for VARCHAR, whose bytes are counted apart. */
  private static int valueBytes(FieldSchema field) {
    return field.type() == DataType.BINARY_VECTOR ? DataType.bitBytes(field.dimension())
        : valueBytes(field.type());
  }

  /** The bytes of one fixed-width value; 0 for VARCHAR, whose bytes are counted apart. */
  private static int valueBytes(DataType type) {
    return switch (type) {
      case BOOL, INT8 -> 1;
      case INT16 -> Short.BYTES;
      case INT32, FLOAT -> Integer.BYTES;
      case INT64, TIMESTAMP, DOUBLE -> Long.BYTES;
      case VARCHAR -> 0;
      case FLOAT_VECTOR, FLOAT16_VECTOR ->
          throw new IllegalArgumentException("vector is not a scalar");
      case BINARY_VECTOR ->
          throw new IllegalArgumentException("a bit string's width is its field's");
      case SPARSE_FLOAT_VECTOR ->
          throw new IllegalArgumentException("a sparse vector's width is its own");
    };
  }

  private static void writeRows(ByteBuffer out, ColumnBatch rows, byte[][][] strings) {
    int n = rows.rowCount();
    out.putInt(n);
    for (int c = 0; c < rows.schema().size(); c++) {
      FieldSchema field = rows.schema().fields().get(c);
      if (field.isVector()) {
        float[] flat = rows.vectors(c);
        MemorySegment bytes = MemorySegment.ofArray(out.array());
        if (field.type() == DataType.FLOAT16_VECTOR) {
          HalfFloats.encode(flat, 0, flat.length, bytes, out.position());
        } else {
          MemorySegment.copy(flat, 0, bytes, FLOAT_LE, out.position(), flat.length);
        }
        out.position(out.position() + flat.length * field.type().elementBytes());
        continue;
      }
      Column column = rows.column(c);
      for (int r = 0; r < n; r++) {
        boolean present = !column.isNull(r);
        out.put((byte) (present ? 1 : 0));
        if (present) {
          switch (column) {
            case BoolColumn v -> out.put((byte) (v.getBoolean(r) ? 1 : 0));
            case Int8Column v -> out.put(v.getByte(r));
            case Int16Column v -> out.putShort(v.getShort(r));
            case Int32Column v -> out.putInt(v.getInt(r));
            case Int64Column v -> out.putLong(v.getLong(r));
            case FloatColumn v -> out.putFloat(v.getFloat(r));
            case DoubleColumn v -> out.putDouble(v.getDouble(r));
            case VarcharColumn v -> out.putInt(strings[c][r].length).put(strings[c][r]);
            case BinaryVectorColumn v -> {
              v.copyRow(r, out.array(), out.position());
              out.position(out.position() + v.bytesPerRow());
            }
            case SparseVectorColumn v -> {
              SparseVector value = v.get(r);
              out.putInt(value.nonZeros());
              for (int index : value.indices()) {
                out.putInt(index);
              }
              for (float x : value.values()) {
                out.putFloat(x);
              }
            }
            default -> throw new IllegalArgumentException(
                "column " + field.name() + " is not a scalar column");
          }
        }
      }
    }
  }

  /** The rows of an insert; only the primary-key column if {@code keysOnly}. */
  private static ColumnBatch readRows(ByteBuffer in, CollectionSchema schema, boolean keysOnly) {
    int n = in.getInt();
    List<Column> columns = new ArrayList<>(keysOnly ? 1 : schema.size());
    for (FieldSchema field : schema.fields()) {
      if (keysOnly && !field.primaryKey()) {
        skipColumn(in, field, n);
      } else {
        columns.add(readColumn(in, field, n));
      }
    }
    return new ColumnBatch(keysOnly ? keySchema(schema) : schema, n, columns);
  }

  /** Moves past one column of {@code n} rows without reading its values. */
  private static void skipColumn(ByteBuffer in, FieldSchema field, int n) {
    if (field.isVector()) {
      in.position(in.position()
          + Math.multiplyExact(n, field.dimension()) * field.type().elementBytes());
      return;
    }
    if (field.type() == DataType.SPARSE_FLOAT_VECTOR) {
      for (int r = 0; r < n; r++) {
        if (in.get() != 0) {
          int count = in.getInt();
          in.position(in.position() + count * (Integer.BYTES + Float.BYTES));
        }
      }
      return;
    }
    int width = valueBytes(field);
    for (int r = 0; r < n; r++) {
      if (in.get() != 0) {
        int bytes = field.type() == DataType.VARCHAR ? in.getInt() : width;
        in.position(in.position() + bytes);
      }
    }
  }

  private static Column readColumn(ByteBuffer in, FieldSchema field, int n) {
    if (field.isVector()) {
      float[] flat = new float[Math.multiplyExact(n, field.dimension())];
      MemorySegment bytes = MemorySegment.ofArray(in.array());
      if (field.type() == DataType.FLOAT16_VECTOR) {
        HalfFloats.decode(bytes, in.position(), flat, 0, flat.length);
      } else {
        MemorySegment.copy(bytes, FLOAT_LE, in.position(), flat, 0, flat.length);
      }
      in.position(in.position() + flat.length * field.type().elementBytes());
      return new HeapVectorColumn(field.type(), field.dimension(), flat);
    }
    BitSet nulls = new BitSet();
    return switch (field.type()) {
      case BOOL -> {
        boolean[] values = new boolean[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) && in.get() != 0;
        }
        yield new BoolColumn(values, nulls);
      }
      case INT8 -> {
        byte[] values = new byte[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? in.get() : 0;
        }
        yield new Int8Column(values, nulls);
      }
      case INT16 -> {
        short[] values = new short[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? in.getShort() : 0;
        }
        yield new Int16Column(values, nulls);
      }
      case INT32 -> {
        int[] values = new int[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? in.getInt() : 0;
        }
        yield new Int32Column(values, nulls);
      }
      case INT64, TIMESTAMP -> {
        long[] values = new long[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? in.getLong() : 0;
        }
        yield new Int64Column(field.type(), values, nulls);
      }
      case FLOAT -> {
        float[] values = new float[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? in.getFloat() : 0;
        }
        yield new FloatColumn(values, nulls);
      }
      case DOUBLE -> {
        double[] values = new double[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? in.getDouble() : 0;
        }
        yield new DoubleColumn(values, nulls);
      }
      case VARCHAR -> {
        String[] values = new String[n];
        for (int r = 0; r < n; r++) {
          values[r] = present(in, nulls, r) ? readString(in) : null;
        }
        yield new VarcharColumn(values);
      }
      case FLOAT_VECTOR, FLOAT16_VECTOR ->
          throw new IllegalStateException("vector is not a scalar");
      case BINARY_VECTOR -> {
        int bytes = DataType.bitBytes(field.dimension());
        byte[] values = new byte[Math.multiplyExact(n, bytes)];
        for (int r = 0; r < n; r++) {
          if (present(in, nulls, r)) {
            in.get(values, r * bytes, bytes);
          }
        }
        yield new BinaryVectorColumn(field.dimension(), values, nulls);
      }
      case SPARSE_FLOAT_VECTOR -> {
        SparseVector[] values = new SparseVector[n];
        for (int r = 0; r < n; r++) {
          if (present(in, nulls, r)) {
            int count = in.getInt();
            int[] indices = new int[count];
            float[] elements = new float[count];
            for (int i = 0; i < count; i++) {
              indices[i] = in.getInt();
            }
            for (int i = 0; i < count; i++) {
              elements[i] = in.getFloat();
            }
            values[r] = new SparseVector(field.dimension(), indices, elements);
          }
        }
        yield SparseVectorColumn.of(field.dimension(), values, n);
      }
    };
  }

  /** Reads a row's presence byte, marking the row in {@code nulls} if it is absent. */
  private static boolean present(ByteBuffer in, BitSet nulls, int row) {
    if (in.get() != 0) {
      return true;
    }
    nulls.set(row);
    return false;
  }

  // A length and UTF-8 bytes: writeUTF's modified UTF-8 caps strings at 64 KB; values may be
  // longer.
  private static String readString(ByteBuffer in) {
    int length = in.getInt();
    String s = new String(in.array(), in.arrayOffset() + in.position(), length,
        StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }

  /** The partition name as {@link DataOutputStream#writeUTF} writes it, as earlier logs hold it. */
  private static byte[] modifiedUtf8(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 + s.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String readModifiedUtf8(ByteBuffer in) {
    try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(
        in.array(), in.arrayOffset() + in.position(), in.remaining()))) {
      return data.readUTF();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
