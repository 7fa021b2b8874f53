package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalKafka;
import org.quiver.fixtures.LocalS3;
import org.quiver.storage.FileTrees;
import org.quiver.storage.kv.EtcdKvStore;

/**
 * An engine whose catalog, clock, id windows and checkpoints live in a real etcd ({@code catalog}
 * connection property, {@code serve --catalog}) and whose log is on a real Kafka broker ({@code
 * log}, {@code serve --log}): what it writes is there and not in the data folder, it opens again
 * from there, one engine at a time holds a catalog, and a location that cannot be used fails the
 * connection with a SQLSTATE naming it.
 */
class SharedServicesTest {
  private static LocalEtcd etcd;
  private static LocalKafka kafka;
  private static LocalS3 s3;

  @TempDir Path dir;

  @BeforeAll
  static void startServices() {
    etcd = LocalEtcd.start();
    kafka = LocalKafka.start();
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopServices() {
    if (s3 != null) {
      s3.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private static String catalog(String root) {
    return etcd.endpoint().replace("http://", "etcd://") + "/" + root + "/";
  }

  private static Connection connect(Path data, String catalog) throws SQLException {
    return connect(data, catalog, null);
  }

  private static Connection connect(Path data, String catalog, String log) throws SQLException {
    Properties info = new Properties();
    info.setProperty("catalog", catalog);
    if (log != null) {
      info.setProperty("log", log);
    }
    return DriverManager.getConnection("jdbc:quiver:file:" + data, info);
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theCatalogLivesInEtcdAndOpensAgainFromThere() throws Exception {
    Path data = dir.resolve("data");
    String catalog = catalog("reopen");
    try (Connection c = connect(data, catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO items VALUES (1, '[1,0]'), (2, '[0,1]'), (3, '[1,1]')");
      s.execute("FLUSH TABLE items");
      s.execute("INSERT INTO items VALUES (4, '[2,2]')");
    }
    assertFalse(Files.exists(data.resolve("meta")), "no local catalog beside etcd's");
    try (EtcdKvStore kv = EtcdKvStore.connect(List.of(etcd.endpoint()), "reopen/")) {
      SortedMap<String, byte[]> keys = kv.scanPrefix("");
      assertTrue(keys.keySet().stream().anyMatch(k -> k.startsWith("collection/"))
          && keys.keySet().stream().anyMatch(k -> k.startsWith("segment/"))
          && keys.containsKey("tso/window_end"),
          "the table, its flushed segment and the clock are in etcd: " + keys.keySet());
      assertFalse(keys.containsKey("engine/owner"), "the claim is released at close");
    }
    try (Connection c = connect(data, catalog); Statement s = c.createStatement()) {
      assertEquals(4, count(c, "items"));
      try (ResultSet rs = s.executeQuery(
          "SELECT id FROM items ORDER BY v <-> '[2,2]' LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getLong(1));
      }
    }
  }

  @Test
  void aSecondEngineOnTheSameCatalogIsRefused() throws Exception {
    String catalog = catalog("owned");
    try (Connection first = connect(dir.resolve("first"), catalog)) {
      SQLException e = assertThrows(SQLException.class,
          () -> connect(dir.resolve("second"), catalog).close());
      assertEquals("55000", e.getSQLState());
      assertTrue(e.getMessage().contains("in use by another Quiver engine"), e.getMessage());
      assertTrue(e.getMessage().contains("first"), "names the holder: " + e.getMessage());
      try (Statement s = first.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
        s.execute("INSERT INTO t VALUES (1)");
      }
      assertEquals(1, count(first, "t"), "the holder goes on working");
    }
    // Closed, the catalog is free at once (the claim's lease is revoked, not left to lapse),
    // for the data folder it describes and no other.
    try (Connection again = connect(dir.resolve("first"), catalog)) {
      assertEquals(1, count(again, "t"));
    }
    SQLException foreign = assertThrows(SQLException.class,
        () -> connect(dir.resolve("second"), catalog).close());
    assertEquals("55000", foreign.getSQLState());
    assertTrue(foreign.getMessage().contains("describes the data folder"), foreign.getMessage());
  }

  @Test
  void aLocationThatCannotBeUsedFailsTheConnection() {
    SQLException notAUri = assertThrows(SQLException.class,
        () -> connect(dir.resolve("a"), "localhost").close());
    assertEquals("22023", notAUri.getSQLState());
    assertTrue(notAUri.getMessage().contains("'localhost'"), notAUri.getMessage());

    SQLException unknown = assertThrows(SQLException.class,
        () -> connect(dir.resolve("b"), "zookeeper://127.0.0.1:2181/q").close());
    assertEquals("0A000", unknown.getSQLState());
    assertTrue(unknown.getMessage().contains("zookeeper"), unknown.getMessage());
  }

  @Test
  void theLogLivesOnKafkaAndWritesNotYetFlushedComeBackFromIt() throws Exception {
    Path data = dir.resolve("data");
    String catalog = catalog("kafkalog");
    String log = "kafka://" + kafka.bootstrapServers() + "/kafkalog?replication=1";
    try (Connection c = connect(data, catalog, log); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO items VALUES (1, '[1,0]'), (2, '[0,1]')");
      s.execute("DELETE FROM items WHERE id = 2");
      s.execute("INSERT INTO items VALUES (3, '[1,1]')");
    }
    assertFalse(Files.exists(data.resolve("mq")), "no local log beside Kafka");
    try (EtcdKvStore kv = EtcdKvStore.connect(List.of(etcd.endpoint()), "kafkalog/")) {
      assertTrue(kv.scanPrefix("mq/kafkalog/").keySet().stream()
          .anyMatch(k -> k.contains("/position/")),
          "consumer positions are in the catalog store: " + kv.scanPrefix("mq/").keySet());
    }
    try (Connection c = connect(data, catalog, log); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY id")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getLong(1));
      assertTrue(rs.next());
      assertEquals(3, rs.getLong(1));
      assertFalse(rs.next(), "the delete replays too");
    }
  }

  @Test
  void aLogLocationThatCannotBeUsedFailsTheConnection() {
    String catalog = catalog("badlog");
    SQLException parameter = assertThrows(SQLException.class, () -> connect(dir.resolve("a"),
        catalog, "kafka://" + kafka.bootstrapServers() + "/q?colour=red").close());
    assertEquals("22023", parameter.getSQLState());
    assertTrue(parameter.getMessage().contains("colour"), parameter.getMessage());

    long start = System.nanoTime();
    SQLException down = assertThrows(SQLException.class, () -> connect(dir.resolve("a"),
        catalog, "kafka://127.0.0.1:1/q?timeoutMs=1000").close());
    assertEquals("08001", down.getSQLState());
    assertTrue(down.getMessage().contains("127.0.0.1:1"), down.getMessage());
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "fails within bounded time");
  }

  @Test
  void withEverythingSharedAnotherFolderTakesOverTheEngine() throws Exception {
    String root = "takeover";
    Properties shared = new Properties();
    shared.setProperty("catalog", catalog(root));
    shared.setProperty("log", "kafka://" + kafka.bootstrapServers() + "/takeover?replication=1");
    shared.setProperty("segments", s3.location("takeover/"));
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir.resolve("lost"),
        shared); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO items VALUES (1, '[1,0]'), (2, '[0,1]'), (3, '[1,1]')");
      s.execute("FLUSH TABLE items");
      s.execute("INSERT INTO items VALUES (4, '[2,2]')");
    }
    // The first folder is gone (a node that lost its disk): a new, empty one opens the catalog,
    // reads the flushed rows from S3 and the unflushed one from Kafka.
    FileTrees.deleteRecursively(dir.resolve("lost"));
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir.resolve("new"),
        shared); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY id")) {
      List<Long> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
      assertEquals(List.of(1L, 2L, 3L, 4L), ids);
    }
  }

  @Test
  void whileKafkaIsAwayWritesFailAndNothingAcknowledgedIsLost() throws Exception {
    Path data = dir.resolve("data");
    String catalog = catalog("kafkadown");
    String log = "kafka://" + kafka.bootstrapServers() + "/kafkadown?replication=1&timeoutMs=3000";
    try (Connection c = connect(data, catalog, log); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO items VALUES (1, '[1,0]')");
      kafka.kill();
      try {
        long start = System.nanoTime();
        SQLException down = assertThrows(SQLException.class,
            () -> s.execute("INSERT INTO items VALUES (2, '[0,1]')"));
        assertEquals("58030", down.getSQLState(), down.getMessage());
        assertTrue(down.getMessage().contains("Kafka"), down.getMessage());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "fails within bounded time");
      } finally {
        kafka.restart();
      }
      s.execute("INSERT INTO items VALUES (3, '[1,1]')");
      try (ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY id")) {
        List<Long> ids = new java.util.ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
        // Row 2 was never acknowledged: it may or may not have reached the log before it failed.
        assertTrue(ids.containsAll(List.of(1L, 3L)) && ids.size() <= 3,
            "every acknowledged row is there, once: " + ids);
      }
    }
  }

  @Test
  void aBatchOfWideVectorsIsOneMessageLargerThanKafkasDefaultLimit() throws Exception {
    String log = "kafka://" + kafka.bootstrapServers() + "/wide?replication=1";
    try (Connection c = connect(dir.resolve("data"), catalog("wide"), log);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE wide (id BIGINT PRIMARY KEY, v VECTOR(768))");
      StringBuilder insert = new StringBuilder("INSERT INTO wide VALUES ");
      String vector = "'[" + "0.125,".repeat(767) + "0.125]'";
      for (int i = 0; i < 600; i++) {
        insert.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(vector)
            .append(")");
      }
      s.execute(insert.toString());
      assertEquals(600, count(c, "wide"), "600 x 768 floats (1.8 MB) went through as one write");
    }
  }

  @Test
  void whileS3IsAwayFlushesFailAndTheRowsWaitInTheLog() throws Exception {
    try (LocalS3 own = LocalS3.start()) {
      Properties shared = new Properties();
      shared.setProperty("catalog", catalog("s3down"));
      shared.setProperty("log", "kafka://" + kafka.bootstrapServers() + "/s3down?replication=1");
      shared.setProperty("segments", own.location("s3down/"));
      try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir.resolve("a"),
          shared); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO items VALUES (1, '[1,0]'), (2, '[0,1]')");
        own.kill();
        SQLException flush = assertThrows(SQLException.class, () -> s.execute("FLUSH TABLE items"));
        assertEquals("58030", flush.getSQLState(), flush.getMessage());
        assertFalse(flush.getMessage().contains(own.secretKey()), "no credentials in the error");
        s.execute("INSERT INTO items VALUES (3, '[1,1]')");
        assertEquals(3, count(c, "items"), "writes and reads go on from the log");
        own.restart();
        // A flush tries again at once (not after the data node's back-off): S3 is back.
        s.execute("FLUSH TABLE items");
      }
      // Flushed once S3 was back: a new folder finds every row (from S3 and what is left in Kafka).
      try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir.resolve("b"),
          shared)) {
        assertEquals(3, count(c, "items"));
      }
    }
  }

  @Test
  void whileEtcdIsAwayCatalogWritesFailAndGoOnWhenItIsBack() throws Exception {
    String catalog = catalog("etcddown") + "?timeoutMs=2000";
    try (Connection c = connect(dir.resolve("data"), catalog); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE a (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO a VALUES (1, '[1,0]')");
      etcd.kill();
      try {
        long start = System.nanoTime();
        SQLException down = assertThrows(SQLException.class,
            () -> s.execute("CREATE TABLE b (id BIGINT PRIMARY KEY)"));
        assertEquals("58030", down.getSQLState(), down.getMessage());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "fails within bounded time");
      } finally {
        // Back within the claim's lease (10 s): the engine goes on as the catalog's owner.
        etcd.restart();
      }
      s.execute("CREATE TABLE b (id BIGINT PRIMARY KEY)");
      s.execute("INSERT INTO a VALUES (2, '[0,1]')");
      assertEquals(2, count(c, "a"));
    }
  }
}
