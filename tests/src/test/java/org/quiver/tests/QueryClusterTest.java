package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.QueryNodeService;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.cluster.QueryNodeServer;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalKafka;
import org.quiver.fixtures.LocalS3;

/**
 * An engine as a cluster's coordinator ({@code queryNodes=remote}) with query nodes that serve it
 * over Arrow Flight: reads go to the nodes (none up, none answer), a node that stops answering is
 * left and the other answers, a node that comes back joins and has every row, and a query node
 * refuses to start without the three shared services.
 */
class QueryClusterTest {
  private static LocalEtcd etcd;
  private static LocalKafka kafka;
  private static LocalS3 s3;

  @TempDir Path dir;

  @BeforeAll
  static void services() {
    etcd = LocalEtcd.start();
    kafka = LocalKafka.start();
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopServices() {
    s3.close();
    kafka.close();
    etcd.close();
  }

  private Properties shared(String name) {
    Properties p = new Properties();
    p.setProperty("catalog", etcd.endpoint().replace("http://", "etcd://") + "/" + name + "/");
    p.setProperty("log", "kafka://" + kafka.bootstrapServers() + "/" + name + "?replication=1");
    p.setProperty("segments", s3.location(name + "/"));
    return p;
  }

  /** A query node and its transport, as {@code serve --role querynode} runs them. */
  private record Node(QueryNodeService service, QueryNodeServer server) implements AutoCloseable {
    static Node start(Path cache, String id, Properties shared) {
      QueryNodeService service = QueryNodeService.open(QuiverConfig.at(cache)
          .withCatalog(URI.create(shared.getProperty("catalog")))
          .withLog(URI.create(shared.getProperty("log")))
          .withSegments(URI.create(shared.getProperty("segments"))), id);
      QueryNodeServer server = QueryNodeServer.start(service, "127.0.0.1", 0);
      service.register("127.0.0.1:" + server.port());
      return new Node(service, server);
    }

    @Override
    public void close() {
      server.close();
      service.close();
    }
  }

  /** An engine on the shared services whose reads go to the query nodes. */
  private Connection coordinator(Properties shared) throws SQLException {
    Properties p = new Properties();
    p.putAll(shared);
    p.setProperty("queryNodes", "remote");
    return DriverManager.getConnection("jdbc:quiver:file:" + dir.resolve("coordinator"), p);
  }

  private static List<Long> nearest(Statement s, String vector) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(
        "SELECT id FROM items ORDER BY v <-> '" + vector + "', id LIMIT 3")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static long count(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void readsGoToTheQueryNodesAndGoOnWhileOneAnswers() throws Exception {
    Properties shared = shared("failover");
    Node first = Node.start(dir.resolve("node1"), "node1", shared);
    Node second = Node.start(dir.resolve("node2"), "node2", shared);
    try (Connection c = coordinator(shared); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        rows.append(i == 0 ? "" : ", ").append('(').append(i).append(", '[").append(i)
            .append(',').append(i % 7).append("]')");
      }
      s.execute("INSERT INTO items VALUES " + rows);
      s.execute("FLUSH TABLE items");
      s.execute("INSERT INTO items VALUES (1000, '[50,3]'), (1001, '[51,3]')");
      s.execute("DELETE FROM items WHERE id = 50");
      for (int i = 0; i < 6; i++) {
        // Each read goes to both nodes, each for its part.
        assertEquals(List.of(1000L, 1001L, 51L), nearest(s, "[50.4,3]"));
        assertEquals(301, count(s));
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT load_state, row_count FROM sys.tables WHERE table_name = 'items'")) {
        assertTrue(rs.next());
        assertEquals("loaded", rs.getString(1), "as a query node reports it");
        assertEquals(301, rs.getLong(2));
      }

      try (ResultSet rs = s.executeQuery(
          "EXPLAIN PLAN FOR SELECT id FROM items ORDER BY v <-> '[1,1]' LIMIT 3")) {
        assertTrue(rs.next());
        String plan = rs.getString(1);
        assertTrue(plan.matches("(?s).*query_nodes=\\[2 nodes \\[node1: \\d segments?"
            + "(?: and the growing rows)?, node2: \\d segments?(?: and the growing rows)?\\],"
            + " top k merged\\].*"), plan);
        assertTrue(plan.contains("and the growing rows"), plan);
      }

      first.server().close();
      for (int i = 0; i < 6; i++) {
        assertEquals(List.of(1000L, 1001L, 51L), nearest(s, "[50.4,3]"),
            "the node that answers has loaded the other's part");
      }
      second.close();
      SQLException none = assertThrows(SQLException.class, () -> nearest(s, "[1,1]"));
      assertEquals("55000", none.getSQLState());
      assertTrue(none.getMessage().contains("no query node is up"), none.getMessage());

      // Written while no node was up; a node that comes back loads it.
      s.execute("INSERT INTO items VALUES (2000, '[50,3]')");
      first.service().close();
      try (Node again = Node.start(dir.resolve("node1"), "node1", shared)) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
          try {
            assertEquals(List.of(1000L, 2000L, 1001L), nearest(s, "[50.2,3]"));
            break;
          } catch (SQLException notYet) {
            assertEquals("55000", notYet.getSQLState(), notYet.getMessage());
            assertTrue(System.nanoTime() < deadline, "the node did not join: " + notYet);
            Thread.sleep(100);
          }
        }
        assertEquals(302, count(s));
      }
    } finally {
      first.server().close();
    }
  }

  /** The files named {@code name} under {@code root}. */
  private static long files(Path root, String name) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().equals(name)).count();
    }
  }

  /** The id of the one table a node holds, found by asking it. */
  private static long heldTable(Node node) {
    return LongStream.range(0, 100_000).filter(node.service()::isLoaded).findFirst()
        .orElseThrow();
  }

  private static List<Long> ids(Statement s, String sql) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  @Test
  void theNodesShareTheSegmentsOutAndEveryRowIsReadOnce() throws Exception {
    Properties shared = shared("shares");
    Node first = Node.start(dir.resolve("node1"), "node1", shared);
    Node second = Node.start(dir.resolve("node2"), "node2", shared);
    try (Connection c = coordinator(shared); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      // Eight seals: segments enough that each node holds some.
      List<Long> expected = new ArrayList<>();
      for (int seal = 0; seal < 8; seal++) {
        StringBuilder rows = new StringBuilder();
        for (int i = seal * 20; i < seal * 20 + 20; i++) {
          rows.append(rows.isEmpty() ? "" : ", ").append('(').append(i).append(", '[")
              .append(i % 10).append(",0]')");
          expected.add((long) i);
        }
        s.execute("INSERT INTO items VALUES " + rows);
        s.execute("FLUSH TABLE items");
      }
      s.execute("INSERT INTO items VALUES (500, '[3,0]'), (501, '[4,0]')");
      // Deletes of rows in segments either node holds: every node holds every delete.
      s.execute("DELETE FROM items WHERE id IN (3, 13, 43, 93, 153)");
      expected.removeAll(List.of(3L, 13L, 43L, 93L, 153L));
      expected.addAll(List.of(500L, 501L));

      long table = heldTable(first);
      long firstMapped = first.service().loadState(table).mappedBytes();
      long secondMapped = second.service().loadState(table).mappedBytes();
      assertTrue(firstMapped > 0 && secondMapped > 0,
          "each node maps its part: " + firstMapped + ", " + secondMapped);
      assertEquals(8, files(dir.resolve("node1"), "data.arrow")
          + files(dir.resolve("node2"), "data.arrow"),
          "a node fetches the rows of its own segments only, the delete files of all");
      assertEquals(16, files(dir.resolve("node1"), "deletes.arrow")
          + files(dir.resolve("node2"), "deletes.arrow"));
      try (ResultSet rs = s.executeQuery(
          "SELECT mapped_bytes FROM sys.tables WHERE table_name = 'items'")) {
        assertTrue(rs.next());
        assertEquals(firstMapped + secondMapped, rs.getLong(1), "the table's is their sum");
      }

      Map<String, Long> perNode = new TreeMap<>();
      try (ResultSet rs = s.executeQuery("SELECT query_node, COUNT(*) FROM sys.segments"
          + " WHERE table_name = 'items' GROUP BY query_node")) {
        while (rs.next()) {
          perNode.put(rs.getString(1), rs.getLong(2));
        }
      }
      assertEquals(Set.of("node1", "node2"), perNode.keySet(), "sys.segments names the holder");
      assertEquals(8, perNode.values().stream().mapToLong(Long::longValue).sum());

      String all = "SELECT id FROM items ORDER BY id";
      String nearest = "SELECT id FROM items ORDER BY v <-> '[3.1,0]' LIMIT 25";
      // The 14 rows at [3,0] left, then those at [4,0] by segment: ties as one process ranks them.
      List<Long> near = new ArrayList<>(List.of(23L, 33L, 53L, 63L, 73L, 83L, 103L, 113L, 123L,
          133L, 143L, 500L));
      near.addAll(List.of(4L, 14L, 24L, 34L, 44L, 54L, 64L, 74L, 84L, 94L, 104L, 114L, 124L));
      assertEquals(expected.stream().sorted().toList(), ids(s, all), "every row once");
      assertEquals(near, ids(s, nearest));
      assertEquals(expected.size(), count(s));
      assertEquals(List.of(33L, 53L, 63L), ids(s,
          "SELECT id FROM items ORDER BY v <-> '[3.1,0]' LIMIT 3 OFFSET 1"),
          "the offset is applied after the merge");

      second.close();
      assertEquals(expected.stream().sorted().toList(), ids(s, all),
          "the node left holds every row once it has loaded the other's part");
      assertEquals(near, ids(s, nearest));
      assertTrue(first.service().loadState(table).mappedBytes() > firstMapped);

      // Back: it loads its part again, and the first node lets go of it in place.
      try (Node again = Node.start(dir.resolve("node2"), "node2", shared)) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!again.service().isLoaded(table)
            || first.service().loadState(table).mappedBytes() != firstMapped) {
          assertTrue(System.nanoTime() < deadline, "the node did not join");
          Thread.sleep(50);
        }
        assertEquals(secondMapped, again.service().loadState(table).mappedBytes());
        assertEquals(expected.stream().sorted().toList(), ids(s, all));
        assertEquals(near, ids(s, nearest));
      }
    } finally {
      first.close();
      second.server().close();
    }
  }

  @Test
  void aQueryNodeNeedsTheThreeSharedServices() {
    Properties shared = shared("refused");
    QuiverException e = assertThrows(QuiverException.class,
        () -> QueryNodeService.open(QuiverConfig.at(dir.resolve("node"))
            .withCatalog(URI.create(shared.getProperty("catalog"))), "node"));
    assertEquals("22023", e.code().sqlState());
    assertTrue(e.getMessage().contains("all three"), e.getMessage());
  }
}
