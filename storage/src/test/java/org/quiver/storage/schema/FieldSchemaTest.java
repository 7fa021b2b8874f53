package org.quiver.storage.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FieldSchemaTest {

  private static FieldSchema vector(DataType type, int dimension) {
    return new FieldSchema(1, "v", type, dimension, true, false);
  }

  @Test
  void float16VectorsHaveAtMostPgvectorsHalfvecDimensions() {
    assertEquals(16000, vector(DataType.FLOAT16_VECTOR, 16000).dimension());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vector(DataType.FLOAT16_VECTOR, 16001));
    assertEquals("FLOAT16_VECTOR dimension must be in [1, 16000], got 16001 for column v",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> vector(DataType.FLOAT16_VECTOR, 0));
  }

  @Test
  void floatVectorsKeepTheirOwnLimit() {
    assertEquals(32768, vector(DataType.FLOAT_VECTOR, 32768).dimension());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vector(DataType.FLOAT_VECTOR, 32769));
    assertEquals("FLOAT_VECTOR dimension must be in [1, 32768], got 32769 for column v",
        e.getMessage());
  }

  @Test
  void elementBytesAreThoseFilesAndTheLogStore() {
    assertEquals(4, DataType.FLOAT_VECTOR.elementBytes());
    assertEquals(2, DataType.FLOAT16_VECTOR.elementBytes());
    assertEquals(0, DataType.INT64.elementBytes());
  }
}
