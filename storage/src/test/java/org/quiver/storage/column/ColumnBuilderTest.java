package org.quiver.storage.column;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.SparseVector;

class ColumnBuilderTest {

  /** One nullable field of every type, and three non-null sample values of each. */
  static final List<FieldSchema> FIELDS = List.of(
      new FieldSchema(1, "flag", DataType.BOOL, 0, true, false),
      new FieldSchema(2, "tiny", DataType.INT8, 0, true, false),
      new FieldSchema(3, "small", DataType.INT16, 0, true, false),
      new FieldSchema(4, "num", DataType.INT32, 0, true, false),
      new FieldSchema(5, "big", DataType.INT64, 0, true, false),
      new FieldSchema(6, "real", DataType.FLOAT, 0, true, false),
      new FieldSchema(7, "dbl", DataType.DOUBLE, 0, true, false),
      new FieldSchema(8, "name", DataType.VARCHAR, 0, true, false),
      new FieldSchema(9, "at", DataType.TIMESTAMP, 0, true, false),
      new FieldSchema(10, "v", DataType.FLOAT_VECTOR, 3, true, false),
      new FieldSchema(11, "h", DataType.FLOAT16_VECTOR, 3, true, false),
      new FieldSchema(12, "bits", DataType.BINARY_VECTOR, 11, true, false),
      new FieldSchema(13, "sparse", DataType.SPARSE_FLOAT_VECTOR, 5, true, false));

  static Object[] samples(DataType type) {
    return switch (type) {
      case BOOL -> new Object[] {true, false, true};
      case INT8 -> new Object[] {(byte) -128, (byte) 0, (byte) 127};
      case INT16 -> new Object[] {(short) -32768, (short) 5, (short) 32767};
      case INT32 -> new Object[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE};
      case INT64 -> new Object[] {Long.MIN_VALUE, 42L, Long.MAX_VALUE};
      case FLOAT -> new Object[] {-1.5f, 0f, Float.MAX_VALUE};
      case DOUBLE -> new Object[] {-2.25, 0.0, Double.MIN_VALUE};
      case VARCHAR -> new Object[] {"", "név ☃", "x".repeat(300)};
      case TIMESTAMP -> new Object[] {0L, 1_700_000_000_000L, -86_400_000L};
      case FLOAT_VECTOR -> new Object[] {
          new float[] {1, 2, 3}, new float[] {-0.5f, 0, 0.5f}, new float[] {9, 8, 7}};
      // Values float16 holds exactly, so that they read back as they were given.
      case FLOAT16_VECTOR -> new Object[] {
          new float[] {1, 2, 3}, new float[] {-0.5f, 0, 65504}, new float[] {0.25f, 8, 7}};
      // 11 bits: two bytes, the low five bits of the second unused.
      case BINARY_VECTOR -> new Object[] {
          new byte[] {(byte) 0b1010_0000, (byte) 0b1110_0000}, new byte[] {0, 0},
          new byte[] {(byte) 0xFF, (byte) 0b1110_0000}};
      // Dimension 5: elements at the first and last index, none at all, one in the middle.
      case SPARSE_FLOAT_VECTOR -> new Object[] {
          new SparseVector(5, new int[] {0, 4}, new float[] {1.5f, -2}),
          new SparseVector(5, new int[0], new float[0]),
          new SparseVector(5, new int[] {2}, new float[] {Float.MAX_VALUE})};
    };
  }

  /** The samples of {@code field} with a NULL between each: v0, NULL, v1, NULL, v2. */
  static Column withNulls(FieldSchema field) {
    ColumnBuilder builder = new ColumnBuilder(field, 1);
    Object[] samples = samples(field.type());
    for (int i = 0; i < samples.length; i++) {
      if (i > 0) {
        builder.append(null);
      }
      builder.append(samples[i]);
    }
    return builder.build();
  }

  static void assertValue(Object expected, Object actual) {
    if (expected instanceof float[] v) {
      assertArrayEquals(v, (float[]) actual);
    } else if (expected instanceof byte[] b) {
      assertArrayEquals(b, (byte[]) actual);
    } else {
      assertEquals(expected, actual);
    }
  }

  @Test
  void everyTypeKeepsItsValuesAndNulls() {
    for (FieldSchema field : FIELDS) {
      Column column = withNulls(field);
      Object[] samples = samples(field.type());
      assertEquals(field.type(), column.type(), field.name());
      assertEquals(5, column.size(), field.name());
      assertTrue(column.hasNulls(), field.name());
      for (int r = 0; r < 5; r++) {
        assertEquals(r % 2 == 1, column.isNull(r), field.name() + " row " + r);
        if (r % 2 == 1) {
          assertNull(column.get(r), field.name());
        } else {
          assertValue(samples[r / 2], column.get(r));
        }
      }
      assertThrows(IndexOutOfBoundsException.class, () -> column.isNull(5));
      assertThrows(IndexOutOfBoundsException.class, () -> column.get(-1));
    }
  }

  @Test
  void primitiveAccessorsReadWithoutBoxing() {
    Int64Column longs = (Int64Column) withNulls(FIELDS.get(4));
    assertEquals(Long.MAX_VALUE, longs.getLong(4));
    assertEquals(2, longs.nullCount());
    Int64Column times = (Int64Column) withNulls(FIELDS.get(8));
    assertEquals(DataType.TIMESTAMP, times.type());
    HeapVectorColumn vectors = (HeapVectorColumn) withNulls(FIELDS.get(9));
    assertEquals(3, vectors.dimension());
    assertEquals(15, vectors.flat().length);
    assertTrue(Float.isNaN(vectors.flat()[3]));
    assertThrows(IllegalArgumentException.class,
        () -> new Int64Column(DataType.INT32, new long[1], new java.util.BitSet()));
  }

  @Test
  void float16VectorsAreRoundedToFloat16AsTheyEnterAndKeepTheirType() {
    FieldSchema half = FIELDS.get(10);
    float[] given = {0.1f, 1 / 3f, 70000f};
    // The nearest float16 values (0.1 and 1/3 are not binary fractions; 70000 is past float16's
    // largest finite value, 65504).
    float[] rounded = {Float.float16ToFloat((short) 0x2E66), Float.float16ToFloat((short) 0x3555),
        Float.POSITIVE_INFINITY};
    Column appended = ColumnBuilder.of(half, given, null);
    assertEquals(DataType.FLOAT16_VECTOR, appended.type());
    assertArrayEquals(rounded, (float[]) appended.get(0));
    assertTrue(appended.isNull(1));

    float[] part = given.clone();
    Column concatenated = ColumnBuilder.concat(half,
        List.of(new HeapVectorColumn(half.type(), 3, part), appended));
    assertArrayEquals(rounded, (float[]) concatenated.get(0), "a column appended is rounded too");
    assertArrayEquals(given, part, "the part's own array is left as it was");
    assertArrayEquals(rounded, (float[]) concatenated.get(1));
    assertTrue(concatenated.isNull(2));
    assertEquals(DataType.FLOAT16_VECTOR, concatenated.select(new int[] {1}).type());

    assertArrayEquals(given, (float[]) ColumnBuilder.of(FIELDS.get(9), given).get(0),
        "FLOAT_VECTOR keeps float32");
    assertThrows(IllegalArgumentException.class, () -> ColumnBuilder.concat(half,
        List.of(new HeapVectorColumn(3, given.clone()))), "a FLOAT_VECTOR column is another type");
  }

  @Test
  void wrongTypeFailsNamingColumnAndRow() {
    ColumnBuilder builder = new ColumnBuilder(FIELDS.get(4), 4);
    builder.append(1L).append(2L);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.append(3));
    assertEquals("column big row 2 must be a Long, got Integer 3", e.getMessage());
    assertEquals(2, builder.size());
  }

  @Test
  void nullInNotNullColumnFailsNamingColumnAndRow() {
    ColumnBuilder builder =
        new ColumnBuilder(new FieldSchema(1, "id", DataType.INT64, 0, false, true), 2);
    builder.append(7L);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.append(null));
    assertEquals("column id is not nullable but row 1 is null", e.getMessage());
    ColumnBuilder vectors =
        new ColumnBuilder(new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false), 2);
    e = assertThrows(IllegalArgumentException.class, vectors::appendNull);
    assertEquals("column v is not nullable but row 0 is null", e.getMessage());
  }

  @Test
  void vectorOfWrongLengthFails() {
    ColumnBuilder builder = new ColumnBuilder(FIELDS.get(9), 2);
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> builder.append(new float[] {1, 2}));
    assertEquals("column v row 0 must be a vector of 3 floats, got 2", e.getMessage());
  }

  @Test
  void growsPastItsFirstCapacity() {
    ColumnBuilder builder = new ColumnBuilder(FIELDS.get(7), 0);
    for (int i = 0; i < 1000; i++) {
      builder.append(i % 3 == 0 ? null : "s" + i);
    }
    Column column = builder.build();
    assertEquals(1000, column.size());
    assertNull(column.get(999));
    assertEquals("s998", column.get(998));
    assertThrows(IllegalStateException.class, builder::build);
  }

  @Test
  void selectKeepsValuesAndNullsOfTheChosenRows() {
    int[] rows = {4, 1, 0, 0};
    for (FieldSchema field : FIELDS) {
      Column column = withNulls(field);
      Column picked = column.select(rows);
      assertEquals(rows.length, picked.size(), field.name());
      for (int i = 0; i < rows.length; i++) {
        assertEquals(column.isNull(rows[i]), picked.isNull(i), field.name());
        assertValue(column.get(rows[i]), picked.get(i));
      }
    }
  }

  @Test
  void concatAppendsPartsInOrder() {
    for (FieldSchema field : FIELDS) {
      Column a = withNulls(field);
      Column empty = new ColumnBuilder(field, 0).build();
      Column b = a.select(new int[] {2, 1});
      Column all = ColumnBuilder.concat(field, List.of(a, empty, b));
      assertEquals(7, all.size(), field.name());
      List<Object> expected = new ArrayList<>();
      for (Column part : List.of(a, b)) {
        for (int r = 0; r < part.size(); r++) {
          expected.add(part.get(r));
        }
      }
      for (int r = 0; r < 7; r++) {
        assertEquals(expected.get(r) == null, all.isNull(r), field.name() + " row " + r);
        assertValue(expected.get(r), all.get(r));
      }
    }
  }

  @Test
  void concatChecksTypeDimensionAndNullability() {
    FieldSchema notNull = new FieldSchema(5, "big", DataType.INT64, 0, false, false);
    Column withNull = withNulls(FIELDS.get(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ColumnBuilder.concat(notNull, List.of(withNull.select(new int[] {0}), withNull)));
    assertEquals("column big is not nullable but row 2 is null", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ColumnBuilder.concat(FIELDS.get(3), List.of(withNull)));
    FieldSchema wide = new FieldSchema(10, "v", DataType.FLOAT_VECTOR, 4, true, false);
    assertThrows(IllegalArgumentException.class,
        () -> ColumnBuilder.concat(wide, List.of(withNulls(FIELDS.get(9)))));
  }

  @Test
  void bitStringsArePackedBytesWithANullBitmap() {
    BinaryVectorColumn bits = (BinaryVectorColumn) withNulls(FIELDS.get(11));
    assertEquals(11, bits.bits());
    assertEquals(2, bits.bytesPerRow());
    // A NULL row is marked in the bitmap, not by a pattern: its bytes are zero, as values' can be.
    assertTrue(bits.isNull(1));
    assertTrue(!bits.isNull(2));
    assertArrayEquals(new byte[] {0, 0}, bits.get(2));
    byte[] out = new byte[4];
    bits.copyRow(4, out, 2);
    assertArrayEquals(new byte[] {0, 0, (byte) 0xFF, (byte) 0b1110_0000}, out);
    // get copies: changing what it returned changes nothing.
    bits.get(0)[0] = 0;
    assertArrayEquals(new byte[] {(byte) 0b1010_0000, (byte) 0b1110_0000}, bits.get(0));
  }

  @Test
  void sparseVectorsAreFlatArraysWithANullBitmap() {
    SparseVectorColumn sparse = (SparseVectorColumn) withNulls(FIELDS.get(12));
    assertEquals(5, sparse.dimension());
    assertEquals(3, sparse.totalNonZeros());
    assertEquals(2, sparse.nonZeros(0));
    assertEquals(0, sparse.nonZeros(1));
    assertTrue(sparse.isNull(1));
    assertTrue(!sparse.isNull(2));
    assertEquals(new SparseVector(5, new int[] {2}, new float[] {Float.MAX_VALUE}),
        sparse.select(new int[] {4, 1}).get(0));
    assertTrue(sparse.select(new int[] {4, 1}).isNull(1));
    // get copies: changing what it returned changes nothing.
    sparse.get(0).values()[0] = 9;
    assertEquals(1.5f, sparse.get(0).values()[0]);
  }

  @Test
  void sparseVectorOfAnotherDimensionOrBrokenRulesFails() {
    ColumnBuilder builder = new ColumnBuilder(FIELDS.get(12), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder.append(new SparseVector(6, new int[] {5}, new float[] {1})));
    assertEquals("column sparse row 0 must be a sparse vector of 5 dimensions, got 6",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.append(new float[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new SparseVector(5, new int[] {3, 1}, new float[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> new SparseVector(5, new int[] {5}, new float[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new SparseVector(5, new int[] {1}, new float[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> new SparseVector(5, new int[] {1}, new float[] {Float.NaN}));
    assertThrows(IllegalArgumentException.class, () -> new SparseVectorColumn(5,
        new int[] {0, 1}, new int[] {7}, new float[] {1}, new java.util.BitSet()));
    FieldSchema wider = new FieldSchema(13, "sparse", DataType.SPARSE_FLOAT_VECTOR, 6, true, false);
    assertThrows(IllegalArgumentException.class,
        () -> ColumnBuilder.concat(wider, List.of(withNulls(FIELDS.get(12)))));
    assertThrows(IllegalArgumentException.class, () -> new FieldSchema(1, "s",
        DataType.SPARSE_FLOAT_VECTOR, 1_000_000_001, true, false));
  }

  @Test
  void bitStringOfWrongLengthOrWithPadBitsFails() {
    ColumnBuilder builder = new ColumnBuilder(FIELDS.get(11), 2);
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> builder.append(new byte[] {1}));
    assertEquals("column bits row 0 must be a bit string of 11 bits in 2 bytes, got 1 bytes",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> builder.append(new byte[] {0, 0b0001_0000}));
    assertEquals("column bits row 0 must be a bit string of 11 bits in 2 bytes, got 2 bytes "
        + "with bits set past its length", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.append(new float[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new BinaryVectorColumn(11, new byte[3], new java.util.BitSet()));
    FieldSchema longer = new FieldSchema(11, "bits", DataType.BINARY_VECTOR, 12, true, false);
    assertThrows(IllegalArgumentException.class,
        () -> ColumnBuilder.concat(longer, List.of(withNulls(FIELDS.get(11)))));
    assertThrows(IllegalArgumentException.class,
        () -> new FieldSchema(1, "b", DataType.BINARY_VECTOR, 64001, true, false));
    assertEquals(64000,
        new FieldSchema(1, "b", DataType.BINARY_VECTOR, 64000, true, false).dimension());
  }
}
