package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.querynode.QueryNodeUnavailableException;

/**
 * Every action over the wire to a node that records what arrived and answers fixed values, and
 * what the caller sees when the node refuses, fails, stalls, is gone or was never there.
 */
class QueryNodeFailuresTest {
  private static final RemoteQueryNode.Deadlines SHORT = new RemoteQueryNode.Deadlines(
      Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));

  private RecordingQueryNode node;
  private QueryNodeServer server;
  private RemoteQueryNode remote;

  @BeforeEach
  void serve() {
    node = new RecordingQueryNode(null);
    server = QueryNodeServer.start(node, "127.0.0.1", 0);
    remote = new RemoteQueryNode(server.location(), SHORT);
  }

  @AfterEach
  void stop() {
    remote.close();
    server.close();
  }

  @Test
  void everyActionArrivesIntactAndItsAnswerComesBack() {
    remote.ping();
    assertTrue(node.calls.isEmpty(), "a ping asks the node nothing");
    remote.load(Samples.TABLE);
    assertEquals(new QueryNodeCall.Load(Samples.TABLE), node.last());
    remote.loadRetained(Samples.DROPPED);
    assertEquals(new QueryNodeCall.LoadRetained(Samples.DROPPED), node.last());
    assertEquals(RecordingQueryNode.RELEASED, remote.releasedPartitions(42));
    assertEquals(new QueryNodeCall.ReleasedPartitions(42), node.last());
    assertEquals(RecordingQueryNode.STATE, remote.loadState(42));
    assertEquals(new QueryNodeCall.LoadStateOf(42, null), node.last());
    assertEquals(RecordingQueryNode.STATE, remote.loadState(42, "p1"));
    assertEquals(new QueryNodeCall.LoadStateOf(42, "p1"), node.last());
    remote.release(43);
    assertEquals(new QueryNodeCall.Release(43), node.last());
    remote.indexBuilt(Samples.SEGMENT, Samples.INDEX);
    assertEquals(new QueryNodeCall.IndexBuilt(Samples.SEGMENT, Samples.INDEX), node.last());
    remote.indexDropped(Samples.INDEX);
    assertEquals(new QueryNodeCall.IndexDropped(Samples.INDEX), node.last());
    assertEquals(Long.MAX_VALUE - 1, remote.indexHeapBytes(Samples.INDEX));
    assertEquals(new QueryNodeCall.IndexHeapBytes(Samples.INDEX), node.last());
    assertTrue(remote.isLoaded(4));
    assertFalse(remote.isLoaded(5));
    assertEquals(new QueryNodeCall.IsLoaded(5), node.last());
    assertEquals(-7, remote.tSafe(7));
    assertEquals(new QueryNodeCall.TSafe(7), node.last());
    remote.advanceTSafe(Samples.HIDDEN_KEY, 1L << 50);
    assertEquals(new QueryNodeCall.AdvanceTSafe(Samples.HIDDEN_KEY, 1L << 50), node.last());
    remote.catchUp(Samples.TABLE);
    assertEquals(new QueryNodeCall.CatchUp(Samples.TABLE), node.last());
    remote.segmentsFlushed(List.of(Samples.SEGMENT));
    assertEquals(new QueryNodeCall.SegmentsFlushed(List.of(Samples.SEGMENT)), node.last());
    remote.partitionDropped(42, "p1");
    assertEquals(new QueryNodeCall.PartitionDropped(42, "p1"), node.last());
    remote.segmentsCompacted(List.of(Samples.SEGMENT, Samples.SEGMENT), Samples.SEGMENT);
    assertEquals(new QueryNodeCall.SegmentsCompacted(List.of(Samples.SEGMENT, Samples.SEGMENT),
        Samples.SEGMENT), node.last());
    assertEquals(Optional.of(Samples.DAMAGE), remote.unreadable(Samples.TABLE));
    assertEquals(new QueryNodeCall.Unreadable(Samples.TABLE), node.last());
    assertEquals(18, node.calls.size());
  }

  @Test
  void everyErrorCodeOfTheNodeArrivesAsItself() {
    for (ErrorCode code : ErrorCode.values()) {
      node.failure = new QuiverException(code, "refused with " + code.sqlState() + " \"quoted\"");
      QuiverException e = assertThrows(QuiverException.class, () -> remote.tSafe(1));
      assertEquals(code, e.code());
      assertEquals("refused with " + code.sqlState() + " \"quoted\"", e.getMessage());
      assertFalse(e instanceof QueryNodeUnavailableException,
          "the node answered, even when its answer is " + code);
    }
  }

  @Test
  void aScanThatFailsInTheMiddleKeepsTheNodesCodeAfterItsFirstChunks() {
    node.scanFailure = new QuiverException(ErrorCode.DATA_CORRUPTED, "segment 7 is damaged");
    RowStream rows = remote.scan(Samples.HIDDEN_KEY,
        new QueryRequest("no_key", null, List.of("_row_id"), -1), 1);
    assertEquals(0L, rows.next().value(0, 0));
    assertEquals(1_000L, rows.next().value(0, 0));
    QuiverException e = assertThrows(QuiverException.class, rows::hasNext);
    assertEquals(ErrorCode.DATA_CORRUPTED, e.code());
    assertEquals("segment 7 is damaged", e.getMessage());
    rows.close();
    assertEquals(1, node.scansClosed.get());
  }

  @Test
  void aScanTheNodeRefusesFailsWhenAsked() {
    node.failure = new QuiverException(ErrorCode.UNDEFINED_COLUMN, "column \"x\" does not exist");
    QuiverException e = assertThrows(QuiverException.class, () -> remote.scan(Samples.HIDDEN_KEY,
        new QueryRequest("no_key", null, List.of("x"), -1), 1));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, e.code());
  }

  @Test
  void anyOtherFailureIsAnInternalErrorWithItsMessage() {
    node.failure = new IllegalStateException("the node tripped over itself");
    QuiverException e = assertThrows(QuiverException.class, () -> remote.load(Samples.TABLE));
    assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
    assertEquals("the node tripped over itself", e.getMessage());
  }

  @Test
  void aStalledNodeMissesTheDeadline() {
    node.stallMillis = 5_000;
    QueryNodeUnavailableException e = assertWithin(Duration.ofSeconds(4),
        () -> remote.isLoaded(1));
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    assertEquals(server.location(), e.location());
    // The server itself still answers: a ping does not wait for the node.
    remote.ping();
  }

  @Test
  void aClosedServerIsUnavailableWithinTheDeadline() {
    remote.ping();
    server.close();
    QueryNodeUnavailableException e = assertWithin(Duration.ofSeconds(4),
        () -> remote.load(Samples.TABLE));
    assertEquals(ErrorCode.CONNECTION_LOST, e.code());
    assertEquals("08006", e.code().sqlState());
    assertEquals(server.location(), e.location());
    assertTrue(e.getMessage().contains(server.location()), e.getMessage());
    assertWithin(Duration.ofSeconds(2), remote::ping);
    assertInstanceOf(QueryNodeUnavailableException.class, assertThrows(QuiverException.class,
        () -> remote.scan(Samples.TABLE, new QueryRequest("every_type", null, List.of("pk"), -1),
            1)));
  }

  @Test
  void aNodeNeverStartedIsUnavailable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (RemoteQueryNode nowhere = new RemoteQueryNode("127.0.0.1:" + port, SHORT)) {
      QueryNodeUnavailableException e = assertWithin(Duration.ofSeconds(4),
          () -> nowhere.isLoaded(1));
      assertEquals("127.0.0.1:" + port, e.location());
    }
  }

  @Test
  void aLocationThatIsNotHostAndPortIsRefused() {
    for (String bad : new String[] {"localhost", "localhost:", ":8815", "host:port", "h:70000"}) {
      QuiverException e = assertThrows(QuiverException.class, () -> new RemoteQueryNode(bad));
      assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code(), bad);
    }
  }

  /** Runs {@code call}, which must fail as unavailable within {@code bound}. */
  private static QueryNodeUnavailableException assertWithin(Duration bound, Executable call) {
    long start = System.nanoTime();
    QueryNodeUnavailableException e = assertThrows(QueryNodeUnavailableException.class, call);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(bound) < 0, "failed after " + took + ", bound " + bound);
    return e;
  }
}
