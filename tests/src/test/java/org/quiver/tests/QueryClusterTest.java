package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
    Properties coordinator = new Properties();
    coordinator.putAll(shared);
    coordinator.setProperty("queryNodes", "remote");
    Node first = Node.start(dir.resolve("node1"), "node1", shared);
    Node second = Node.start(dir.resolve("node2"), "node2", shared);
    try (Connection c = DriverManager.getConnection(
            "jdbc:quiver:file:" + dir.resolve("coordinator"), coordinator);
        Statement s = c.createStatement()) {
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
        // Each read goes to the next node in turn: both answer the same.
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
        assertTrue(plan.contains("query_nodes=[one of 2 replicas [node1, node2], in turn]"), plan);
      }

      first.server().close();
      for (int i = 0; i < 6; i++) {
        assertEquals(List.of(1000L, 1001L, 51L), nearest(s, "[50.4,3]"),
            "the node that answers serves every read");
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
