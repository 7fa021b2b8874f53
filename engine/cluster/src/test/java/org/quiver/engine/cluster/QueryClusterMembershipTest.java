package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.querycoord.QueryCluster;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryNodeConnector;
import org.quiver.engine.querynode.QueryNodeUnavailableException;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.kv.RocksKvStore;

/**
 * The coordinator's side of a cluster, {@link QueryCluster}, against two nodes served over Flight
 * (each records what it is asked): nodes join through their sessions and are brought up to what
 * the cluster holds first, reads go to every node, a node's own error passes on without
 * evicting it, a read that only runs out of time evicts no node (it runs again once), and a node
 * that stops answering leaves while the other answers.
 */
class QueryClusterMembershipTest {
  private static final RemoteQueryNode.Deadlines SHORT = new RemoteQueryNode.Deadlines(
      Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
  private static final SearchRequest SEARCH = new SearchRequest(Samples.TABLE.name(), "v",
      new SearchVector.Floats(new float[] {1, 2, 3}), IndexMetric.L2, 3, 0, null, List.of("pk"),
      SearchOptions.DEFAULT, null);

  @TempDir Path dir;
  private RocksKvStore kv;
  private final RecordingQueryNode[] nodes = new RecordingQueryNode[2];
  private final QueryNodeServer[] servers = new QueryNodeServer[2];
  private QueryCluster cluster;

  @BeforeEach
  void start() {
    kv = RocksKvStore.open(dir.resolve("catalog"));
    for (int i = 0; i < 2; i++) {
      nodes[i] = new RecordingQueryNode(null);
      servers[i] = QueryNodeServer.start(nodes[i], "127.0.0.1", 0);
    }
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    for (QueryNodeServer server : servers) {
      server.close();
    }
    kv.close();
  }

  private void register(int i) {
    kv.putForSession("session/querynode/node" + i,
        servers[i].location().getBytes(StandardCharsets.UTF_8));
  }

  private QueryCluster cluster() {
    return new QueryCluster(kv, new QueryNodeConnector() {
      @Override
      public String scheme() {
        return "flight";
      }

      @Override
      public QueryNode connect(String location) {
        return new RemoteQueryNode(location, SHORT);
      }
    });
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(20);
    }
  }

  private static long searches(RecordingQueryNode node) {
    return node.calls.stream().filter(c -> c instanceof QueryNodeCall.Search).count();
  }

  @Test
  void nodesJoinUpToDateAndReadsGoToEveryNode() throws Exception {
    register(0);
    cluster = cluster();
    assertEquals(Set.of("node0"), cluster.liveNodes(), "a registered node joins at once");
    cluster.load(Samples.TABLE);
    cluster.advanceTSafe(Samples.TABLE, 77);
    assertEquals(77, cluster.tSafe(Samples.TABLE.id()));

    register(1);
    await(() -> cluster.liveNodes().size() == 2, "the second node joins");
    SegmentAssignment both = SegmentAssignment.of(List.of("node0", "node1"), "node1");
    List<QueryNodeCall> fetch = List.of(new QueryNodeCall.ReleaseAll(),
        new QueryNodeCall.Assign(both), new QueryNodeCall.Load(Samples.TABLE));
    List<QueryNodeCall> expected = new ArrayList<>(fetch);
    expected.addAll(fetch);
    expected.add(new QueryNodeCall.AdvanceTSafe(Samples.TABLE, 77));
    assertEquals(expected, nodes[1].calls, "a node that joins lets go of what it held, learns"
        + " its part and loads it (into its cache, then anew under the lock) and gets the tick");
    // Told once the new node is in, under the same lock: awaited, since liveNodes shows the node
    // before the lock is let go.
    QueryNodeCall smaller = new QueryNodeCall.Assign(SegmentAssignment.of(
        List.of("node0", "node1"), "node0"));
    await(() -> nodes[0].calls.contains(smaller),
        "the node there before learns its part is smaller");
    assertEquals(smaller, nodes[0].calls.getLast());

    for (int i = 0; i < 4; i++) {
      // The recording node has no rows to answer with: its error passes on as its own.
      QuiverException e = assertThrows(QuiverException.class,
          () -> cluster.search(Samples.TABLE, SEARCH, 5));
      assertFalse(e instanceof QueryNodeUnavailableException, e.toString());
    }
    assertEquals(4, searches(nodes[0]), "each read goes to every node, for its part");
    assertEquals(4, searches(nodes[1]));
    assertEquals(Set.of("node0", "node1"), cluster.liveNodes(), "a node's error evicts nobody");
  }

  @Test
  void aSlowReadEvictsNoNodeAndASilentNodeLeaves() throws Exception {
    register(0);
    register(1);
    cluster = cluster();
    assertEquals(Set.of("node0", "node1"), cluster.liveNodes());
    cluster.load(Samples.TABLE);

    nodes[0].stallSearchMillis = 1_500;
    nodes[1].stallSearchMillis = 1_500;
    QuiverException slow = assertThrows(QuiverException.class,
        () -> cluster.search(Samples.TABLE, SEARCH, 5));
    assertEquals(ErrorCode.CONNECTION_LOST, slow.code(), slow.getMessage());
    assertEquals(Set.of("node0", "node1"), cluster.liveNodes(),
        "the node answered a cheap call after the read ran out of time: it stays");
    assertEquals(2, searches(nodes[0]), "the read ran again once before it failed");

    // Slow only the first time: the read that runs again gets the node's own answer (the
    // recording node's error), not the cut.
    Thread.ofVirtual().start(() -> {
      try {
        await(() -> searches(nodes[0]) >= 3, "the first try arrives");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      nodes[0].stallSearchMillis = 0;
      nodes[1].stallSearchMillis = 0;
    });
    QuiverException second = assertThrows(QuiverException.class,
        () -> cluster.search(Samples.TABLE, SEARCH, 5));
    assertFalse(second instanceof QueryNodeUnavailableException, second.toString());
    assertEquals(4, searches(nodes[0]));
    assertEquals(Set.of("node0", "node1"), cluster.liveNodes());

    servers[0].close();
    for (int i = 0; i < 3; i++) {
      assertThrows(QuiverException.class, () -> cluster.search(Samples.TABLE, SEARCH, 5));
    }
    assertEquals(Set.of("node1"), cluster.liveNodes(), "the silent node left");
    long answered = searches(nodes[1]);
    assertTrue(answered >= 3, "the node left answers every read: " + answered);

    servers[1].close();
    QuiverException none = assertThrows(QuiverException.class,
        () -> cluster.search(Samples.TABLE, SEARCH, 5));
    assertEquals(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE, none.code());
    assertTrue(none.getMessage().contains("no query node is up"), none.getMessage());
  }
}
