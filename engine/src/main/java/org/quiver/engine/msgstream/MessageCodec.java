package org.quiver.engine.msgstream;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.column.HeapVectorColumn;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Binary form of stream messages in the log.
 *
 * <p>Layout (big-endian): version byte, message type number (int), collection id (long), timestamp
 * (long), then the body. An insert body is the row count followed by each column in schema order:
 * a presence byte per row for nullable scalar columns, the values, and vectors as raw
 * little-endian float32 (a NULL vector as NaN floats, see {@code NullVectors}). A delete body is
 * the key count and the keys. Flush and time-tick messages have no body. An insert into a partition other than {@code _default} has version byte 2 and
 * the partition name (modified UTF-8) after the rows; every other message is version 1, so logs
 * written before partitions existed read unchanged.
 */
public final class MessageCodec {
  private static final byte VERSION = 1;
  /** An insert that names its partition. */
  private static final byte VERSION_PARTITIONED = 2;

  private MessageCodec() {}

  public static byte[] encode(TsMsg message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      boolean partitioned = message instanceof DmlMessage.Insert insert
          && !insert.partition().equals(PartitionInfo.DEFAULT);
      out.writeByte(partitioned ? VERSION_PARTITIONED : VERSION);
      out.writeInt(message.type().number());
      out.writeLong(message.collectionId());
      out.writeLong(message.timestamp());
      switch (message) {
        case DmlMessage.Insert insert -> {
          writeRows(out, insert.rows());
          if (partitioned) {
            out.writeUTF(insert.partition());
          }
        }
        case DmlMessage.Delete delete -> {
          out.writeInt(delete.primaryKeys().length);
          for (Object key : delete.primaryKeys()) {
            writeKey(out, key);
          }
        }
        case DmlMessage.Flush flush -> { }
        case TimeTickMsg tick -> { }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
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
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
      byte version = in.readByte();
      if (version != VERSION && version != VERSION_PARTITIONED) {
        throw new IllegalStateException("unsupported message version " + version);
      }
      MessageType type = MessageType.ofNumber(in.readInt());
      long collectionId = in.readLong();
      long ts = in.readLong();
      return switch (type) {
        case INSERT -> {
          ColumnBatch rows = readRows(in, schema);
          yield new DmlMessage.Insert(collectionId, ts, rows,
              version == VERSION_PARTITIONED ? in.readUTF() : PartitionInfo.DEFAULT);
        }
        case DELETE -> {
          Object[] keys = new Object[in.readInt()];
          for (int i = 0; i < keys.length; i++) {
            keys[i] = readKey(in);
          }
          yield new DmlMessage.Delete(collectionId, ts, keys);
        }
        case FLUSH -> new DmlMessage.Flush(collectionId, ts);
        case TIME_TICK -> new TimeTickMsg(collectionId, ts);
        default -> throw new IllegalStateException("not a stream message: " + type);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The collection a message belongs to, read without decoding the body. */
  public static long collectionId(byte[] payload) {
    return ByteBuffer.wrap(payload, 5, Long.BYTES).getLong();
  }

  private static void writeRows(DataOutputStream out, ColumnBatch rows) throws IOException {
    out.writeInt(rows.rowCount());
    List<FieldSchema> fields = rows.schema().fields();
    for (int c = 0; c < fields.size(); c++) {
      FieldSchema field = fields.get(c);
      if (field.isVector()) {
        float[] v = rows.vectors(c);
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
        continue;
      }
      Column values = rows.column(c);
      for (int r = 0; r < rows.rowCount(); r++) {
        Object value = values.get(r);
        out.writeBoolean(value != null);
        if (value != null) {
          writeScalar(out, field.type(), value);
        }
      }
    }
  }

  private static ColumnBatch readRows(DataInputStream in, CollectionSchema schema)
      throws IOException {
    int rowCount = in.readInt();
    List<Column> columns = new ArrayList<>(schema.size());
    for (FieldSchema field : schema.fields()) {
      if (field.isVector()) {
        byte[] raw = new byte[rowCount * field.dimension() * Float.BYTES];
        in.readFully(raw);
        float[] v = new float[rowCount * field.dimension()];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        columns.add(new HeapVectorColumn(field.dimension(), v));
        continue;
      }
      // The proxy checked NOT NULL before the rows reached the log; reading trusts it.
      ColumnBuilder values = ColumnBuilder.deferringNotNull(field, rowCount);
      for (int r = 0; r < rowCount; r++) {
        values.append(in.readBoolean() ? readScalar(in, field.type()) : null);
      }
      columns.add(values.build());
    }
    return new ColumnBatch(schema, rowCount, columns);
  }

  private static void writeScalar(DataOutputStream out, DataType type, Object value)
      throws IOException {
    switch (type) {
      case BOOL -> out.writeBoolean((Boolean) value);
      case INT8 -> out.writeByte((Byte) value);
      case INT16 -> out.writeShort((Short) value);
      case INT32 -> out.writeInt((Integer) value);
      case INT64, TIMESTAMP -> out.writeLong((Long) value);
      case FLOAT -> out.writeFloat((Float) value);
      case DOUBLE -> out.writeDouble((Double) value);
      case VARCHAR -> writeString(out, (String) value);
      case FLOAT_VECTOR -> throw new IllegalArgumentException("vector is not a scalar");
    }
  }

  private static Object readScalar(DataInputStream in, DataType type) throws IOException {
    return switch (type) {
      case BOOL -> in.readBoolean();
      case INT8 -> in.readByte();
      case INT16 -> in.readShort();
      case INT32 -> in.readInt();
      case INT64, TIMESTAMP -> in.readLong();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case VARCHAR -> readString(in);
      case FLOAT_VECTOR -> throw new IllegalArgumentException("vector is not a scalar");
    };
  }

  private static void writeKey(DataOutputStream out, Object key) throws IOException {
    if (key instanceof Long l) {
      out.writeByte(0);
      out.writeLong(l);
    } else {
      out.writeByte(1);
      writeString(out, (String) key);
    }
  }

  private static Object readKey(DataInputStream in) throws IOException {
    return in.readByte() == 0 ? (Object) in.readLong() : readString(in);
  }

  // writeUTF caps strings at 64 KB; VARCHAR values may be longer.
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] utf8 = new byte[in.readInt()];
    in.readFully(utf8);
    return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
  }
}
