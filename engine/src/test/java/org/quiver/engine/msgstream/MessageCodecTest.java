package org.quiver.engine.msgstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quiver.fixtures.Batches;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.SparseVector;
import org.quiver.storage.vector.NullVectors;

class MessageCodecTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private static final int DIM = 16;

  private static final CollectionSchema ALL_TYPES = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "b", DataType.BOOL, 0, true, false),
      new FieldSchema(3, "i8", DataType.INT8, 0, true, false),
      new FieldSchema(4, "i16", DataType.INT16, 0, true, false),
      new FieldSchema(5, "i32", DataType.INT32, 0, true, false),
      new FieldSchema(6, "i64", DataType.INT64, 0, true, false),
      new FieldSchema(7, "f", DataType.FLOAT, 0, true, false),
      new FieldSchema(8, "d", DataType.DOUBLE, 0, true, false),
      new FieldSchema(9, "s", DataType.VARCHAR, 0, true, false),
      new FieldSchema(10, "t", DataType.TIMESTAMP, 0, true, false),
      new FieldSchema(11, "v", DataType.FLOAT_VECTOR, DIM, false, false),
      new FieldSchema(12, "name", DataType.VARCHAR, 0, false, false)));

  private static final CollectionSchema VARCHAR_KEY = new CollectionSchema(List.of(
      new FieldSchema(1, "k", DataType.VARCHAR, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  @Test
  void insertOfEveryTypeWithNullsRoundTrips() {
    String longText = longString(70_000);
    assertTrue(longText.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65_535);
    Object[][] scalars = {
        // id, b, i8, i16, i32, i64, f, d, s, t
        {1L, true, (byte) 1, (short) 2, 3, 4L, 5.5f, 6.25, "plain", 1_700_000_000_000L},
        {2L, null, null, null, null, null, null, null, null, null},
        {Long.MIN_VALUE, false, Byte.MIN_VALUE, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
            -0.0f, Double.NEGATIVE_INFINITY, "", 0L},
        {Long.MAX_VALUE, true, Byte.MAX_VALUE, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
            Float.NaN, Double.MAX_VALUE, longText, -1L},
        {-7L, null, (byte) -1, null, 0, null, Float.MIN_VALUE, null, "héllo wörld \uD83D\uDE00",
            null},
    };
    String[] names = {"a", "b", longText, "", "\u0000nul"};
    int rows = scalars.length;
    Random random = new Random(SEED);
    float[] vectors = new float[rows * DIM];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = (float) random.nextGaussian();
    }
    vectors[3] = Float.NaN;
    vectors[4] = -0.0f;
    vectors[5] = Float.POSITIVE_INFINITY;
    vectors[6] = Float.MIN_VALUE;

    List<Object> columns = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      Object[] column = new Object[rows];
      for (int r = 0; r < rows; r++) {
        column[r] = scalars[r][c];
      }
      columns.add(column);
    }
    columns.add(vectors);
    columns.add(names);
    ColumnBatch batch = Batches.of(ALL_TYPES, rows, columns);

    DmlMessage.Insert decoded = assertInstanceOf(DmlMessage.Insert.class,
        roundTrip(new DmlMessage.Insert(42L, 1234567L, batch), ALL_TYPES));
    assertEquals(42L, decoded.collectionId());
    assertEquals(1234567L, decoded.timestamp());
    assertEquals(MessageType.INSERT, decoded.type());
    assertBatchEquals(batch, decoded.rows());
    assertArrayEquals(batch.primaryKeys(), ((DmlMessage.Insert) MessageCodec.decodeKeys(
        MessageCodec.encode(new DmlMessage.Insert(42L, 1234567L, batch)), ALL_TYPES))
        .rows().primaryKeys());
  }

  @Test
  void keysAloneAreDecodedPastColumnsBeforeAndAfterTheKeyWithThePartitionKept() {
    CollectionSchema keyInTheMiddle = new CollectionSchema(List.of(
        new FieldSchema(1, "note", DataType.VARCHAR, 0, true, false),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 3, false, false),
        new FieldSchema(3, "n", DataType.INT32, 0, true, false),
        new FieldSchema(4, "k", DataType.VARCHAR, 0, false, true),
        new FieldSchema(5, "d", DataType.DOUBLE, 0, true, false)));
    ColumnBatch batch = Batches.of(keyInTheMiddle, 3, List.of(
        new Object[] {"first", null, longString(70_000)},
        new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
        new Object[] {null, 7, -1},
        new Object[] {"a", "bé", ""},
        new Object[] {1.5, null, 2.5}));
    byte[] payload = MessageCodec.encode(new DmlMessage.Insert(9L, 10L, batch, "p7"));

    DmlMessage.Insert keys = assertInstanceOf(DmlMessage.Insert.class,
        MessageCodec.decodeKeys(payload, keyInTheMiddle));
    assertEquals(10L, keys.timestamp());
    assertEquals("p7", keys.partition());
    assertEquals(MessageCodec.keySchema(keyInTheMiddle), keys.rows().schema());
    assertEquals(1, keys.rows().columns().size());
    assertArrayEquals(new Object[] {"a", "bé", ""}, keys.rows().primaryKeys());

    byte[] delete = MessageCodec.encode(new DmlMessage.Delete(9L, 11L, new Object[] {"a"}));
    assertArrayEquals(new Object[] {"a"}, assertInstanceOf(DmlMessage.Delete.class,
        MessageCodec.decodeKeys(delete, keyInTheMiddle)).primaryKeys());
  }

  /**
   * Bit strings travel as a presence byte and, when present, their packed bytes; decodeKeys steps
   * over them. The bytes are pinned: a log written now must read the same later.
   */
  @Test
  void bitStringsRoundTripAndAreSkippedByDecodeKeys() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "b", DataType.BINARY_VECTOR, 11, true, false),
        new FieldSchema(2, "id", DataType.INT64, 0, false, true),
        new FieldSchema(3, "w", DataType.BINARY_VECTOR, 1, false, false)));
    ColumnBatch batch = Batches.of(schema, 3, List.of(
        new Object[] {new byte[] {(byte) 0xA0, (byte) 0xE0}, null, new byte[] {0, 0}},
        new Object[] {7L, 8L, 9L},
        new Object[] {new byte[] {(byte) 0x80}, new byte[] {0}, new byte[] {(byte) 0x80}}));
    byte[] payload = MessageCodec.encode(new DmlMessage.Insert(3L, 9L, batch));
    assertEquals("01" + "00000190" + "0000000000000003" + "0000000000000009" + "00000003"
            + "01a0e0" + "00" + "010000"
            + "010000000000000007" + "010000000000000008" + "010000000000000009"
            + "0180" + "0100" + "0180",
        HexFormat.of().formatHex(payload));
    DmlMessage.Insert decoded =
        assertInstanceOf(DmlMessage.Insert.class, MessageCodec.decode(payload, schema));
    for (int c : new int[] {0, 2}) {
      for (int r = 0; r < 3; r++) {
        assertArrayEquals((byte[]) batch.value(c, r), (byte[]) decoded.rows().value(c, r),
            "column " + c + " row " + r);
        assertEquals(batch.column(c).isNull(r), decoded.rows().column(c).isNull(r));
      }
    }
    assertArrayEquals(new Object[] {7L, 8L, 9L}, decoded.rows().primaryKeys());
    assertArrayEquals(new Object[] {7L, 8L, 9L}, ((DmlMessage.Insert) MessageCodec.decodeKeys(
        payload, schema)).rows().primaryKeys());
  }

  /**
   * Sparse vectors travel as a presence byte and, when present, the count of non-zero elements,
   * their int32 indices and their float32 values; decodeKeys steps over them. The bytes are
   * pinned: a log written now must read the same later.
   */
  @Test
  void sparseVectorsRoundTripAndAreSkippedByDecodeKeys() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "s", DataType.SPARSE_FLOAT_VECTOR, 5, true, false),
        new FieldSchema(2, "id", DataType.INT64, 0, false, true)));
    SparseVector two = new SparseVector(5, new int[] {0, 4}, new float[] {1, -2});
    SparseVector none = new SparseVector(5, new int[0], new float[0]);
    ColumnBatch batch = Batches.of(schema, 3, List.of(
        new Object[] {two, null, none},
        new Object[] {7L, 8L, 9L}));
    byte[] payload = MessageCodec.encode(new DmlMessage.Insert(3L, 9L, batch));
    assertEquals("01" + "00000190" + "0000000000000003" + "0000000000000009" + "00000003"
            + "01" + "00000002" + "00000000" + "00000004" + "3f800000" + "c0000000"
            + "00" + "01" + "00000000"
            + "010000000000000007" + "010000000000000008" + "010000000000000009",
        HexFormat.of().formatHex(payload));
    DmlMessage.Insert decoded =
        assertInstanceOf(DmlMessage.Insert.class, MessageCodec.decode(payload, schema));
    assertEquals(two, decoded.rows().value(0, 0));
    assertEquals(null, decoded.rows().value(0, 1));
    assertEquals(none, decoded.rows().value(0, 2));
    assertArrayEquals(new Object[] {7L, 8L, 9L}, decoded.rows().primaryKeys());
    assertArrayEquals(new Object[] {7L, 8L, 9L}, ((DmlMessage.Insert) MessageCodec.decodeKeys(
        payload, schema)).rows().primaryKeys());
  }

  @Test
  void float16VectorsTravelAsTwoBytesAnElementAndKeysAreDecodedPastThem() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "h", DataType.FLOAT16_VECTOR, DIM, true, false),
        new FieldSchema(2, "id", DataType.INT64, 0, false, true),
        new FieldSchema(3, "v", DataType.FLOAT_VECTOR, DIM, true, false)));
    int rows = 3;
    Random random = new Random(SEED);
    float[] vectors = new float[rows * DIM];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = (float) random.nextGaussian() * 100;
    }
    NullVectors.set(vectors, 1, DIM);
    List<Object> columns = List.of(vectors, new Object[] {1L, 2L, 3L}, vectors.clone());
    byte[] payload = MessageCodec.encode(
        new DmlMessage.Insert(4L, 5L, Batches.of(schema, rows, columns)));

    CollectionSchema allFloat32 = new CollectionSchema(List.of(
        new FieldSchema(1, "h", DataType.FLOAT_VECTOR, DIM, true, false),
        schema.fields().get(1), schema.fields().get(2)));
    byte[] float32 = MessageCodec.encode(
        new DmlMessage.Insert(4L, 5L, Batches.of(allFloat32, rows, columns)));
    assertEquals(rows * DIM * Short.BYTES, float32.length - payload.length,
        "two bytes an element, not four");
    // The column follows the header (21 bytes) and the row count: little-endian float16 bits.
    ByteBuffer body = ByteBuffer.wrap(payload, 21 + Integer.BYTES, rows * DIM * Short.BYTES)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < vectors.length; i++) {
      assertEquals(Float.floatToFloat16(vectors[i]), body.getShort(), "element " + i);
    }

    ColumnBatch decoded = assertInstanceOf(DmlMessage.Insert.class,
        MessageCodec.decode(payload, schema)).rows();
    assertEquals(DataType.FLOAT16_VECTOR, decoded.column(0).type());
    float[] half = decoded.vectors(0);
    for (int i = 0; i < vectors.length; i++) {
      assertEquals(Float.float16ToFloat(Float.floatToFloat16(vectors[i])), half[i],
          "element " + i + " seed " + SEED);
    }
    assertTrue(decoded.column(0).isNull(1), "a NULL vector stays NULL");
    assertArrayEquals(vectors, decoded.vectors(2), "the float32 column after it is intact");
    assertArrayEquals(new Object[] {1L, 2L, 3L}, decoded.primaryKeys());
    assertArrayEquals(new Object[] {1L, 2L, 3L}, ((DmlMessage.Insert) MessageCodec.decodeKeys(
        payload, schema)).rows().primaryKeys(), "the keys are found past the float16 column");
  }

  @Test
  void emptyInsertRoundTrips() {
    List<Object> columns = new ArrayList<>();
    for (FieldSchema f : ALL_TYPES.fields()) {
      columns.add(f.isVector() ? new float[0] : new Object[0]);
    }
    ColumnBatch empty = Batches.of(ALL_TYPES, 0, columns);
    DmlMessage.Insert decoded = assertInstanceOf(DmlMessage.Insert.class,
        roundTrip(new DmlMessage.Insert(1L, 2L, empty), ALL_TYPES));
    assertBatchEquals(empty, decoded.rows());
  }

  @Test
  void insertWithVarcharKeyRoundTrips() {
    ColumnBatch batch = Batches.of(VARCHAR_KEY, 2, List.of(
        new Object[] {"k1", longString(66_000)}, new float[] {1, 2, 3, 4}));
    DmlMessage.Insert decoded = assertInstanceOf(DmlMessage.Insert.class,
        roundTrip(new DmlMessage.Insert(5L, 6L, batch), VARCHAR_KEY));
    assertBatchEquals(batch, decoded.rows());
  }

  @Test
  void insertIntoAPartitionRoundTripsAndDefaultInsertsKeepVersionOne() {
    ColumnBatch batch = Batches.of(VARCHAR_KEY, 1, List.of(
        new Object[] {"k1"}, new float[] {1, 2}));
    DmlMessage.Insert decoded = assertInstanceOf(DmlMessage.Insert.class,
        roundTrip(new DmlMessage.Insert(5L, 6L, batch, "p2024"), VARCHAR_KEY));
    assertEquals("p2024", decoded.partition());
    assertBatchEquals(batch, decoded.rows());
    assertEquals(2, MessageCodec.encode(new DmlMessage.Insert(5L, 6L, batch, "p2024"))[0]);
    // Inserts into the default partition are written as before partitions existed.
    byte[] plain = MessageCodec.encode(new DmlMessage.Insert(5L, 6L, batch));
    assertEquals(1, plain[0]);
    assertEquals("_default",
        ((DmlMessage.Insert) MessageCodec.decode(plain, VARCHAR_KEY)).partition());
  }

  @Test
  void deleteWithBigintKeysRoundTrips() {
    Object[] keys = {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 42L};
    DmlMessage.Delete decoded = assertInstanceOf(DmlMessage.Delete.class,
        roundTrip(new DmlMessage.Delete(9L, 99L, keys), ALL_TYPES));
    assertEquals(9L, decoded.collectionId());
    assertEquals(99L, decoded.timestamp());
    assertEquals(MessageType.DELETE, decoded.type());
    assertArrayEquals(keys, decoded.primaryKeys());
    for (Object key : decoded.primaryKeys()) {
      assertInstanceOf(Long.class, key);
    }
  }

  @Test
  void deleteWithVarcharKeysRoundTrips() {
    Object[] keys = {"", "a", "ünïcödé \uD83D\uDE00", longString(70_000)};
    DmlMessage.Delete decoded = assertInstanceOf(DmlMessage.Delete.class,
        roundTrip(new DmlMessage.Delete(3L, 4L, keys), VARCHAR_KEY));
    assertArrayEquals(keys, decoded.primaryKeys());
  }

  @Test
  void emptyDeleteRoundTrips() {
    DmlMessage.Delete decoded = assertInstanceOf(DmlMessage.Delete.class,
        roundTrip(new DmlMessage.Delete(3L, 4L, new Object[0]), ALL_TYPES));
    assertEquals(0, decoded.primaryKeys().length);
  }

  @Test
  void flushRoundTrips() {
    DmlMessage decoded = roundTrip(new DmlMessage.Flush(Long.MAX_VALUE, 77L), ALL_TYPES);
    assertEquals(new DmlMessage.Flush(Long.MAX_VALUE, 77L), decoded);
    assertEquals(MessageType.FLUSH, decoded.type());
  }

  @Test
  void headerCarriesVersionTypeNumberAndCollectionId() {
    byte[] payload =
        MessageCodec.encode(new DmlMessage.Delete(123_456_789L, 5L, new Object[] {1L}));
    ByteBuffer header = ByteBuffer.wrap(payload);
    assertEquals(1, header.get(), "version");
    assertEquals(MessageType.DELETE.number(), header.getInt(), "type number");
    assertEquals(123_456_789L, header.getLong(), "collection id");
    assertEquals(5L, header.getLong(), "timestamp");
    assertEquals(123_456_789L, MessageCodec.collectionId(payload));
  }

  /**
   * Bytes an insert and a delete had in the log before the codec encoded into a buffer sized up
   * front: they still decode, and encoding the same messages gives the same bytes.
   */
  @Test
  void messagesWrittenByEarlierVersionsDecodeAndEncodeTheSame() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "b", DataType.BOOL, 0, true, false),
        new FieldSchema(3, "i8", DataType.INT8, 0, true, false),
        new FieldSchema(4, "i16", DataType.INT16, 0, true, false),
        new FieldSchema(5, "i32", DataType.INT32, 0, true, false),
        new FieldSchema(6, "f", DataType.FLOAT, 0, true, false),
        new FieldSchema(7, "d", DataType.DOUBLE, 0, true, false),
        new FieldSchema(8, "s", DataType.VARCHAR, 0, true, false),
        new FieldSchema(9, "t", DataType.TIMESTAMP, 0, true, false),
        new FieldSchema(10, "v", DataType.FLOAT_VECTOR, 2, true, false)));
    ColumnBatch batch = Batches.of(schema, 2, List.of(new Object[] {7L, -8L},
        new Object[] {true, null}, new Object[] {(byte) -3, null},
        new Object[] {(short) 300, null}, new Object[] {70_000, null},
        new Object[] {1.5f, null}, new Object[] {-2.25, null}, new Object[] {"hé", null},
        new Object[] {1_700_000_000_000L, null}, new float[] {0.5f, -1f, Float.NaN, Float.NaN}));
    byte[] insert = HexFormat.of().parseHex(
        "0200000190000000000000000300000000000000090000000201000000000000000701ffffffffffffff"
            + "f801010001fd0001012c00010001117000013fc000000001c00200000000000000010000000368c3"
            + "a900010000018bcfe56800000000003f000080bf0000c07f0000c07f00027031");
    DmlMessage.Insert decoded =
        assertInstanceOf(DmlMessage.Insert.class, MessageCodec.decode(insert, schema));
    assertEquals(3L, decoded.collectionId());
    assertEquals(9L, decoded.timestamp());
    assertEquals("p1", decoded.partition());
    assertBatchEquals(batch, decoded.rows());
    assertArrayEquals(insert, MessageCodec.encode(new DmlMessage.Insert(3L, 9L, batch, "p1")));

    byte[] delete = HexFormat.of().parseHex(
        "01000001910000000000000003000000000000000a0000000200000000000000000501000000016b");
    assertArrayEquals(new Object[] {5L, "k"},
        assertInstanceOf(DmlMessage.Delete.class, MessageCodec.decode(delete, schema))
            .primaryKeys());
    assertArrayEquals(delete,
        MessageCodec.encode(new DmlMessage.Delete(3L, 10L, new Object[] {5L, "k"})));
  }

  @Test
  void unknownVersionIsRejected() {
    byte[] payload = MessageCodec.encode(new DmlMessage.Flush(1L, 2L));
    payload[0] = 3;
    assertThrows(IllegalStateException.class, () -> MessageCodec.decode(payload, ALL_TYPES));
  }

  private static DmlMessage roundTrip(DmlMessage message, CollectionSchema schema) {
    byte[] payload = MessageCodec.encode(message);
    assertEquals(message.collectionId(), MessageCodec.collectionId(payload));
    return MessageCodec.decode(payload, schema);
  }

  private static void assertBatchEquals(ColumnBatch expected, ColumnBatch actual) {
    assertEquals(expected.schema(), actual.schema());
    assertEquals(expected.rowCount(), actual.rowCount());
    for (int c = 0; c < expected.schema().size(); c++) {
      FieldSchema f = expected.schema().fields().get(c);
      String where = "column " + f.name() + " seed " + SEED;
      if (f.isVector()) {
        float[] e = expected.vectors(c);
        float[] a = actual.vectors(c);
        assertEquals(e.length, a.length, where);
        for (int i = 0; i < e.length; i++) {
          assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
              where + " float " + i);
        }
      } else {
        for (int r = 0; r < expected.rowCount(); r++) {
          Object e = expected.value(c, r);
          Object a = actual.value(c, r);
          // Boxed equals also distinguishes 0.0 from -0.0 and matches NaN with NaN.
          assertEquals(e, a, where + " row " + r);
          if (e != null) {
            assertEquals(e.getClass(), a.getClass(), where + " row " + r + " boxed type");
          }
        }
      }
    }
  }

  private static String longString(int chars) {
    StringBuilder sb = new StringBuilder(chars);
    String alphabet = "abcdefghij é€\uD83D\uDE00";
    while (sb.length() < chars) {
      sb.append(alphabet);
    }
    return sb.toString();
  }
}
