package org.quiver.engine.querycoord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

class ResultMergeTest {
  private static final FieldSchema ID = new FieldSchema(1, "id", DataType.INT64, 0, false, true);
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(ID,
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));
  private static final long G = ResultRows.GROWING;

  /** Rows of ids, with distances (or null) and sources. */
  private static ResultRows rows(long[] ids, double[] distances, long[] sources) {
    Object[] boxed = new Object[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boxed[i] = ids[i];
    }
    return new ResultRows(List.of("id"), List.of(ColumnBuilder.of(ID, boxed)), ids.length,
        distances, sources);
  }

  private static long[] ids(ResultRows rows) {
    long[] out = new long[rows.rowCount()];
    for (int r = 0; r < out.length; r++) {
      out[r] = (Long) rows.value(0, r);
    }
    return out;
  }

  @Test
  void searchesMergeByDistanceThenByTheSegmentAsOneProcessRanksTies() {
    // Node A holds segments 3 and 9, node B segment 5 and the growing rows.
    ResultRows a = rows(new long[] {30, 90, 31, 91}, new double[] {0.5, 1.0, 2.0, Double.NaN},
        new long[] {3, 9, 3, 9});
    ResultRows b = rows(new long[] {50, 70, 51}, new double[] {1.0, 1.0, 2.0},
        new long[] {5, G, 5});
    ResultRows merged = ResultMerge.nearest(List.of(a, b), SCHEMA, 6, 0);
    assertArrayEquals(new long[] {30, 50, 90, 70, 31, 51}, ids(merged),
        "ties go to the lower segment, growing rows last; a NULL vector after every distance");
    assertArrayEquals(new double[] {0.5, 1.0, 1.0, 1.0, 2.0, 2.0}, merged.distances());
    assertArrayEquals(new long[] {3, 5, 9, G, 3, 5}, merged.sources());

    ResultRows page = ResultMerge.nearest(List.of(a, b), SCHEMA, 2, 3);
    assertArrayEquals(new long[] {70, 31}, ids(page), "the offset is skipped after the merge");
    assertArrayEquals(new long[] {91}, ids(ResultMerge.nearest(
        List.of(rows(new long[] {91}, new double[] {Double.NaN}, new long[] {9}),
            rows(new long[0], new double[0], new long[0])), SCHEMA, 5, 0)));
  }

  @Test
  void queriesMergeBySegmentThenGrowingUpToTheLimit() {
    ResultRows a = rows(new long[] {1, 2, 7}, null, new long[] {3, 3, 9});
    ResultRows b = rows(new long[] {4, 5, 8}, null, new long[] {5, 5, G});
    assertArrayEquals(new long[] {1, 2, 4, 5, 7, 8}, ids(ResultMerge.rows(List.of(a, b), SCHEMA,
        -1)));
    assertArrayEquals(new long[] {1, 2, 4, 5}, ids(ResultMerge.rows(List.of(a, b), SCHEMA, 4)));
    assertEquals(0, ResultMerge.rows(List.of(rows(new long[0], null, new long[0]),
        rows(new long[0], null, new long[0])), SCHEMA, -1).rowCount());
  }

  @Test
  void scansMergeChunkByChunkAndCloseEveryNodesScan() {
    List<Boolean> closed = new ArrayList<>();
    RowStream a = stream(closed, rows(new long[] {1, 2}, null, new long[] {3, 3}),
        rows(new long[] {7}, null, new long[] {9}));
    RowStream b = stream(closed, rows(new long[0], null, new long[0]),
        rows(new long[] {4, 5, 6}, null, new long[] {5, 5, 5}),
        rows(new long[] {8}, null, new long[] {G}));
    List<Long> seen = new ArrayList<>();
    try (RowStream merged = ResultMerge.stream(List.of(a, b), SCHEMA, 2, 7)) {
      while (merged.hasNext()) {
        ResultRows chunk = merged.next();
        assertTrue(chunk.rowCount() <= 2, "a chunk holds at most chunkRows rows");
        for (long id : ids(chunk)) {
          seen.add(id);
        }
      }
    }
    assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L), seen);
    assertEquals(List.of(true, true), closed);

    closed.clear();
    RowStream c = stream(closed, rows(new long[] {1, 2}, null, new long[] {3, 3}));
    RowStream d = stream(closed, rows(new long[] {4}, null, new long[] {5}));
    try (RowStream merged = ResultMerge.stream(List.of(c, d), SCHEMA, 10, 3)) {
      assertArrayEquals(new long[] {1, 2, 4}, ids(merged.next()));
      assertTrue(!merged.hasNext(), "the limit ends the scan");
    }
  }

  private static RowStream stream(List<Boolean> closed, ResultRows... chunks) {
    Iterator<ResultRows> it = List.of(chunks).iterator();
    return new RowStream() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ResultRows next() {
        return it.next();
      }

      @Override
      public void close() {
        closed.add(true);
      }
    };
  }
}
