package org.quiver.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorValueTest {

  private static VectorValue v(float... elements) {
    return VectorValue.wrap(elements);
  }

  @Test
  void ordersElementByElementThenShorterFirst() {
    List<VectorValue> values = new ArrayList<>(List.of(v(10, 0), v(1, 2, 0), v(9, 0), v(1, 2),
        v(-1, 5)));
    Collections.sort(values);
    assertEquals(List.of(v(-1, 5), v(1, 2), v(1, 2, 0), v(9, 0), v(10, 0)), values);
  }

  @Test
  void equalValuesCompareEqualAndHashAlike() {
    VectorValue a = v(1, 2);
    VectorValue b = VectorValue.parse("[ 1.0 , 2e0 ]");
    assertEquals(a, b);
    assertEquals(0, a.compareTo(b));
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, v(1, 2, 0));
    assertTrue(a.compareTo(v(1, 2, 0)) < 0);
  }

  @Test
  void negativeZeroEqualsZeroAndHashesAlikeButKeepsItsSign() {
    VectorValue negative = v(-0.0f, 1);
    VectorValue positive = v(0.0f, 1);
    assertEquals(0, negative.compareTo(positive));
    assertEquals(negative, positive);
    assertEquals(negative.hashCode(), positive.hashCode());
    assertEquals("[-0.0,1.0]", negative.toString());
    assertTrue(v(-1, 0).compareTo(negative) < 0);
  }

  @Test
  void wrapsWithoutCopyingAndPrintsPgvectorText() {
    float[] elements = {1.5f, -3f};
    VectorValue value = VectorValue.wrap(elements);
    assertSame(elements, value.elements());
    assertEquals(2, value.dimension());
    assertEquals("[1.5,-3.0]", value.toString());
  }

  @Test
  void parseRefusesWhatIsNotAVector() {
    assertThrows(IllegalArgumentException.class, () -> VectorValue.parse("[1,NaN]"));
    assertThrows(IllegalArgumentException.class, () -> VectorValue.parse("1,2"));
  }
}
