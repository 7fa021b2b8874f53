package org.quiver.engine.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.ReplaceTableRequest;
import org.quiver.engine.api.request.StageReplacementRequest;
import org.quiver.fixtures.Batches;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * A replaced table is read whole: once the new table has the name, a read at any consistency level
 * sees every row it was filled with, even when the query node has not yet applied them on its own
 * (time ticks paused), never an empty or partial table.
 */
class ReplaceVisibilityTest {
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  @TempDir
  Path dir;

  private static ColumnBatch rows(long first, int n) {
    Object[] ids = new Object[n];
    float[] vectors = new float[2 * n];
    for (int i = 0; i < n; i++) {
      ids[i] = first + i;
      vectors[2 * i] = i;
    }
    return Batches.of(SCHEMA, n, List.of(ids, vectors));
  }

  private static int count(Quiver engine, ConsistencyLevel level) {
    return engine.query(new QueryRequest("t", null, List.of("id"), 100),
        new ReadOptions(level, 0, 60_000, -1)).rows().size();
  }

  @Test
  void aReadRightAfterTheSwapSeesEveryRowOfTheNewTableAtEveryLevel() {
    try (Quiver engine = Quiver.open(QuiverConfig.at(dir))) {
      engine.createTable(new CreateTableRequest("t", SCHEMA, false, 1, ConsistencyLevel.BOUNDED));
      engine.insert(new InsertRequest("t", rows(1, 3), null));
      assertEquals(3, count(engine, ConsistencyLevel.STRONG));

      engine.proxy().pauseTimeTicks(true);
      String staging = engine.stageReplacement(
          new StageReplacementRequest("t", SCHEMA, 1, ConsistencyLevel.BOUNDED));
      engine.insert(new InsertRequest(staging, rows(10, 5), null));
      engine.replaceTable(new ReplaceTableRequest("t", staging));
      for (ConsistencyLevel level : ConsistencyLevel.values()) {
        assertEquals(5, count(engine, level), level + " read after the swap");
      }
    }
  }
}
