package org.quiver.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.CompactResult;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.request.CompactRequest;
import org.quiver.engine.api.request.CreateAliasRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.status.CheckReport;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.fixtures.Batches;
import org.quiver.storage.column.FloatVectorColumn;
import org.quiver.storage.column.Int64Column;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * The engine through its api alone, as the SQL door uses it: {@link Engine#open} finds this
 * process's engine as a service, and requests, views and the offline check answer with values.
 */
class EngineApiTest {
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  @TempDir
  Path dir;

  private static ColumnBatch rows(long first, float... vectors) {
    int n = vectors.length / 2;
    Object[] ids = new Object[n];
    for (int i = 0; i < n; i++) {
      ids[i] = first + i;
    }
    return Batches.of(SCHEMA, n, List.of(ids, vectors));
  }

  /**
   * Results are typed columns, one per output field in the request's order (what an Arrow record
   * batch holds), whether the rows come from a sealed segment read in place or from growing data;
   * a scan hands them over a chunk at a time.
   */
  @Test
  void resultsAreTypedColumnsAndScansComeInChunks() {
    try (Engine engine = Engine.open(QuiverConfig.at(dir))) {
      engine.createTable(new CreateTableRequest("t", SCHEMA, false, 1, ConsistencyLevel.STRONG));
      int sealed = 1500;
      int growing = 700;
      float[] vectors = new float[2 * sealed];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = i;
      }
      engine.insert(new InsertRequest("t", rows(0, vectors), null));
      engine.flush(new FlushRequest("t"));
      engine.insert(new InsertRequest("t", rows(sealed, new float[2 * growing]), null));

      ResultRows nearest = engine.search(new SearchRequest("t", "v", new float[] {20, 21},
          IndexMetric.L2, 3, 0, null, List.of("v", "id")), ReadOptions.DEFAULT);
      assertEquals(List.of("v", "id"), nearest.fields());
      assertEquals(3, nearest.rowCount());
      Int64Column ids = assertInstanceOf(Int64Column.class, nearest.columns().get(1));
      assertEquals(10, ids.getLong(0), "(20, 21) is row 10's vector");
      FloatVectorColumn v = assertInstanceOf(FloatVectorColumn.class, nearest.columns().get(0));
      assertArrayEquals(new float[] {20, 21}, v.get(0));
      assertEquals(0.0, nearest.distances()[0]);

      List<Integer> chunkSizes = new ArrayList<>();
      long expectedId = 0;
      try (RowStream scan = engine.scan(new QueryRequest("t", null, List.of("id"), -1),
          ReadOptions.DEFAULT)) {
        while (scan.hasNext()) {
          ResultRows chunk = scan.next();
          chunkSizes.add(chunk.rowCount());
          Int64Column chunkIds = (Int64Column) chunk.columns().get(0);
          for (int r = 0; r < chunk.rowCount(); r++) {
            assertEquals(expectedId++, chunkIds.getLong(r));
          }
        }
      }
      assertEquals(List.of(1024, 1024, 152), chunkSizes);
      assertEquals(sealed + growing, expectedId);
    }
  }

  @Test
  void requestsAndViewsThroughTheApi() {
    try (Engine engine = Engine.open(QuiverConfig.at(dir))) {
      assertInstanceOf(Quiver.class, engine, "the engine in this process is the provider's");
      CreateTableRequest create =
          new CreateTableRequest("t", SCHEMA, true, 1, ConsistencyLevel.STRONG);
      assertTrue(engine.createTable(create));
      assertFalse(engine.createTable(create), "IF NOT EXISTS of an existing table");
      assertEquals(1, engine.table("t").orElseThrow().channels().size());

      assertEquals(2, engine.insert(new InsertRequest("t", rows(1, 0, 0, 5, 5), null)));
      engine.flush(new FlushRequest("t"));
      assertEquals(1, engine.insert(new InsertRequest("t", rows(3, 1, 1), null)));
      engine.flush(new FlushRequest("t"));
      assertEquals(Optional.of(3L), engine.rowCount("t"));

      ResultRows nearest = engine.search(new SearchRequest("t", "v", new float[] {1, 1.2f},
          IndexMetric.L2, 1, 0, null, List.of("id")), ReadOptions.DEFAULT);
      assertEquals(3L, nearest.rows().get(0)[0]);

      engine.createAlias(new CreateAliasRequest("a", "t"));
      assertEquals(Map.of("a", "t"), engine.aliases());

      List<TableChannelStats> channels = engine.channels();
      assertEquals(List.of("t"), channels.stream().map(TableChannelStats::table).toList());
      assertTrue(channels.get(0).messageCount() >= 2, channels.toString());

      assertEquals(2, engine.segments("t").size(), "one segment per flush");
      assertEquals(new CompactResult(2, 1, 0, 0), engine.compact(new CompactRequest("t")));
    }
    CheckReport report = Engine.check(dir);
    assertTrue(report.intact(), report.damage().toString());
    assertEquals(Map.of(report.tables().keySet().iterator().next(), "t"), report.tables());
  }
}
