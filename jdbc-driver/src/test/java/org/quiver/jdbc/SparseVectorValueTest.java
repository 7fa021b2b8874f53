package org.quiver.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparseVectorValueTest {

  private static SparseVectorValue s(String text) {
    return SparseVectorValue.parse(text);
  }

  @Test
  void textRoundTripsAsPgvectorWritesIt() {
    SparseVectorValue v = s(" { 3 : 3.5 ,  1  :  1.5, 2:0  } / 5 ");
    assertEquals(5, v.dimension());
    assertArrayEquals(new int[] {0, 2}, v.indices());
    assertArrayEquals(new float[] {1.5f, 3.5f}, v.values());
    assertEquals("{1:1.5,3:3.5}/5", v.toString());
    assertArrayEquals(new float[] {1.5f, 0, 3.5f, 0, 0}, v.toDense());
    assertEquals("{1:2,3:4}/5", s("{1:2.,3:4.}/5").toString());
    assertEquals("{}/1", s("{ }/1").toString());
    assertEquals("{1:1.23456}/1", s("{1:1.23456}/1").toString());
    assertEquals("{1:1.5e+38,2:-1.5e-38}/2", s("{1:1.5e38,2:-1.5e-38}/2").toString());
    assertEquals("{1:100000,2:1e+06,3:0.0001,4:1e-05}/4",
        s("{1:100000,2:1000000,3:0.0001,4:0.00001}/4").toString());
    assertEquals(v, SparseVectorValue.fromDense(v.toDense()));
    assertEquals(v, SparseVectorValue.of(5, new int[] {0, 1, 2}, new float[] {1.5f, 0, 3.5f}));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|22P02", "'{'|22P02", "'{}'|22P02", "'{}/'|22P02", "'{}/1a'|22P02", "'{:}/1'|22P02",
      "'{,}/1'|22P02", "'{1,}/1'|22P02", "'{1:}/1'|22P02", "'{1a:1}/1'|22P02",
      "'{1:1,}/1'|22P02", "'{1:hello,2:1}/2'|22P02",
      "'{1:NaN,2:1}/2'|22000", "'{1:-Infinity}/2'|22000", "'{1:1,1:1}/2'|22000",
      "'{}/-1'|22000", "'{0:1}/1'|22000", "'{2:1}/1'|22000", "'{2147483648:1}/1'|22000",
      "'{1:4e38,2:1}/2'|22003", "'{1:-1e-46}/2'|22003",
      "'{}/1000000001'|54000", "'{}/9223372036854775808'|54000",
  })
  void badTextFailsWithPgvectorsSqlstateNamingTheText(String text, String sqlState) {
    SparseVectorValue.Invalid e =
        assertThrows(SparseVectorValue.Invalid.class, () -> s(text));
    assertEquals(sqlState, e.sqlState(), e.getMessage());
    if (sqlState.equals("22P02")) {
      assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }
  }

  @Test
  void zeroValuedElementsAreNotChecked() {
    assertEquals("{}/1", s("{5:0}/1").toString());
  }

  @Test
  void tooManyNonZerosIsALimit() {
    float[] dense = new float[16_001];
    java.util.Arrays.fill(dense, 1);
    assertEquals("54000", assertThrows(SparseVectorValue.Invalid.class,
        () -> SparseVectorValue.fromDense(dense)).sqlState());
  }

  @Test
  void ordersAsPgvector() {
    assertEquals(0, s("{1:1,2:2,3:3}/3").compareTo(s("{1:1,2:2,3:3}/3")));
    assertEquals(1, Integer.signum(s("{1:1,2:2,3:3}/3").compareTo(s("{}/3"))));
    assertEquals(-1, Integer.signum(s("{}/3").compareTo(s("{1:1,2:2,3:3}/3"))));
    assertEquals(-1, Integer.signum(s("{1:1,2:2}/2").compareTo(s("{1:1,2:2,3:3}/3"))));
    assertEquals(1, Integer.signum(s("{1:1,2:2,3:3}/3").compareTo(s("{1:1,2:2}/2"))));
    assertEquals(-1, Integer.signum(s("{1:1,2:2}/2").compareTo(s("{1:2,2:3,3:4}/3"))));
    assertEquals(1, Integer.signum(s("{1:2,2:3}/2").compareTo(s("{1:1,2:2,3:3}/3"))));
    assertEquals(-1, Integer.signum(s("{1:-1}/2").compareTo(s("{2:1}/2"))));
    List<SparseVectorValue> values = new ArrayList<>(List.of(s("{2:1}/2"), s("{1:-1}/2"),
        s("{}/2"), s("{1:1}/2"), s("{}/1")));
    Collections.sort(values);
    assertEquals("[{1:-1}/2, {}/1, {}/2, {2:1}/2, {1:1}/2]", values.toString());
    assertEquals(s("{1:1}/2").hashCode(), s("{1:1.0}/2").hashCode());
    assertNotEquals(s("{1:1}/2"), s("{1:1}/3"));
  }

  @Test
  void typeNames() {
    assertTrue(SparseVectorValue.isTypeName("SPARSEVEC"));
    assertTrue(SparseVectorValue.isTypeName("sparsevec(5)"));
    assertTrue(!SparseVectorValue.isTypeName("VECTOR(5)"));
  }
}
