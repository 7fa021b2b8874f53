package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.querynode.LocalQueryNode;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryNodeConnector;
import org.quiver.engine.querynode.QueryNodeUnavailableException;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/**
 * A real {@link LocalQueryNode}, over a table of every DataType written by an engine (sealed
 * segments and growing rows in its log), served by {@link QueryNodeServer} and called through
 * {@link RemoteQueryNode}: each answer over the wire is the node's own answer to the same call.
 */
class LocalNodeOverFlightTest {
  private static final String TABLE = "every_type";
  private static final int SEALED = 3_000;
  private static final int ROWS = 5_000;
  private static final List<String> ALL =
      Samples.EVERY_TYPE.fields().stream().map(FieldSchema::name).toList();

  @TempDir
  static Path dir;

  private static RocksKvStore kv;
  private static RocksMessageQueue mq;
  private static SegmentStore segments;
  private static LocalQueryNode local;
  private static RecordingQueryNode node;
  private static QueryNodeServer server;
  private static RemoteQueryNode remote;
  private static CollectionInfo info;
  private static long readTs;

  private static ColumnBatch batch(int from, int to) {
    return new ColumnBatch(Samples.EVERY_TYPE, to - from,
        ResultBatchesTest.rows(Samples.EVERY_TYPE, ALL, from, to - from, false).columns());
  }

  @BeforeAll
  static void serveANode() {
    try (Quiver engine = Quiver.open(new QuiverConfig(dir, 1_000_000))) {
      Proxy proxy = engine.proxy();
      proxy.createCollection(TABLE, Samples.EVERY_TYPE, false);
      proxy.insert(TABLE, batch(0, SEALED));
      proxy.flush(TABLE);
      proxy.insert(TABLE, batch(SEALED, ROWS));
      readTs = engine.now();
      info = proxy.collection(TABLE).orElseThrow();
    }
    kv = RocksKvStore.open(dir.resolve("meta"));
    mq = RocksMessageQueue.open(dir.resolve("mq"));
    MetaTable meta = new MetaTable(kv);
    ChannelCheckpoints checkpoints = new ChannelCheckpoints(meta, mq);
    checkpoints.recover();
    segments = new SegmentStore(dir);
    local = new LocalQueryNode(meta, new IndexCatalog(kv), mq, checkpoints, segments, dir);
    node = new RecordingQueryNode(local);
    server = QueryNodeServer.start(node, "127.0.0.1", 0);
    remote = new RemoteQueryNode(server.location());
    remote.load(info);
  }

  @Test
  void aNodeWithATokenServesOnlyCallersThatCarryIt() {
    try (QueryNodeServer guarded = QueryNodeServer.start(node, "127.0.0.1", 0, "s3cret");
        RemoteQueryNode none = new RemoteQueryNode(guarded.location());
        RemoteQueryNode wrong = new RemoteQueryNode(guarded.location(),
            RemoteQueryNode.Deadlines.DEFAULT, "guess");
        RemoteQueryNode right = new RemoteQueryNode(guarded.location(),
            RemoteQueryNode.Deadlines.DEFAULT, "s3cret")) {
      QuiverException refused = assertThrows(QuiverException.class, none::ping);
      // Not "unavailable": the coordinator must not take a node that refuses it for a dead one.
      assertEquals(ErrorCode.INVALID_AUTHORIZATION, refused.code(), refused.getMessage());
      QuiverException guessed = assertThrows(QuiverException.class,
          () -> wrong.tSafe(info.id()));
      assertEquals(ErrorCode.INVALID_AUTHORIZATION, guessed.code(), guessed.getMessage());
      assertTrue(guessed.getMessage().contains("does not match"), guessed.getMessage());
      right.ping();
      assertEquals(remote.tSafe(info.id()), right.tSafe(info.id()));
    }
    QuiverException open = assertThrows(QuiverException.class,
        () -> QueryNodeServer.start(node, "0.0.0.0", 0));
    assertEquals(ErrorCode.INVALID_AUTHORIZATION, open.code());
    assertTrue(open.getMessage().contains(ClusterToken.ENVIRONMENT), open.getMessage());
  }

  @AfterAll
  static void stop() {
    remote.close();
    server.close();
    local.close();
    segments.close();
    mq.close();
    kv.close();
  }

  @Test
  void theLoadReachedTheNodeAndItsStateComesBack() {
    assertTrue(node.calls.contains(new QueryNodeCall.Load(info)));
    assertTrue(local.isLoaded(info.id()));
    assertTrue(remote.isLoaded(info.id()));
    assertFalse(remote.isLoaded(info.id() + 1_000));
    assertEquals(local.loadState(info.id()), remote.loadState(info.id()));
    assertEquals("loaded", remote.loadState(info.id()).state());
    assertTrue(remote.loadState(info.id()).mappedBytes() > 0, "the sealed segment is mapped");
    assertEquals(local.loadState(info.id(), "_default"), remote.loadState(info.id(), "_default"));
    assertEquals(local.releasedPartitions(info.id()), remote.releasedPartitions(info.id()));
    assertEquals(local.tSafe(info.id()), remote.tSafe(info.id()));
    assertEquals(-1, remote.tSafe(info.id() + 1_000));
    assertEquals(Optional.empty(), remote.unreadable(info));
    remote.catchUp(info);
    assertEquals(new QueryNodeCall.CatchUp(info), node.last());
  }

  @Test
  void advancingTSafeMovesTheNodes() {
    long tick = Math.max(readTs, local.tSafe(info.id())) + 10;
    remote.advanceTSafe(info, tick);
    assertEquals(tick, local.tSafe(info.id()));
    assertEquals(tick, remote.tSafe(info.id()));
  }

  @Test
  void searchesOfEveryVectorKindAnswerAsTheNode() {
    Expr filter = new Expr.Or(List.of(new Expr.IsNull(new Expr.Column("i32")),
        new Expr.Compare(Expr.CompareOp.GE, new Expr.Column("i32"), new Expr.Literal(2_000_000))));
    List<SearchRequest> requests = List.of(
        new SearchRequest(TABLE, "v", new SearchVector.Floats(new float[] {100, -100, 14}),
            IndexMetric.L2, 10, 2, filter, ALL, SearchOptions.DEFAULT, null),
        new SearchRequest(TABLE, "h", new SearchVector.Floats(new float[] {4000, 0.5f, -2, 1024}),
            IndexMetric.COSINE, 7, 0, null, List.of("pk", "h", "d"), SearchOptions.DEFAULT,
            List.of("_default")),
        new SearchRequest(TABLE, "bits", new SearchVector.Bits(12, new byte[] {5, 0x50}),
            IndexMetric.HAMMING, 5, 0, null, List.of("pk", "bits"), SearchOptions.DEFAULT, null),
        new SearchRequest(TABLE, "sp", new SearchVector.Sparse(1000, new int[] {3, 999},
            new float[] {1, 1}), IndexMetric.IP, 4, 1, null, List.of("sp", "ts", "pk"),
            SearchOptions.DEFAULT, null));
    for (SearchRequest request : requests) {
      ResultRows expected = local.search(info, request, readTs);
      ResultRows actual = remote.search(info, request, readTs);
      assertEquals(request.k(), actual.rowCount(), request.vectorField());
      assertNotNull(actual.distances());
      ResultBatchesTest.assertSameRows(expected, actual);
      var arrived = assertInstanceOf(QueryNodeCall.Search.class, node.last());
      assertEquals(info, arrived.info());
      assertEquals(readTs, arrived.readTs());
      QueryNodeCodecTest.assertSameRequest(request, arrived.request());
    }
  }

  @Test
  void aBatchSearchAnswersEachQueryInOrder() {
    SearchRequest template = new SearchRequest(TABLE, "v", new float[] {0, 0, 0},
        IndexMetric.IP, 3, 0, null, List.of("pk", "i64"));
    List<SearchVector> queries = List.of(new SearchVector.Floats(new float[] {1, 0, 0}),
        new SearchVector.Floats(new float[] {-1, 0, 0}),
        new SearchVector.Floats(new float[] {0, 1, 7}));
    List<ResultRows> expected = local.searchBatch(info, template, queries, readTs);
    List<ResultRows> actual = remote.searchBatch(info, template, queries, readTs);
    assertEquals(3, actual.size());
    for (int i = 0; i < 3; i++) {
      ResultBatchesTest.assertSameRows(expected.get(i), actual.get(i));
    }
    assertEquals(List.of(), remote.searchBatch(info, template, List.of(), readTs));
  }

  @Test
  void searchesThatFindNothingAnswerEmptyRows() {
    Expr nothing = new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("pk"),
        new Expr.Literal("no such key"));
    SearchRequest request = new SearchRequest(TABLE, "v", new float[] {1, 2, 3}, IndexMetric.L2,
        5, 0, nothing, List.of("pk", "sp"));
    ResultRows none = remote.search(info, request, readTs);
    assertEquals(0, none.rowCount());
    assertEquals(List.of("pk", "sp"), none.fields());
    ResultBatchesTest.assertSameRows(local.search(info, request, readTs), none);
    List<ResultRows> batch = remote.searchBatch(info, request,
        List.of(new SearchVector.Floats(new float[] {1, 2, 3}),
            new SearchVector.Floats(new float[] {3, 2, 1})), readTs);
    assertEquals(2, batch.size(), "an empty answer per query, none dropped");
    assertEquals(0, batch.get(0).rowCount() + batch.get(1).rowCount());
  }

  @Test
  void queriesAndKeyLookupsAnswerAsTheNode() {
    QueryRequest filtered = new QueryRequest(TABLE, new Expr.And(List.of(
        new Expr.Compare(Expr.CompareOp.LT, new Expr.Column("i16"), new Expr.Literal((short) 0)),
        new Expr.IsNotNull(new Expr.Column("s")))), ALL, 100);
    ResultRows rows = remote.query(info, filtered, readTs);
    assertEquals(100, rows.rowCount());
    ResultBatchesTest.assertSameRows(local.query(info, filtered, readTs), rows);
    QueryRequest byKey = new QueryRequest(TABLE, null, List.of("pk", "v", "sp"), -1,
        List.of("key-5", "key-4001", "key-none"), null);
    ResultRows found = remote.getByKeys(info, byKey, readTs);
    assertEquals(2, found.rowCount(), "one sealed row, one growing row");
    ResultBatchesTest.assertSameRows(local.getByKeys(info, byKey, readTs), found);
    ResultRows none = remote.query(info, new QueryRequest(TABLE,
        new Expr.Compare(Expr.CompareOp.EQ, new Expr.Column("pk"), new Expr.Literal("x")),
        List.of("pk", "h"), -1), readTs);
    assertEquals(0, none.rowCount());
    assertEquals(List.of("pk", "h"), none.fields());
  }

  @Test
  void aScanStreamsManyChunksAndTheNodeClosesIt() {
    QueryRequest all = new QueryRequest(TABLE, null, ALL, -1);
    List<ResultRows> expected = new ArrayList<>();
    try (RowStream rows = local.scan(info, all, readTs)) {
      rows.forEachRemaining(expected::add);
    }
    int closedBefore = node.scansClosed.get();
    List<ResultRows> actual = new ArrayList<>();
    try (RowStream rows = remote.scan(info, all, readTs)) {
      rows.forEachRemaining(actual::add);
    }
    assertTrue(actual.size() >= ROWS / 1024, actual.size() + " chunks");
    assertEquals(expected.size(), actual.size());
    int total = 0;
    for (int i = 0; i < expected.size(); i++) {
      ResultBatchesTest.assertSameRows(expected.get(i), actual.get(i));
      total += actual.get(i).rowCount();
    }
    assertEquals(ROWS, total);
    assertEquals(closedBefore + 1, node.scansClosed.get());
  }

  @Test
  void aScanClosedEarlyIsClosedOnTheNode() throws InterruptedException {
    int closedBefore = node.scansClosed.get();
    try (RowStream rows = remote.scan(info, new QueryRequest(TABLE, null, ALL, -1), readTs)) {
      assertTrue(rows.hasNext());
      assertEquals(1024, rows.next().rowCount());
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (node.scansClosed.get() == closedBefore && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(closedBefore + 1, node.scansClosed.get());
  }

  @Test
  void aServerStoppedInTheMiddleOfAScanFailsItAsUnavailable() {
    QueryNodeServer second = QueryNodeServer.start(node, "127.0.0.1", 0);
    RemoteQueryNode client = new RemoteQueryNode(second.location(), new RemoteQueryNode.Deadlines(
        Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(20),
        Duration.ofSeconds(10)));
    QueryRequest keys = new QueryRequest(TABLE, null, List.of("pk"), -1);
    // The node stalls before its second chunk, so the server stops in the middle of the scan.
    node.stallScanMillis = 2_500;
    try (RowStream rows = client.scan(info, keys, readTs)) {
      assertTrue(rows.hasNext());
      rows.next();
      long start = System.nanoTime();
      second.close();
      QueryNodeUnavailableException e = assertThrows(QueryNodeUnavailableException.class, () -> {
        while (rows.hasNext()) {
          rows.next();
        }
      });
      assertTrue(System.nanoTime() - start < 10_000_000_000L,
          "the stop and the failure took " + (System.nanoTime() - start) / 1_000_000 + " ms");
      assertEquals(second.location(), e.location());
    } finally {
      node.stallScanMillis = 0;
      client.close();
    }
  }

  @Test
  void theNodesRefusalKeepsItsCodeAndMessage() {
    QueryRequest bad = new QueryRequest(TABLE, null, List.of("pk", "nope"), -1);
    QuiverException expected = assertThrows(QuiverException.class,
        () -> local.query(info, bad, readTs));
    QuiverException actual = assertThrows(QuiverException.class,
        () -> remote.query(info, bad, readTs));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, actual.code());
    assertEquals("42703", actual.code().sqlState());
    assertEquals(expected.getMessage(), actual.getMessage());
    assertFalse(actual instanceof QueryNodeUnavailableException);
    CollectionInfo notLoaded = new CollectionInfo(info.id() + 7, "other", info.schema(),
        info.channels(), info.createTs(), true);
    SearchRequest search = new SearchRequest("other", "v", new float[] {1, 2, 3}, IndexMetric.L2,
        1, 0, null, List.of("pk"));
    QuiverException localRefusal = assertThrows(QuiverException.class,
        () -> local.search(notLoaded, search, readTs));
    QuiverException remoteRefusal = assertThrows(QuiverException.class,
        () -> remote.search(notLoaded, search, readTs));
    assertEquals(localRefusal.code(), remoteRefusal.code());
    assertEquals(localRefusal.getMessage(), remoteRefusal.getMessage());
  }

  @Test
  void theConnectorFoundByServiceLoaderReachesTheNodeAndItsCloseReleasesNothing() {
    QueryNodeConnector connector = QueryNodeConnector.find();
    assertEquals("flight", connector.scheme());
    QueryNode other = connector.connect(server.location());
    assertInstanceOf(RemoteQueryNode.class, other);
    assertTrue(other.isLoaded(info.id()));
    other.close();
    assertTrue(local.isLoaded(info.id()));
    assertFalse(node.calls.stream().anyMatch(c -> c instanceof QueryNodeCall.Release));
    assertFalse(node.closed, "the served node is its owner's to close");
    assertTrue(remote.isLoaded(info.id()), "another client of the node goes on");
  }
}
