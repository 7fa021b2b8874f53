package org.quiver.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.sql.Types;
import org.junit.jupiter.api.Test;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.jdbc.VectorValue;
import org.quiver.jdbc.internal.VectorBytes.Kind;

/**
 * The byte layouts of vector values on the remote wire, and the checks on bytes that do not hold
 * a value. The float16 conversion, written for Java 17, is compared with the JDK's own (these
 * tests compile for a newer release than the driver).
 */
class VectorBytesTest {
  @Test
  void float16ToFloatAgreesWithTheJdkForEveryHalf() {
    for (int h = 0; h < 1 << 16; h++) {
      short half = (short) h;
      float expected = Float.float16ToFloat(half);
      float actual = VectorBytes.fromHalf(half);
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
          "half 0x" + Integer.toHexString(h));
      if (!Float.isNaN(actual)) {
        assertEquals(half, VectorBytes.toHalf(actual), "half 0x" + Integer.toHexString(h));
      }
    }
  }

  @Test
  void floatToFloat16AgreesWithTheJdk() {
    // Every tie and its neighbours (where rounding can go wrong), then a spread of all floats.
    for (int h = 0; h < 0x7c00; h++) {
      float low = Float.float16ToFloat((short) h);
      float high = Float.float16ToFloat((short) (h + 1));
      float middle = low + (high - low) / 2;
      for (float x : new float[] {middle, Math.nextDown(middle), Math.nextUp(middle), low}) {
        assertSameHalf(x);
        assertSameHalf(-x);
      }
    }
    for (long bits = 0; bits <= 0xffff_ffffL; bits += 4099) {
      assertSameHalf(Float.intBitsToFloat((int) bits));
    }
    assertSameHalf(65504f);
    assertSameHalf(65519.996f);
    assertSameHalf(65520f);
    assertSameHalf(Float.MAX_VALUE);
    assertSameHalf(Float.NEGATIVE_INFINITY);
    assertSameHalf(Float.MIN_VALUE);
    assertTrue(Float.isNaN(VectorBytes.fromHalf(VectorBytes.toHalf(Float.NaN))));
    assertTrue(Float.isNaN(VectorBytes.fromHalf(VectorBytes.toHalf(
        Float.intBitsToFloat(0x7f80_0001)))), "a payload below float16's bits stays a NaN");
  }

  private static void assertSameHalf(float x) {
    if (!Float.isNaN(x)) {
      assertEquals(Float.floatToFloat16(x), VectorBytes.toHalf(x), "float " + x + " (0x"
          + Integer.toHexString(Float.floatToRawIntBits(x)) + ")");
    }
  }

  @Test
  void halfvecIsTwoLittleEndianBytesAnElement() throws SQLException {
    float[] v = {1.0f, -0.0f, 0x1p-24f, 65504f};
    byte[] bytes = Kind.HALFVEC.encode(v);
    assertArrayEquals(new byte[] {0x00, 0x3c, 0x00, (byte) 0x80, 0x01, 0x00, (byte) 0xff, 0x7b},
        bytes);
    float[] back = assertInstanceOf(float[].class, Kind.HALFVEC.decode(bytes));
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]));
    }
    // Rounded as a halfvec cast rounds; 70000 has no float16, infinity has one (refused later).
    assertArrayEquals(new float[] {Float.float16ToFloat(Float.floatToFloat16(0.1f))},
        (float[]) Kind.HALFVEC.decode(Kind.HALFVEC.encode(new float[] {0.1f})));
    assertNull(Kind.HALFVEC.encode(new float[] {1, 70000}));
    assertEquals(4, Kind.HALFVEC.encode(new float[] {1, Float.POSITIVE_INFINITY}).length);
    assertState("22000", () -> Kind.HALFVEC.decode(new byte[3]));
  }

  @Test
  void vectorIsFourLittleEndianBytesAnElement() throws SQLException {
    byte[] bytes = Kind.VECTOR.encode(VectorValue.wrap(new float[] {1.0f, -2.5f}));
    assertArrayEquals(littleEndian(ByteBuffer.allocate(8).putFloat(1.0f).putFloat(-2.5f)),
        bytes);
    assertArrayEquals(new float[] {1.0f, -2.5f}, (float[]) Kind.VECTOR.decode(bytes));
    assertState("22000", () -> Kind.VECTOR.decode(new byte[7]));
  }

  @Test
  void bitStringIsItsLengthThenItsBitsMostSignificantFirst() throws SQLException {
    BitValue thirteen = BitValue.parse("1010000011001");
    byte[] bytes = Kind.BIT.encode(thirteen);
    assertArrayEquals(new byte[] {13, 0, 0, 0, (byte) 0b1010_0000, (byte) 0b1100_1000}, bytes);
    assertEquals(thirteen, Kind.BIT.decode(bytes));
    BitValue longest = BitValue.parse("1".repeat(BitValue.MAX_LENGTH));
    assertEquals(longest, Kind.BIT.decode(Kind.BIT.encode(longest)));

    assertState("22000", () -> Kind.BIT.decode(new byte[3]));
    assertState("22000", () -> Kind.BIT.decode(new byte[] {0, 0, 0, 0}));
    assertState("22000", () -> Kind.BIT.decode(new byte[] {-1, -1, -1, -1, 0}));
    assertState("22000", () -> Kind.BIT.decode(bits(BitValue.MAX_LENGTH + 1, 8001)));
    // 13 bits in 1 byte, 13 bits in 3 bytes: the count and the bytes disagree.
    assertState("22000", () -> Kind.BIT.decode(bits(13, 1)));
    assertState("22000", () -> Kind.BIT.decode(bits(13, 3)));
    // A bit set past the 13th.
    assertState("22000", () -> Kind.BIT.decode(new byte[] {13, 0, 0, 0, 0, 0x04}));
  }

  @Test
  void sparseVectorIsDimensionCountIndicesThenValues() throws SQLException {
    SparseVectorValue v = SparseVectorValue.of(1_000_000_000, new int[] {0, 999_999_999},
        new float[] {1.5f, -2f});
    byte[] bytes = Kind.SPARSEVEC.encode(v);
    assertArrayEquals(littleEndian(ByteBuffer.allocate(24).putInt(1_000_000_000).putInt(2)
        .putInt(0).putInt(999_999_999).putFloat(1.5f).putFloat(-2f)), bytes);
    assertEquals(v, Kind.SPARSEVEC.decode(bytes));
    SparseVectorValue empty = SparseVectorValue.parse("{}/5");
    assertArrayEquals(new byte[] {5, 0, 0, 0, 0, 0, 0, 0}, Kind.SPARSEVEC.encode(empty));
    assertEquals(empty, Kind.SPARSEVEC.decode(Kind.SPARSEVEC.encode(empty)));

    assertState("22000", () -> Kind.SPARSEVEC.decode(new byte[7]));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, -1)));
    assertState("54000", () -> Kind.SPARSEVEC.decode(sparse(20_000, 16_001)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(2, 3, 0, 1, 2, 1, 1, 1)));
    // The count announces two elements, the bytes hold one.
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, 2, 0, 1)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, 2, 3, 1, 1, 1)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, 2, 1, 1, 1, 1)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, 1, 5, 1)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, 1, -1, 1)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(5, 1, 0, 0)));
    assertState("22000", () -> Kind.SPARSEVEC.decode(sparse(0, 0)));
    assertState("54000", () -> Kind.SPARSEVEC.decode(sparse(1_000_000_001, 0)));
    byte[] nan = sparse(5, 1, 0, 1);
    ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(12, Float.NaN);
    assertState("22000", () -> Kind.SPARSEVEC.decode(nan));
  }

  @Test
  void kindsAreReadFromTypeNames() {
    assertEquals(Kind.VECTOR, Kind.of("VECTOR(3)"));
    assertEquals(Kind.HALFVEC, Kind.of("HALFVEC(4)"));
    assertEquals(Kind.HALFVEC, Kind.of("halfvec"));
    assertEquals(Kind.BIT, Kind.of("BIT(13)"));
    assertEquals(Kind.SPARSEVEC, Kind.of("SPARSEVEC(5)"));
    assertNull(Kind.of("VARCHAR"));
    assertNull(Kind.of(null));
  }

  @Test
  void parametersGoAsTheBytesOfTheirTypeElseAsText() {
    float[] v = {1, 2};
    assertEquals(4, ((byte[]) wire(v, "HALFVEC(2)")).length);
    assertEquals(8, ((byte[]) wire(v, "VECTOR(2)")).length);
    assertEquals(8, ((byte[]) VectorBytes.wireForm(v, "ANY", Types.OTHER)).length);
    assertEquals("[1.0,70000.0]", wire(new float[] {1, 70000}, "HALFVEC(2)"));
    BitValue bits = BitValue.parse("101");
    assertEquals(5, ((byte[]) wire(bits, "BIT(3)")).length);
    assertEquals("101", wire(bits, "VECTOR(3)"));
    assertEquals("101", VectorBytes.wireForm(bits, "VARCHAR", Types.VARCHAR));
    SparseVectorValue sparse = SparseVectorValue.parse("{1:1}/3");
    assertEquals(16, ((byte[]) wire(sparse, "SPARSEVEC(3)")).length);
    assertEquals("{1:1}/3", wire(sparse, "BIT(3)"));
    // A dense vector for a sparsevec is its non-zero elements, unless it has no sparsevec.
    assertArrayEquals(Kind.SPARSEVEC.encode(SparseVectorValue.parse("{2:2}/3")),
        (byte[]) wire(new float[] {0, 2, 0}, "SPARSEVEC(3)"));
    assertEquals("[1.0,NaN]", wire(new float[] {1, Float.NaN}, "SPARSEVEC(2)"));
    // A server that describes its vector parameters as text takes text.
    assertEquals("[1.0,2.0]", VectorBytes.wireForm(v, "VECTOR(2)", Types.VARCHAR));
    assertEquals("101", VectorBytes.wireForm(bits, "BIT(3)", Types.VARCHAR));
    String text = "[1,2]";
    assertSame(text, wire(text, "HALFVEC(2)"));
    assertNull(wire(null, "BIT(3)"));
  }

  /** The wire form of {@code value} for a parameter the server describes as BINARY. */
  private static Object wire(Object value, String typeName) {
    return VectorBytes.wireForm(value, typeName, Types.BINARY);
  }

  private interface Decoding {
    void run() throws SQLException;
  }

  private static void assertState(String sqlState, Decoding decoding) {
    SQLException e = assertThrows(SQLException.class, decoding::run);
    assertEquals(sqlState, e.getSQLState(), e.getMessage());
    // Quiver's code beside the state: the server passes such an error on as it is.
    assertEquals(sqlState.equals("22000") ? 2001 : 5005, e.getErrorCode(), e.getMessage());
  }

  /** A bit string's header giving {@code length} bits, then {@code bytes} zero bytes. */
  private static byte[] bits(int length, int bytes) {
    return ByteBuffer.allocate(4 + bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array();
  }

  /** A sparse vector's header, then the ints given: indices, then values as float bits of 1. */
  private static byte[] sparse(int dimension, int count, int... rest) {
    ByteBuffer b = ByteBuffer.allocate(8 + rest.length * 4).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(dimension).putInt(count);
    int indices = rest.length / 2;
    for (int i = 0; i < rest.length; i++) {
      if (i < indices) {
        b.putInt(rest[i]);
      } else {
        b.putFloat(rest[i]);
      }
    }
    return b.array();
  }

  /** The big-endian bytes written to {@code b}, each 4-byte number reversed to little-endian. */
  private static byte[] littleEndian(ByteBuffer b) {
    byte[] big = b.array();
    byte[] little = new byte[big.length];
    for (int i = 0; i < big.length; i += 4) {
      for (int j = 0; j < 4; j++) {
        little[i + j] = big[i + 3 - j];
      }
    }
    return little;
  }
}
