package org.quiver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quiver.engine.EngineFixture.ALL_FIELDS;
import static org.quiver.engine.EngineFixture.SCHEMA;
import static org.quiver.engine.EngineFixture.assertRowsEqual;
import static org.quiver.engine.EngineFixture.assertSearchMatchesOracle;
import static org.quiver.engine.EngineFixture.batch;
import static org.quiver.engine.EngineFixture.create;
import static org.quiver.engine.EngineFixture.fingerprint;
import static org.quiver.engine.EngineFixture.query;
import static org.quiver.engine.EngineFixture.queryAll;
import static org.quiver.engine.EngineFixture.randomRow;
import static org.quiver.engine.EngineFixture.randomVector;
import static org.quiver.engine.EngineFixture.search;
import static org.quiver.engine.EngineFixture.searchRequest;
import static org.quiver.engine.EngineFixture.segmentCount;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.EngineFixture.Filter;
import org.quiver.engine.EngineFixture.Row;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * The engine through its proxy: DDL, writes with their constraints, exact search against a
 * brute-force oracle, flush, restart and load state. Rerun a failure with -Dtests.seed=N.
 */
class EngineTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private static final int SEAL_ROWS = 7;

  @TempDir Path dir;
  private Quiver engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private Proxy open() {
    return open(SEAL_ROWS);
  }

  private Proxy open(int sealRows) {
    // Some cases count segment folders: the automatic compaction policy would merge them under
    // their feet (CompactionTest covers compaction).
    engine = Quiver.open(new QuiverConfig(dir, sealRows).withAutoCompaction(false));
    return engine.proxy();
  }

  private Proxy reopen() {
    engine.close();
    engine = null;
    return open();
  }

  private static String where() {
    return "seed " + SEED;
  }

  @Test
  void createAndDropCollection() {
    Proxy proxy = open();
    assertTrue(proxy.createCollection("t", SCHEMA, false));
    assertTrue(proxy.collection("t").isPresent());
    assertTrue(proxy.isLoaded(proxy.collection("t").orElseThrow()), "a new table starts loaded");
    assertCode(ErrorCode.DUPLICATE_TABLE, () -> proxy.createCollection("t", SCHEMA, false));
    assertFalse(proxy.createCollection("t", SCHEMA, true), "IF NOT EXISTS on an existing table");
    assertTrue(proxy.createCollection("u", SCHEMA, true));
    assertEquals(List.of("t", "u"), proxy.collections().stream().map(c -> c.name()).toList());

    proxy.insert("t", batch(new Row(1, randomVector(new Random(SEED)), 1, "one")));
    proxy.flush("t");
    long oldId = proxy.collection("t").orElseThrow().id();
    assertTrue(segmentCount(dir, oldId) > 0);

    assertTrue(proxy.dropCollection("t", false));
    assertTrue(proxy.collection("t").isEmpty());
    assertTrue(segmentCount(dir, oldId) > 0, "kept for time travel within the retention window");
    assertEquals(0, proxy.purgeDroppedTables(), "the window has not passed");
    assertEquals(List.of(oldId), proxy.droppedTables().stream().map(c -> c.id()).toList());
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> proxy.dropCollection("t", false));
    assertFalse(proxy.dropCollection("t", true), "IF EXISTS on a missing table");
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> proxy.insert("t", batch(List.of())));
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> proxy.delete("t", List.of(1L)));
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> proxy.flush("t"));
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> proxy.load("t"));
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> proxy.release("t"));
    assertCode(ErrorCode.UNDEFINED_TABLE,
        () -> query(proxy, new QueryRequest("t", null, ALL_FIELDS, -1)));
    assertCode(ErrorCode.UNDEFINED_TABLE, () -> search(proxy,
        searchRequest("t", new float[EngineFixture.DIM], IndexMetric.L2, 1, 0, Filter.NONE)));

    // A table created again under the same name starts empty and gets a new id.
    assertTrue(proxy.createCollection("t", SCHEMA, false));
    assertTrue(proxy.collection("t").orElseThrow().id() != oldId);
    assertTrue(queryAll(proxy, "t", where()).isEmpty(), "rows of the dropped table came back");

    Proxy reopened = reopen();
    assertEquals(List.of("t", "u"), reopened.collections().stream().map(c -> c.name()).toList());
    assertTrue(queryAll(reopened, "t", where()).isEmpty());
    assertTrue(reopened.dropCollection("u", false));
    assertTrue(reopen().collection("u").isEmpty(), "a dropped table stays dropped after reopen");
  }

  @Test
  void channelStatsNameTheTableAndCountItsMessages() {
    Proxy proxy = open();
    proxy.createCollection("t", SCHEMA, false);
    proxy.createCollection("u", SCHEMA, false);
    Random random = new Random(SEED);
    proxy.insert("t", batch(randomRow(random, 1), randomRow(random, 2)));
    proxy.insert("t", batch(randomRow(random, 3)));

    List<TableChannelStats> stats = proxy.channelStats();
    assertEquals(List.of("t", "u"), stats.stream().map(TableChannelStats::table).toList());
    assertEquals(proxy.collection("t").orElseThrow().channels(),
        List.of(stats.get(0).channel()));
    TableChannelStats t = stats.get(0);
    assertEquals(2, t.messageCount(), "one message per insert");
    assertTrue(t.retainedBytes() > 0);
    assertTrue(t.beginId() <= t.oldestRetainedId() && t.oldestRetainedId() < t.lastId(),
        t.toString());
    TableChannelStats u = stats.get(1);
    assertEquals(0, u.messageCount());
    assertEquals(-1, u.lastId());

    proxy.dropCollection("u", false);
    assertEquals(List.of("t"), reopen().channelStats().stream().map(TableChannelStats::table)
        .toList(), "a dropped table's channel is gone");
  }

  @Test
  void searchReturnsTheExactNearestNeighbours() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    Map<Long, Row> model = new LinkedHashMap<>();
    long nextId = 0;
    while (model.size() < 300) {
      List<Row> rows = new ArrayList<>();
      for (int i = random.nextInt(40) + 1; i > 0; i--) {
        Row r = randomRow(random, nextId++);
        rows.add(r);
        model.put(r.id(), r);
      }
      assertEquals(rows.size(), proxy.insert("t", batch(rows)));
    }
    int[] ks = {1, 5, 10, 50};
    int[] offsets = {0, 3, 17};
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      for (int trial = 0; trial < 6; trial++) {
        float[] q = randomVector(random);
        int k = ks[random.nextInt(ks.length)];
        int offset = offsets[random.nextInt(offsets.length)];
        for (Filter filter : Filter.ALL) {
          ResultRows result = search(proxy, searchRequest("t", q, metric, k, offset, filter));
          assertSearchMatchesOracle(result, model.values(), q, metric, k, offset, filter,
              where() + " trial " + trial);
        }
      }
    }
    // More than there are rows, and an offset past the end.
    float[] q = randomVector(random);
    assertSearchMatchesOracle(
        search(proxy, searchRequest("t", q, IndexMetric.L2, 1000, 0, Filter.NONE)),
        model.values(), q, IndexMetric.L2, 1000, 0, Filter.NONE, where());
    assertSearchMatchesOracle(
        search(proxy, searchRequest("t", q, IndexMetric.L2, 5, 400, Filter.NONE)),
        model.values(), q, IndexMetric.L2, 5, 400, Filter.NONE, where());
  }

  @Test
  void searchRejectsBadVectorArguments() {
    Proxy proxy = open();
    create(proxy, "t");
    assertCode(ErrorCode.DATA_EXCEPTION,
        () -> search(proxy, searchRequest("t", new float[3], IndexMetric.L2, 1, 0, Filter.NONE)));
    assertCode(ErrorCode.UNDEFINED_COLUMN, () -> search(proxy, new SearchRequest("t", "label",
        new float[EngineFixture.DIM], IndexMetric.L2, 1, 0, null, List.of("id"))));
    assertCode(ErrorCode.UNDEFINED_COLUMN, () -> search(proxy, new SearchRequest("t", "v",
        new float[EngineFixture.DIM], IndexMetric.L2, 1, 0, null, List.of("nope"))));
    assertCode(ErrorCode.UNDEFINED_COLUMN, () -> query(proxy, new QueryRequest("t",
        new Expr.IsNull(new Expr.Column("nope")), List.of("id"), -1)));
  }

  @Test
  void duplicateKeyFailsAndWritesNothing() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    Map<Long, Row> model = new TreeMap<>();
    List<Row> first = new ArrayList<>();
    for (long id = 1; id <= 10; id++) {
      first.add(randomRow(random, id));
    }
    proxy.insert("t", batch(first));
    first.forEach(r -> model.put(r.id(), r));

    // Against a live key, in the log only.
    assertCode(ErrorCode.UNIQUE_VIOLATION, () -> proxy.insert("t",
        batch(randomRow(random, 11), randomRow(random, 12), randomRow(random, 5))));
    // Twice within one batch.
    assertCode(ErrorCode.UNIQUE_VIOLATION, () -> proxy.insert("t",
        batch(randomRow(random, 20), randomRow(random, 21), randomRow(random, 20))));
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " after rejected inserts");

    // Against a key in a flushed segment, and after a reopen.
    proxy.flush("t");
    assertCode(ErrorCode.UNIQUE_VIOLATION, () -> proxy.insert("t", batch(randomRow(random, 1))));
    Proxy reopened = reopen();
    assertCode(ErrorCode.UNIQUE_VIOLATION,
        () -> reopened.insert("t", batch(randomRow(random, 30), randomRow(random, 10))));
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " after reopen");

    Row ok = randomRow(random, 11);
    assertEquals(1, reopened.insert("t", batch(ok)));
    model.put(ok.id(), ok);
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " after a valid insert");
  }

  @Test
  void nullInANotNullColumnFailsAndWritesNothing() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    List<float[]> vectors = List.of(randomVector(random), randomVector(random));
    QuiverException label = assertCode(ErrorCode.NOT_NULL_VIOLATION, () -> proxy.insert("t",
        batch(2, new Object[] {1L, 2L}, vectors, new Object[] {1, 2}, new Object[] {"a", null})));
    assertTrue(label.getMessage().contains("label"), label.getMessage());
    QuiverException key = assertCode(ErrorCode.NOT_NULL_VIOLATION, () -> proxy.insert("t",
        batch(2, new Object[] {1L, null}, vectors, new Object[] {1, 2}, new Object[] {"a", "b"})));
    assertTrue(key.getMessage().contains("id"), key.getMessage());
    assertTrue(queryAll(proxy, "t", where()).isEmpty(), "a rejected insert wrote rows");

    // NULL is fine in a nullable column.
    assertEquals(2, proxy.insert("t", batch(2, new Object[] {1L, 2L}, vectors,
        new Object[] {null, null}, new Object[] {"a", "b"})));
    Map<Long, Row> rows = queryAll(proxy, "t", where());
    assertEquals(List.of(1L, 2L), List.copyOf(rows.keySet()));
    assertEquals(null, rows.get(1L).tag());
  }

  @Test
  void insertWithAnotherSchemaIsATypeMismatch() {
    Proxy proxy = open();
    create(proxy, "t");
    CollectionSchema other = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));
    assertCode(ErrorCode.DATATYPE_MISMATCH, () -> proxy.insert("t",
        Batches.of(other, 1, List.of(new Object[] {1L}, new float[] {1, 2}))));
    assertTrue(queryAll(proxy, "t", where()).isEmpty());
  }

  @Test
  void deleteHidesRowsAndADeletedKeyCanBeInsertedAgain() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    Map<Long, Row> model = new TreeMap<>();
    List<Row> rows = new ArrayList<>();
    for (long id = 1; id <= 20; id++) {
      rows.add(randomRow(random, id));
    }
    proxy.insert("t", batch(rows));
    rows.forEach(r -> model.put(r.id(), r));

    assertEquals(2, proxy.delete("t", List.of(3L, 4L, 99L, 3L)), "only live keys count, once");
    model.remove(3L);
    model.remove(4L);
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " after delete");
    assertEquals(0, proxy.delete("t", List.of(3L)), "deleting a deleted key");
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      float[] q = rows.get(2).v(); // the deleted row's own vector
      assertSearchMatchesOracle(search(proxy, searchRequest("t", q, metric, 25, 0, Filter.NONE)),
          model.values(), q, metric, 25, 0, Filter.NONE, where() + " after delete");
    }

    Row again = randomRow(random, 3);
    assertEquals(1, proxy.insert("t", batch(again)));
    model.put(3L, again);
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " after re-insert");
    assertCode(ErrorCode.UNIQUE_VIOLATION, () -> proxy.insert("t", batch(randomRow(random, 3))));

    // Delete it again and insert it a third time, across a flush.
    assertEquals(1, proxy.delete("t", List.of(3L)));
    proxy.flush("t");
    Row third = randomRow(random, 3);
    proxy.insert("t", batch(third));
    model.put(3L, third);
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " after a third insert");

    Proxy reopened = reopen();
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " after reopen");
    reopened.flush("t");
    assertRowsEqual(model, queryAll(reopen(), "t", where()), where() + " after flush and reopen");
  }

  @Test
  void varcharPrimaryKeysInsertDeleteAndReinsert() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "k", DataType.VARCHAR, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));
    Proxy proxy = open();
    proxy.createCollection("s", schema, false);
    proxy.insert("s", Batches.of(schema, 3,
        List.of(new Object[] {"a", "b", "ü"}, new float[] {0, 0, 1, 1, 2, 2})));
    assertCode(ErrorCode.UNIQUE_VIOLATION, () -> proxy.insert("s",
        Batches.of(schema, 1, List.of(new Object[] {"b"}, new float[] {5, 5}))));
    assertEquals(1, proxy.delete("s", List.of("b", "zz")));
    proxy.flush("s");
    proxy.insert("s", Batches.of(schema, 1, List.of(new Object[] {"b"}, new float[] {9, 9})));
    Proxy reopened = reopen();
    ResultRows all = query(reopened, new QueryRequest("s", null, List.of("k", "v"), -1));
    Map<String, float[]> byKey = new TreeMap<>();
    all.rows().forEach(r -> assertEquals(null, byKey.put((String) r[0], (float[]) r[1]),
        "key " + r[0] + " twice"));
    assertEquals(List.of("a", "b", "ü"), List.copyOf(byKey.keySet()));
    assertEquals(9f, byKey.get("b")[0]);
    ResultRows nearest = search(reopened, new SearchRequest("s", "v", new float[] {8, 8},
        IndexMetric.L2,
        1, 0, null, List.of("k")));
    assertEquals("b", nearest.rows().get(0)[0]);
  }

  @Test
  void aSearchSeesEveryInsertAcknowledgedBeforeIt() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    for (long id = 0; id < 300; id++) {
      Row row = randomRow(random, id);
      proxy.insert("t", batch(row));
      ResultRows found = query(proxy, new QueryRequest("t",
          new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("id"), new Expr.Literal(id)),
          List.of("id"), -1));
      assertEquals(1, found.rows().size(), where() + ": insert of " + id + " not visible");
      ResultRows nearest =
          search(proxy, searchRequest("t", row.v(), IndexMetric.L2, 1, 0, Filter.NONE));
      assertEquals(id, nearest.rows().get(0)[0], where() + ": search misses insert of " + id);
      assertEquals(0.0, nearest.distances()[0], where());
      if (id % 3 == 2) {
        assertEquals(1, proxy.delete("t", List.of(id - 1)));
        ResultRows gone = query(proxy, new QueryRequest("t",
            new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("id"), new Expr.Literal(id - 1)),
            List.of("id"), -1));
        assertEquals(0, gone.rows().size(), where() + ": delete of " + (id - 1) + " not visible");
      }
    }
  }

  @Test
  void concurrentWritersEachSeeTheirOwnWriteAtOnce() throws Exception {
    Proxy proxy = open();
    create(proxy, "t");
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      long base = w * 1_000_000L;
      writers.add(Thread.ofPlatform().start(() -> {
        Random random = new Random(SEED + base);
        try {
          for (long id = base; id < base + 200; id++) {
            Row row = randomRow(random, id);
            proxy.insert("t", batch(row));
            ResultRows found = query(proxy, new QueryRequest("t",
                new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("id"), new Expr.Literal(id)),
                List.of("id"), -1));
            assertEquals(1, found.rows().size(), where() + ": own insert of " + id + " not visible");
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      }));
    }
    for (Thread t : writers) {
      t.join();
    }
    assertEquals(List.of(), errors, where());
    assertEquals(400, queryAll(proxy, "t", where()).size(), where());
  }

  @Test
  void flushAndReopenKeepSearchResultsAndRowsIdentical() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    long collectionId = proxy.collection("t").orElseThrow().id();
    Map<Long, Row> model = new TreeMap<>();
    long nextId = 0;
    for (int step = 0; step < 25; step++) {
      List<Row> rows = new ArrayList<>();
      for (int i = random.nextInt(10) + 1; i > 0; i--) {
        rows.add(randomRow(random, nextId++));
      }
      proxy.insert("t", batch(rows));
      rows.forEach(r -> model.put(r.id(), r));
      if (random.nextInt(3) == 0) {
        List<Object> victims = new ArrayList<>();
        model.keySet().stream().filter(id -> random.nextInt(8) == 0).forEach(victims::add);
        assertEquals(victims.size(), proxy.delete("t", victims));
        victims.forEach(model::remove);
      }
    }
    List<SearchRequest> searches = new ArrayList<>();
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      for (Filter filter : Filter.ALL) {
        int offset = random.nextInt(3);
        searches.add(searchRequest("t", randomVector(random), metric, 10, offset, filter));
      }
    }
    List<List<String>> before = run(proxy, searches, model);
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " before flush");

    proxy.flush("t");
    // A segment is sealed once it holds SEAL_ROWS rows, so it holds at most SEAL_ROWS - 1 plus one
    // batch of up to 10 rows.
    long segments = segmentCount(dir, collectionId);
    assertTrue(segments >= nextId / (SEAL_ROWS - 1 + 10),
        where() + ": only " + segments + " segments for " + nextId + " inserted rows");
    assertEquals(before, run(proxy, searches, model), where() + ": results changed by flush");
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " after flush");

    // Recovery from segments plus a log tail that is not flushed.
    List<Row> tail = List.of(randomRow(random, nextId++), randomRow(random, nextId++));
    proxy.insert("t", batch(tail));
    tail.forEach(r -> model.put(r.id(), r));
    before = run(proxy, searches, model);

    Proxy reopened = reopen();
    assertEquals(before, run(reopened, searches, model), where() + ": results changed by reopen");
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " after reopen");
    reopened.flush("t");
    Proxy again = reopen();
    assertEquals(before, run(again, searches, model), where() + ": after flush and reopen");
    assertRowsEqual(model, queryAll(again, "t", where()), where() + " after flush and reopen");
  }

  /**
   * A restart with a log tail longer than a segment: the data node seals segments from the replayed
   * log while the query node loads; reads see every row once, before and after the tail is flushed.
   */
  @Test
  void reopenWithALongLogTailLosesAndDuplicatesNoRow() {
    Random random = new Random(SEED);
    Proxy proxy = open(100_000);
    create(proxy, "t");
    Map<Long, Row> model = new TreeMap<>();
    for (long id = 0; id < 150; id++) {
      Row row = randomRow(random, id);
      proxy.insert("t", batch(row));
      model.put(id, row);
    }
    List<SearchRequest> searches = new ArrayList<>();
    for (IndexMetric metric : IndexMetric.FLOAT_METRICS) {
      searches.add(searchRequest("t", randomVector(random), metric, 10, 0, Filter.NONE));
    }
    List<List<String>> before = run(proxy, searches, model);
    engine.close();
    engine = null;

    Proxy reopened = open(1);
    // Deleting every key at once right after the reopen, while the data node seals the replayed
    // log into segments, must find every key (the primary key index reads segments and the log).
    List<Object> all = new ArrayList<>(model.keySet());
    assertEquals(all.size(), reopened.delete("t", all), where() + ": deleted right after reopen");
    assertRowsEqual(new TreeMap<>(), queryAll(reopened, "t", where()), where() + " after delete all");
    for (Row row : model.values()) {
      reopened.insert("t", batch(row));
    }
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " right after reopen");
    assertEquals(before, run(reopened, searches, model), where() + ": right after reopen");
    reopened.flush("t");
    long collectionId = reopened.collection("t").orElseThrow().id();
    // One segment per inserted row (sealRows = 1): the first inserts and the re-inserts; the
    // deletes ride in the segment of the insert after them.
    assertEquals(2 * model.size(), segmentCount(dir, collectionId), "one segment per row");
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " after flush");
    assertEquals(before, run(reopened, searches, model), where() + ": after flush");

    List<Object> half = new ArrayList<>();
    model.keySet().stream().filter(id -> id % 2 == 0).forEach(half::add);
    assertEquals(half.size(), reopened.delete("t", half));
    half.forEach(model::remove);
    assertRowsEqual(model, queryAll(reopen(), "t", where()), where() + " after delete and reopen");
  }

  @Test
  void releaseAndLoadAndTheStateSurvivesReopen() {
    Random random = new Random(SEED);
    Proxy proxy = open();
    create(proxy, "t");
    Map<Long, Row> model = new TreeMap<>();
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 20; id++) {
      rows.add(randomRow(random, id));
    }
    proxy.insert("t", batch(rows));
    rows.forEach(r -> model.put(r.id(), r));
    float[] q = randomVector(random);
    SearchRequest request = searchRequest("t", q, IndexMetric.COSINE, 5, 0, Filter.NONE);

    proxy.release("t");
    assertFalse(proxy.isLoaded(proxy.collection("t").orElseThrow()));
    assertCode(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE, () -> search(proxy, request));
    assertCode(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
        () -> query(proxy, new QueryRequest("t", null, ALL_FIELDS, -1)));
    proxy.release("t"); // releasing twice is harmless

    // Writes go on while released.
    Row late = randomRow(random, 100);
    proxy.insert("t", batch(late));
    model.put(late.id(), late);
    proxy.flush("t");

    proxy.load("t");
    assertTrue(proxy.isLoaded(proxy.collection("t").orElseThrow()));
    assertSearchMatchesOracle(search(proxy, request), model.values(), q, IndexMetric.COSINE, 5, 0,
        Filter.NONE, where() + " after load");
    assertRowsEqual(model, queryAll(proxy, "t", where()), where() + " after load");

    proxy.release("t");
    Proxy reopened = reopen();
    assertFalse(reopened.isLoaded(reopened.collection("t").orElseThrow()),
        "a released table must stay released after reopen");
    assertCode(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE, () -> search(reopened, request));
    reopened.load("t");
    assertRowsEqual(model, queryAll(reopened, "t", where()), where() + " after reopen and load");

    Proxy again = reopen();
    assertTrue(again.isLoaded(again.collection("t").orElseThrow()),
        "a loaded table must be loaded after reopen");
    assertSearchMatchesOracle(search(again, request), model.values(), q, IndexMetric.COSINE, 5, 0,
        Filter.NONE, where() + " after reopen");
  }

  private List<List<String>> run(Proxy proxy, List<SearchRequest> searches, Map<Long, Row> model) {
    List<List<String>> out = new ArrayList<>();
    for (SearchRequest s : searches) {
      ResultRows result = search(proxy, s);
      assertSearchMatchesOracle(result, model.values(), s.floats(), s.metric(), s.k(), s.offset(),
          Filter.ALL.stream().filter(f -> f.expr() == s.filter()).findFirst().orElseThrow(),
          where());
      out.add(fingerprint(result));
    }
    return out;
  }

  private static QuiverException assertCode(ErrorCode code, Executable call) {
    QuiverException e = assertThrows(QuiverException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }
}
