package org.quiver.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.querynode.QueryNodeUnavailableException;
import org.quiver.fixtures.ChildJvm;

/**
 * A query node in another JVM, killed with SIGKILL while a client reads a scan from it: the
 * client's read fails as unavailable at once, not when the scan's deadline passes.
 */
class KilledNodeTest {

  /** The child: serves a node whose scans never end, prints its port, and waits to be killed. */
  public static final class Child {
    public static void main(String[] args) throws InterruptedException {
      QueryNodeServer server = QueryNodeServer.start(new RecordingQueryNode(null), "127.0.0.1", 0);
      System.out.println("port " + server.port());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void aKilledNodeFailsTheScanAndTheNextCallsAsUnavailable() {
    try (ChildJvm child = ChildJvm.start(Child.class)) {
      String line = child.readLine();
      assertTrue(line != null && line.startsWith("port "), "the child printed " + line);
      String location = "127.0.0.1:" + line.substring("port ".length());
      Duration scanDeadline = Duration.ofSeconds(60);
      try (RemoteQueryNode remote = new RemoteQueryNode(location, new RemoteQueryNode.Deadlines(
          Duration.ofSeconds(5), Duration.ofSeconds(30), scanDeadline, Duration.ofSeconds(30)))) {
        remote.ping();
        RowStream rows = remote.scan(Samples.HIDDEN_KEY,
            new QueryRequest("no_key", null, List.of("_row_id"), -1), 1);
        List<ResultRows> read = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          read.add(rows.next());
        }
        assertEquals(2_000L, read.get(2).value(0, 0), "chunks arrive in order");
        child.kill();
        long start = System.nanoTime();
        QueryNodeUnavailableException e = assertThrows(QueryNodeUnavailableException.class,
            () -> {
              while (rows.hasNext()) {
                rows.next();
              }
            });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "noticed after " + took);
        assertEquals(location, e.location());
        rows.close();
        assertThrows(QueryNodeUnavailableException.class, remote::ping);
        assertThrows(QueryNodeUnavailableException.class, () -> remote.isLoaded(1));
      }
    }
  }
}
