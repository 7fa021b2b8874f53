package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.SparseVector;

/** Rows through real Arrow IPC bytes, as Flight sends them: what is read is what was written. */
class ResultBatchesTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  /** Row {@code r} of the every-type table; {@code r % 3 == 1} is NULL in every nullable column. */
  static Object[] row(int r) {
    if (r % 3 == 1) {
      Object[] nulls = new Object[Samples.EVERY_TYPE.size()];
      nulls[0] = "key-" + r;
      return nulls;
    }
    boolean odd = r % 2 == 1;
    return new Object[] {
        "key-" + r, odd, (byte) (r - 128), (short) (r * 100 - 30_000), r * 1_000_003,
        (long) r << 40 | r, r + 0.25f, odd ? Double.NaN : -r / 3.0, "välue " + r,
        1_700_000_000_000L + r,
        // 12 bits: the low four bits of the second byte stay zero.
        new byte[] {(byte) r, (byte) (r << 4)},
        new float[] {r, -r, r / 7f},
        // Values float16 holds exactly.
        new float[] {r, 0.5f, -2f, 1024f},
        new SparseVector(1000, new int[] {r % 999, 999}, new float[] {r + 1f, -0.5f})};
  }

  static ResultRows rows(CollectionSchema schema, List<String> fields, int from, int count,
      boolean distances) {
    List<Column> columns = new ArrayList<>();
    for (String name : fields) {
      FieldSchema field = schema.field(name).orElseThrow();
      ColumnBuilder builder = new ColumnBuilder(field, count);
      for (int r = from; r < from + count; r++) {
        builder.append(row(r)[schema.indexOf(name)]);
      }
      columns.add(builder.build());
    }
    double[] d = null;
    if (distances) {
      d = new double[count];
      for (int i = 0; i < count; i++) {
        d[i] = i == 1 ? Double.NaN : i * 0.5;
      }
    }
    return new ResultRows(fields, columns, count, d);
  }

  static void assertSameRows(ResultRows expected, ResultRows actual) {
    assertEquals(expected.fields(), actual.fields());
    assertEquals(expected.rowCount(), actual.rowCount());
    for (int c = 0; c < expected.columns().size(); c++) {
      Column e = expected.columns().get(c);
      Column a = actual.columns().get(c);
      assertEquals(e.type(), a.type(), expected.fields().get(c));
      for (int r = 0; r < expected.rowCount(); r++) {
        assertEquals(e.isNull(r), a.isNull(r), expected.fields().get(c) + " row " + r);
        assertTrue(Objects.deepEquals(e.get(r), a.get(r)), expected.fields().get(c) + " row "
            + r + ": " + e.get(r) + " came back as " + a.get(r));
      }
    }
    if (expected.distances() == null) {
      assertNull(actual.distances());
    } else {
      assertArrayEquals(expected.distances(), actual.distances());
    }
  }

  /** Writes each result as a batch of one stream, then reads the stream back. */
  private List<ResultRows> viaIpc(CollectionSchema schema, List<String> fields, boolean distances,
      List<ResultRows> results) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = ResultBatches.root(allocator, schema, fields, distances);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, bytes)) {
      writer.start();
      for (ResultRows rows : results) {
        ResultBatches.write(rows, root);
        writer.writeBatch();
      }
      writer.end();
    }
    List<ResultRows> back = new ArrayList<>();
    try (ArrowStreamReader reader = new ArrowStreamReader(
        new ByteArrayInputStream(bytes.toByteArray()), allocator)) {
      while (reader.loadNextBatch()) {
        back.add(ResultBatches.read(reader.getVectorSchemaRoot(), schema));
      }
    }
    return back;
  }

  private static List<String> allFields() {
    return Samples.EVERY_TYPE.fields().stream().map(FieldSchema::name).toList();
  }

  @Test
  void everyTypeWithNullsAndDistances() throws IOException {
    ResultRows rows = rows(Samples.EVERY_TYPE, allFields(), 0, 7, true);
    List<ResultRows> back = viaIpc(Samples.EVERY_TYPE, allFields(), true, List.of(rows));
    assertEquals(1, back.size());
    assertSameRows(rows, back.get(0));
  }

  @Test
  void everyTypeWithoutDistances() throws IOException {
    ResultRows rows = rows(Samples.EVERY_TYPE, allFields(), 3, 5, false);
    assertSameRows(rows, viaIpc(Samples.EVERY_TYPE, allFields(), false, List.of(rows)).get(0));
  }

  @Test
  void emptyResultsStayEmptyBatches() throws IOException {
    ResultRows none = rows(Samples.EVERY_TYPE, allFields(), 0, 0, true);
    ResultRows some = rows(Samples.EVERY_TYPE, allFields(), 0, 2, true);
    List<ResultRows> back = viaIpc(Samples.EVERY_TYPE, allFields(), true,
        List.of(none, some, none));
    assertEquals(3, back.size());
    assertSameRows(none, back.get(0));
    assertSameRows(some, back.get(1));
    assertSameRows(none, back.get(2));
    ResultRows noFields = new ResultRows(List.of(), List.of(), 0, null);
    assertSameRows(noFields, viaIpc(Samples.EVERY_TYPE, List.of(), false, List.of(noFields))
        .get(0));
  }

  @Test
  void aReusedBatchCarriesNothingOfThePreviousRows() throws IOException {
    // More rows and no NULLs first, then fewer rows whose NULLs must not be taken for values.
    ResultRows many = rows(Samples.EVERY_TYPE, allFields(), 0, 1, false);
    ResultRows many2 = rows(Samples.EVERY_TYPE, allFields(), 2, 40, false);
    ResultRows fewWithNulls = rows(Samples.EVERY_TYPE, allFields(), 1, 3, false);
    List<ResultRows> results = List.of(many, many2, fewWithNulls, many);
    List<ResultRows> back = viaIpc(Samples.EVERY_TYPE, allFields(), false, results);
    assertEquals(results.size(), back.size());
    for (int i = 0; i < results.size(); i++) {
      assertSameRows(results.get(i), back.get(i));
    }
  }

  @Test
  void outputFieldsInAnyOrderAndTwice() throws IOException {
    List<String> fields = List.of("v", "pk", "i32", "i32", "sp");
    ResultRows rows = rows(Samples.EVERY_TYPE, fields, 0, 4, true);
    assertSameRows(rows, viaIpc(Samples.EVERY_TYPE, fields, true, List.of(rows)).get(0));
    List<String> hidden = List.of("_row_id", "v");
    CollectionSchema schema = Samples.HIDDEN_KEY.schema();
    ResultRows keys = new ResultRows(hidden, List.of(
        ColumnBuilder.of(schema.fields().get(1), 5L, 6L),
        ColumnBuilder.of(schema.fields().get(0), new float[] {1, 2}, new float[] {3, 4})), 2,
        null);
    assertSameRows(keys, viaIpc(schema, hidden, false, List.of(keys)).get(0));
  }

  @Test
  void aFieldTheTableDoesNotHaveIsNamed() {
    QuiverException e = assertThrows(QuiverException.class,
        () -> ResultBatches.schema(Samples.EVERY_TYPE, List.of("pk", "nope"), false));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, e.code());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }
}
