package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.EngineHost;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.CreateAliasRequest;
import org.quiver.engine.api.request.CreatePartitionRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.DeleteRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.UpsertRequest;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/**
 * A proxy's engine ({@link RemoteEngine}) against a real engine served over Flight ({@link
 * EngineServer}): every answer is the one the engine gives in its own process, rows of every type
 * included, and its errors keep their SQLSTATE and message.
 */
class RemoteEngineTest {
  private static final ReadOptions STRONG = new ReadOptions(ConsistencyLevel.STRONG, 0, 0, -1);
  private static final String TABLE = "every_type";

  @TempDir
  Path dir;

  private Quiver engine;
  private EngineHost host;
  private Engine proxy;

  @BeforeEach
  void open() {
    engine = Quiver.open(new QuiverConfig(dir.resolve("coordinator"), 1_000_000));
    host = EngineHost.serve(engine, "127.0.0.1", 0);
    proxy = Engine.open(QuiverConfig.at(dir.resolve("proxy")).withCoordinator(host.endpoint()));
  }

  @AfterEach
  void close() {
    proxy.close();
    host.close();
    engine.close();
  }

  private static ColumnBatch batch(CollectionSchema schema, int from, int count) {
    List<Column> columns = new ArrayList<>();
    for (FieldSchema field : schema.fields()) {
      ColumnBuilder builder = new ColumnBuilder(field, count);
      for (int r = from; r < from + count; r++) {
        builder.append(ResultBatchesTest.row(r)[schema.indexOf(field.name())]);
      }
      columns.add(builder.build());
    }
    return new ColumnBatch(schema, count, columns);
  }

  private static List<String> allFields() {
    return Samples.EVERY_TYPE.fields().stream().map(FieldSchema::name).toList();
  }

  @Test
  void everyCallAnswersAsTheEngineDoesInItsOwnProcess() {
    assertInstanceOf(RemoteEngine.class, proxy);
    assertTrue(proxy.createTable(new CreateTableRequest(TABLE, Samples.EVERY_TYPE, false, 2,
        ConsistencyLevel.STRONG)));
    assertFalse(proxy.createTable(new CreateTableRequest(TABLE, Samples.EVERY_TYPE, true, 2,
        ConsistencyLevel.STRONG)));
    proxy.createPartition(new CreatePartitionRequest(TABLE, "p1"));
    proxy.createAlias(new CreateAliasRequest("et", TABLE));
    assertEquals(12, proxy.insert(new InsertRequest(TABLE, batch(Samples.EVERY_TYPE, 0, 12),
        null)));
    assertEquals(3, proxy.insert(new InsertRequest(TABLE, batch(Samples.EVERY_TYPE, 12, 3),
        "p1")));
    proxy.flush(new FlushRequest(TABLE));
    assertEquals(2, proxy.upsert(new UpsertRequest(TABLE, batch(Samples.EVERY_TYPE, 20, 2),
        null)));
    // A BIGINT key would come back an Integer without its class; these are VARCHAR, and one is
    // absent, so the count is the engine's own.
    assertEquals(2, proxy.delete(new DeleteRequest(TABLE, List.of("key-2", "key-5", "nope"))));

    assertEquals(engine.table(TABLE), proxy.table(TABLE));
    assertEquals(engine.tables(), proxy.tables());
    assertEquals(engine.partitions(TABLE), proxy.partitions(TABLE));
    assertEquals(engine.aliases(), proxy.aliases());
    assertEquals(engine.segments(TABLE), proxy.segments(TABLE));
    assertEquals(engine.loadState(engine.table(TABLE).orElseThrow()),
        proxy.loadState(proxy.table(TABLE).orElseThrow()));
    assertEquals(engine.rowCount(TABLE), proxy.rowCount(TABLE));
    assertEquals(engine.queryNodes(), proxy.queryNodes());
    assertTrue(proxy.table("absent").isEmpty());
    assertEquals(engine.config(), proxy.config());
    long before = engine.now();
    assertTrue(proxy.now() > before);

    // Rows of every type, NULLs in each nullable column.
    QueryRequest all = new QueryRequest(TABLE, null, allFields(), 100);
    ResultRows every = proxy.query(all, STRONG);
    assertEquals(15 - 2 + 2, every.rowCount());
    ResultBatchesTest.assertSameRows(engine.query(all, STRONG), every);
    QueryRequest byKeys = new QueryRequest(TABLE, null, List.of("pk", "v", "sp"), 10,
        List.of("key-1", "key-13", "key-2"), null);
    ResultRows keyed = proxy.query(byKeys, STRONG);
    assertEquals(2, keyed.rowCount());
    ResultBatchesTest.assertSameRows(engine.query(byKeys, STRONG), keyed);

    Expr filter = new Expr.Compare(Expr.CompareOp.GE, new Expr.Column("i32"),
        new Expr.Literal(3_000_009));
    SearchRequest search = new SearchRequest(TABLE, "v", new float[] {4, -4, 0.5f},
        IndexMetric.L2, 4, 1, filter, List.of("pk", "s", "h", "bits"));
    ResultRows found = proxy.search(search, STRONG);
    assertEquals(4, found.rowCount());
    ResultBatchesTest.assertSameRows(engine.search(search, STRONG), found);

    QueryRequest scan = new QueryRequest(TABLE, null, allFields(), Long.MAX_VALUE);
    assertSameStream(() -> engine.scan(scan, STRONG), () -> proxy.scan(scan, STRONG));
  }

  /** Every chunk's rows, in order, are the same. */
  private static void assertSameStream(Supplier<RowStream> local, Supplier<RowStream> remote) {
    List<ResultRows> expected = new ArrayList<>();
    try (RowStream rows = local.get()) {
      rows.forEachRemaining(expected::add);
    }
    List<ResultRows> actual = new ArrayList<>();
    try (RowStream rows = remote.get()) {
      rows.forEachRemaining(actual::add);
    }
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      ResultBatchesTest.assertSameRows(expected.get(i), actual.get(i));
    }
  }

  @Test
  void theEnginesErrorsKeepTheirCodeAndMessage() {
    proxy.createTable(new CreateTableRequest(TABLE, Samples.EVERY_TYPE, false, 1, null));
    QuiverException local = assertThrows(QuiverException.class,
        () -> engine.query(new QueryRequest("absent", null, List.of("pk"), 1), STRONG));
    QuiverException remote = assertThrows(QuiverException.class,
        () -> proxy.query(new QueryRequest("absent", null, List.of("pk"), 1), STRONG));
    assertEquals(local.code(), remote.code());
    assertEquals(local.getMessage(), remote.getMessage());

    // A NULL key is refused by the engine, not lost on the way: nothing was written.
    Object[] nullKey = new Object[Samples.EVERY_TYPE.size()];
    List<Column> columns = new ArrayList<>();
    for (FieldSchema field : Samples.EVERY_TYPE.fields()) {
      columns.add(ColumnBuilder.deferringNotNull(field, 1)
          .append(nullKey[Samples.EVERY_TYPE.indexOf(field.name())]).build());
    }
    ColumnBatch bad = new ColumnBatch(Samples.EVERY_TYPE, 1, columns);
    QuiverException refused = assertThrows(QuiverException.class,
        () -> proxy.insert(new InsertRequest(TABLE, bad, null)));
    assertEquals(ErrorCode.NOT_NULL_VIOLATION, refused.code(), refused.getMessage());
    assertEquals(0L, proxy.query(new QueryRequest(TABLE, null, List.of("pk"), 10), STRONG)
        .rowCount());
    assertThrows(QuiverException.class, () -> proxy.search(new SearchRequest(TABLE, "nope",
        new float[] {1, 2, 3}, IndexMetric.L2, 1, 0, null, List.of("pk")), STRONG));
  }

  @Test
  void aCoordinatorThatIsGoneIs08006NamingItAndOneThatIsBackAnswers() {
    proxy.createTable(new CreateTableRequest(TABLE, Samples.EVERY_TYPE, false, 1, null));
    int port = host.port();
    host.close();
    QuiverException gone = assertThrows(QuiverException.class, proxy::tables);
    assertEquals(ErrorCode.CONNECTION_LOST, gone.code());
    assertTrue(gone.getMessage().contains("the coordinator at 127.0.0.1:" + port),
        gone.getMessage());
    host = EngineHost.serve(engine, "127.0.0.1", port);
    assertEquals(List.of(TABLE), proxy.tables().stream().map(t -> t.name()).toList());
  }

  @Test
  void withATokenOnlyCallersThatCarryItAreServedAndWithoutOneOnlyLoopback() {
    try (EngineServer guarded = EngineServer.start(engine, "127.0.0.1", 0, "s3cret")) {
      QuiverConfig at = QuiverConfig.at(dir.resolve("p")).withCoordinator(guarded.location());
      try (RemoteEngine none = new RemoteEngine(at, null);
          RemoteEngine wrong = new RemoteEngine(at, "guess");
          RemoteEngine right = new RemoteEngine(at, "s3cret")) {
        QuiverException refused = assertThrows(QuiverException.class, none::tables);
        assertEquals(ErrorCode.INVALID_AUTHORIZATION, refused.code(), refused.getMessage());
        assertTrue(refused.getMessage().contains("only with its cluster's token"),
            refused.getMessage());
        // Writes (DoPut) and reads (DoGet) are refused as actions are.
        QuiverException write = assertThrows(QuiverException.class, () -> wrong.insert(
            new InsertRequest(TABLE, batch(Samples.EVERY_TYPE, 0, 1), null)));
        assertEquals(ErrorCode.INVALID_AUTHORIZATION, write.code(), write.getMessage());
        assertThrows(QuiverException.class, () -> wrong.scan(
            new QueryRequest(TABLE, null, List.of("pk"), 1), STRONG));
        assertTrue(right.createTable(new CreateTableRequest(TABLE, Samples.EVERY_TYPE, false,
            1, null)));
        assertEquals(1, right.insert(new InsertRequest(TABLE, batch(Samples.EVERY_TYPE, 0, 1),
            null)));
        try (RowStream rows = right.scan(new QueryRequest(TABLE, null, List.of("pk"), 10),
            STRONG)) {
          assertEquals(1, rows.next().rowCount());
        }
      }
    }
    QuiverException open = assertThrows(QuiverException.class,
        () -> EngineServer.start(engine, "0.0.0.0", 0, null));
    assertEquals(ErrorCode.INVALID_AUTHORIZATION, open.code());
    assertTrue(open.getMessage().contains(ClusterToken.ENVIRONMENT), open.getMessage());
  }

  @Test
  void everyMethodOfTheEngineIsSentToTheCoordinator() throws Exception {
    // A method the API gains as a default one would otherwise run in the proxy, unseen.
    for (java.lang.reflect.Method m : Engine.class.getMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertEquals(RemoteEngine.class,
          RemoteEngine.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass(),
          m.getName() + " is not RemoteEngine's own");
    }
  }

  @Test
  void aProxyCannotSetTheCoordinatorsSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuiverConfig.at(dir).withCatalog(java.net.URI.create("etcd://h:1/x/"))
            .withCoordinator("h:1"));
    assertTrue(e.getMessage().contains("coordinator's settings"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> QuiverConfig.at(dir).withCoordinator("no-port"));
  }
}
