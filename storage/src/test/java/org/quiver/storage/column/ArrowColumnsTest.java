package org.quiver.storage.column;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quiver.storage.column.ColumnBuilderTest.FIELDS;
import static org.quiver.storage.column.ColumnBuilderTest.assertValue;
import static org.quiver.storage.column.ColumnBuilderTest.withNulls;

import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

class ArrowColumnsTest {

  private static FieldVector vectorFor(FieldSchema f, boolean nullable, BufferAllocator allocator) {
    return ArrowColumns.field(f.name(), f.type(), f.dimension(), nullable, Map.of())
        .createVector(allocator);
  }

  @Test
  void everyTypeRoundTripsWithItsNulls() {
    try (BufferAllocator allocator = new RootAllocator()) {
      for (FieldSchema f : FIELDS) {
        Column column = withNulls(f);
        try (FieldVector v = vectorFor(f, true, allocator)) {
          ArrowColumns.allocate(v, column.size());
          ArrowColumns.write(column, 0, column.size(), v);
          assertEquals(column.size(), v.getValueCount(), f.name());
          assertEquals(2, v.getNullCount(), f.name());
          Column read = ArrowColumns.read(v, f);
          assertEquals(f.type(), read.type(), f.name());
          for (int r = 0; r < column.size(); r++) {
            assertEquals(column.isNull(r), v.isNull(r), f.name() + " row " + r);
            assertEquals(column.isNull(r), read.isNull(r), f.name() + " row " + r);
            assertValue(column.get(r), read.get(r));
          }
        }
      }
    }
  }

  @Test
  void aSliceGoesToRowZero() {
    try (BufferAllocator allocator = new RootAllocator()) {
      for (FieldSchema f : FIELDS) {
        Column column = withNulls(f);
        try (FieldVector v = vectorFor(f, true, allocator)) {
          ArrowColumns.allocate(v, 3);
          ArrowColumns.write(column, 2, 3, v);
          Column read = ArrowColumns.read(v, f);
          assertEquals(3, read.size(), f.name());
          for (int r = 0; r < 3; r++) {
            assertValue(column.get(2 + r), read.get(r));
          }
        }
      }
    }
  }

  @Test
  void aNullVectorKeepsItsNaNFloatsInTheDataBuffer() {
    FieldSchema f = FIELDS.get(9);
    try (BufferAllocator allocator = new RootAllocator();
        FixedSizeListVector v = (FixedSizeListVector) vectorFor(f, true, allocator)) {
      ArrowColumns.allocate(v, 5);
      ArrowColumns.write(withNulls(f), 0, 5, v);
      assertTrue(Float.isNaN(v.getDataVector().getDataBuffer().getFloat(3L * Float.BYTES)));
    }
  }

  @Test
  void float16VectorsAreHalfFloatsTwoBytesAnElementAndANullIsHalfNaN() {
    FieldSchema f = FIELDS.get(10);
    try (BufferAllocator allocator = new RootAllocator();
        FixedSizeListVector v = (FixedSizeListVector) vectorFor(f, true, allocator)) {
      assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.HALF),
          v.getField().getChildren().get(0).getType());
      assertFalse(ArrowColumns.matches(v.getField(), DataType.FLOAT_VECTOR, 3));
      assertTrue(ArrowColumns.matches(v.getField(), DataType.FLOAT16_VECTOR, 3));
      ArrowColumns.allocate(v, 5);
      ArrowColumns.write(withNulls(f), 0, 5, v);
      Float2Vector data = (Float2Vector) v.getDataVector();
      assertEquals(15, data.getValueCount());
      ArrowBuf bytes = data.getDataBuffer();
      // Row 0 is {1, 2, 3}, row 1 NULL: float16 1.0 is 0x3C00, and NaN is 0x7E00.
      assertEquals((short) 0x3C00, bytes.getShort(0));
      assertEquals((short) 0x4000, bytes.getShort(Short.BYTES));
      assertEquals((short) 0x7E00, bytes.getShort(3L * Short.BYTES));
      assertEquals((short) 0x7E00, bytes.getShort(5L * Short.BYTES));
      assertEquals((short) 0x3C00, data.get(0), "Arrow reads the element it wrote");
    }
  }

  @Test
  void nullIntoANotNullArrowFieldFailsNamingColumnAndRow() {
    FieldSchema f = new FieldSchema(1, "big", DataType.INT64, 0, false, false);
    Column column = ColumnBuilder.deferringNotNull(f, 2).append(5L).appendNull().build();
    try (BufferAllocator allocator = new RootAllocator();
        FieldVector v = vectorFor(f, false, allocator)) {
      ArrowColumns.allocate(v, 2);
      IllegalArgumentException e = assertThrows(
          IllegalArgumentException.class, () -> ArrowColumns.write(column, 0, 2, v));
      assertEquals("column big is not nullable but row 1 is null", e.getMessage());
    }
  }
}
