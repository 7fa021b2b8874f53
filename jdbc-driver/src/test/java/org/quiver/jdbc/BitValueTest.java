package org.quiver.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitValueTest {

  private static BitValue b(String text) {
    return BitValue.parse(text);
  }

  @Test
  void textRoundTripsThroughBitsPackedMostSignificantFirst() {
    BitValue v = b("10100000111");
    assertEquals(11, v.length());
    assertArrayEquals(new byte[] {(byte) 0b1010_0000, (byte) 0b1110_0000}, v.toByteArray());
    assertEquals("10100000111", v.toString());
    assertTrue(v.get(0));
    assertFalse(v.get(1));
    assertTrue(v.get(10));
    assertThrows(IndexOutOfBoundsException.class, () -> v.get(11));
    assertEquals(5, v.bitCount());
    assertEquals(v, BitValue.of(11, new byte[] {(byte) 0xA0, (byte) 0xE0}));
    assertEquals("1", b(" 1 ").toString());
  }

  @Test
  void ordersAsPostgresqlByteByByteThenShorterFirst() {
    List<BitValue> values = new ArrayList<>(List.of(b("11"), b("10"), b("1"), b("0111"),
        b("100"), b("0")));
    Collections.sort(values);
    assertEquals(List.of(b("0"), b("0111"), b("1"), b("10"), b("100"), b("11")), values);
  }

  @Test
  void equalValuesAreEqualAndHashAlikeAndLengthCounts() {
    assertEquals(b("101"), b("101"));
    assertEquals(b("101").hashCode(), b("101").hashCode());
    assertEquals(0, b("101").compareTo(b("101")));
    // Same bytes, different lengths: not equal.
    assertNotEquals(b("10"), b("100"));
    assertTrue(b("10").compareTo(b("100")) < 0);
  }

  @Test
  void badTextAndBadBytesFailNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b("10a1"));
    assertEquals("invalid bit string '10a1': \"a\" is not a valid binary digit", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b(""));
    assertEquals("invalid bit string '': a bit string has at least one bit", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b("1".repeat(64001)));
    assertEquals(64000, b("1".repeat(64000)).length());
    assertThrows(IllegalArgumentException.class, () -> BitValue.of(3, new byte[] {0x10}));
    assertThrows(IllegalArgumentException.class, () -> BitValue.of(9, new byte[] {0}));
    assertThrows(IllegalArgumentException.class, () -> BitValue.of(0, new byte[0]));
  }

  @Test
  void convertsToAndFromBitSets() {
    BitSet set = new BitSet();
    set.set(0);
    set.set(2);
    set.set(9);
    BitValue v = BitValue.fromBitSet(set, 5);
    assertEquals("10100", v.toString());
    BitSet back = v.toBitSet();
    set.clear(9);
    assertEquals(set, back);
  }

  @Test
  void ofCopiesWhatItIsGiven() {
    byte[] bytes = {(byte) 0x80};
    BitValue v = BitValue.of(1, bytes);
    bytes[0] = 0;
    assertEquals("1", v.toString());
    v.toByteArray()[0] = 0;
    assertEquals("1", v.toString());
  }
}
