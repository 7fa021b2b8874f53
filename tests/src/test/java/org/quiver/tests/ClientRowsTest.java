package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.schema.ClientRows;
import org.quiver.storage.column.Int16Column;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/** The one conversion of client rows into column batches (INSERT, JDBC batches, COPY). */
class ClientRowsTest {
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "n", DataType.INT16, 0, false, false),
      new FieldSchema(2, "s", DataType.VARCHAR, 3, true, false),
      new FieldSchema(3, "v", DataType.FLOAT_VECTOR, 2, true, false),
      FieldSchema.rowId(4)));

  @Test
  void valuesAreConvertedIntoTypedColumnsByName() {
    ClientRows rows = ClientRows.named(SCHEMA, List.of("v", "n"), 2);
    rows.add(new Object[] {"[1, 2]", new BigDecimal("7")});
    rows.add(new Object[] {null, 8});
    ColumnBatch batch = rows.drain();
    assertEquals(2, batch.rowCount());
    assertEquals((short) 7, ((Int16Column) batch.column(0)).getShort(0));
    assertEquals((short) 8, batch.value(0, 1));
    assertNull(batch.value(1, 1), "a column the rows do not name is NULL");
    assertArrayEquals(new float[] {1, 2}, (float[]) batch.value(2, 0));
    assertTrue(batch.column(2).isNull(1));
    assertNull(batch.value(3, 0), "the engine assigns the hidden row id");
    assertEquals(0, rows.rowCount(), "a drain starts a new batch");
  }

  @Test
  void aBadValueFailsWithItsSqlstateAndAddsNothing() {
    ClientRows rows = ClientRows.inTableOrder(SCHEMA, 2);
    rows.add(new Object[] {1, "ok", null, null});
    QuiverException range = assertThrows(QuiverException.class,
        () -> rows.add(new Object[] {40_000, "ok", null, null}));
    assertEquals(ErrorCode.NUMERIC_OUT_OF_RANGE, range.code());
    assertTrue(range.getMessage().contains("40000"), range.getMessage());
    QuiverException length = assertThrows(QuiverException.class,
        () -> rows.add(new Object[] {2, "long", null, null}));
    assertEquals(ErrorCode.STRING_TOO_LONG, length.code());
    assertEquals(1, rows.rowCount());
    assertEquals(1, rows.drain().rowCount());
  }

  @Test
  void notNullIsLeftToTheEngine() {
    ColumnBatch batch = ClientRows.batchInTableOrder(SCHEMA,
        List.<Object[]>of(new Object[] {null, null, null, null}));
    assertTrue(batch.column(0).isNull(0));
  }
}
