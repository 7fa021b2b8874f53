package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.services.ServiceProcess;
import org.quiver.sql.cli.Main;

/**
 * A development cluster ({@code quiver cluster up --query-nodes 2 --proxies 2}: etcd, Kafka,
 * S3Proxy, a coordinator, two query nodes and two proxies, each a process of its own), driven
 * through the stock Avatica driver at the URL {@code up} prints (the first proxy's), its data in
 * the services (topics on the broker, objects in the bucket, no local catalog), losing a process
 * to SIGKILL: a query node during searches (every answer stays right, none fails), the second
 * proxy during searches through both (the first proxy's clients see nothing), then the
 * coordinator with its data node during inserts (every acknowledged row is there exactly once
 * after {@code up} starts it again, and the rows of before come back from Kafka and S3; the
 * proxies outlive it and reach it again); the coordinator's engine port refuses a caller without
 * the cluster's token; {@code status} lists the processes and {@code down} stops every one.
 */
class ClusterFailoverTest {
  private static final int DIM = 8;
  private static final int ROWS = 1500;
  private static final int PROCESSES = 8;

  @TempDir Path dir;
  private Path cluster;
  private String avatica;

  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
        .execute(args);
    return new Run(exit, out.toString());
  }

  /** Runs a command that must succeed; its output. */
  private static String quiver(String... args) {
    Run r = run(args);
    assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.out());
    return r.out();
  }

  private static List<Long> pids(String status) {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("running, pid (\\d+)").matcher(status);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  private static boolean anyFile(Path root, String nameFragment) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.anyMatch(p -> p.getFileName().toString().contains(nameFragment));
    }
  }

  @BeforeEach
  void up() {
    cluster = dir.resolve("cluster");
    String port = Integer.toString(ServiceProcess.freePort());
    avatica = "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=protobuf";
    String up = quiver("cluster", "up", "--data", cluster.toString(), "--port", port,
        "--query-nodes", "2", "--proxies", "2");
    assertTrue(up.contains(avatica), "up prints the URL: " + up);
    assertEquals(PROCESSES, pids(up).size(),
        "etcd, Kafka, S3, the coordinator, two query nodes and two proxies run: " + up);
  }

  @AfterEach
  void down() throws Exception {
    Main.commandLine().setOut(new PrintWriter(new StringWriter()))
        .execute("cluster", "down", "--data", cluster.toString());
    keepLogs();
    for (String key : List.of("proxy1", "proxy2", "quiver", "querynode1", "querynode2", "s3",
        "kafka", "etcd")) {
      pid(key).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Copies the processes' logs to {@code target/cluster-logs/} before the temporary folder goes:
   * a failure here is often one process's story (a node's last words, the coordinator's
   * eviction), and it must be readable after the run. Never fails the test.
   */
  private void keepLogs() {
    Path logs = cluster.resolve("logs");
    Path kept = Path.of("target", "cluster-logs", getClass().getSimpleName());
    try (Stream<Path> files = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
      Files.createDirectories(kept);
      for (Path log : files.toList()) {
        Files.copy(log, kept.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("could not keep the cluster's logs: " + e);
    }
  }

  private java.util.Optional<Long> pid(String service) throws Exception {
    return java.util.Optional.ofNullable(recorded(service + ".pid")).map(Long::valueOf);
  }

  /** What {@code cluster.properties} records under {@code key}. */
  private String recorded(String key) throws Exception {
    Properties state = new Properties();
    try (InputStream in = Files.newInputStream(cluster.resolve("cluster.properties"))) {
      state.load(in);
    }
    return state.getProperty(key);
  }

  private void kill(String service) throws Exception {
    ProcessHandle p = ProcessHandle.of(pid(service).orElseThrow()).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
  }

  private static String vector(Random random) {
    StringBuilder v = new StringBuilder("[");
    for (int d = 0; d < DIM; d++) {
      v.append(d == 0 ? "" : ",").append(random.nextInt(100));
    }
    return v.append(']').toString();
  }

  /** The ids of the 10 nearest rows, nearest first (exact search: one right answer). */
  private static List<Long> nearest(Connection c, String query) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id FROM items ORDER BY v <-> CAST(? AS VECTOR(" + DIM + ")), id LIMIT 10")) {
      s.setString(1, query);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /**
   * One cluster through both failures in turn (each {@code up} of six processes costs half a
   * minute): a query node killed during searches, then the coordinator killed during inserts.
   */
  @Test
  void aKilledQueryNodeCostsNoSearchAndAKilledCoordinatorNoAcknowledgedRow() throws Exception {
    searchesKeepAnsweringRightWhenAQueryNodeIsKilled();
    aKilledProxyCostsTheOtherProxysClientsNothing();
    everyAcknowledgedInsertIsThereOnceAfterTheCoordinatorIsKilled();
    statusListsTheProcessesAndDownStopsThem();
  }

  private void statusListsTheProcessesAndDownStopsThem() throws Exception {
    assertTrue(anyFile(cluster.resolve("kafka"), "dml"), "the log is on the broker");
    assertTrue(anyFile(cluster.resolve("s3"), "manifest"), "the segments are in the bucket");
    assertFalse(Files.exists(cluster.resolve("quiver").resolve("meta")), "no local catalog");
    // The coordinator's engine port takes calls only with the cluster's token, which this JVM
    // does not have: a stranger on the machine cannot drop a table through it.
    assertTrue(recorded("cluster.token") != null, "up made a token up");
    try (Engine stranger = Engine.open(QuiverConfig.at(dir.resolve("stranger"))
        .withCoordinator("127.0.0.1:" + recorded("engine.port")))) {
      QuiverException refused = assertThrows(QuiverException.class, stranger::tables);
      assertEquals(ErrorCode.INVALID_AUTHORIZATION, refused.code(), refused.getMessage());
    }
    List<Long> pids = pids(quiver("cluster", "status", "--data", cluster.toString()));
    assertEquals(PROCESSES, pids.size(), "status lists every process");
    quiver("cluster", "down", "--data", cluster.toString());
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "pid " + pid + " still runs after down");
    }
    assertEquals(3, run("cluster", "status", "--data", cluster.toString()).exit(),
        "status says the cluster is down");
  }

  private void searchesKeepAnsweringRightWhenAQueryNodeIsKilled() throws Exception {
    Random random = new Random(7);
    List<String> queries = new ArrayList<>();
    List<List<Long>> expected = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(avatica); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(" + DIM + "))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, CAST(? AS"
          + " VECTOR(" + DIM + ")))")) {
        for (int i = 0; i < ROWS; i++) {
          insert.setLong(1, i);
          insert.setString(2, vector(random));
          insert.addBatch();
          // Sealed segments for the two nodes to share, and growing rows after them.
          if (i % 300 == 299 && i < ROWS - 200) {
            insert.executeBatch();
            s.execute("FLUSH TABLE items");
          }
        }
        insert.executeBatch();
      }
      s.execute("DELETE FROM items WHERE id < 50");
      for (int q = 0; q < 20; q++) {
        queries.add(vector(random));
        List<Long> first = nearest(c, queries.get(q));
        assertEquals(10, first.size());
        assertTrue(first.stream().allMatch(id -> id >= 50), "deleted rows stay deleted");
        expected.add(first);
      }
    }

    Searches searches = new Searches(avatica, queries, expected);
    Thread.sleep(1500);
    int beforeKill = searches.answered.get();
    kill("querynode1");
    Thread.sleep(3000);
    searches.stop();
    assertEquals(List.of(), searches.problems, "every search answered, and right");
    assertTrue(beforeKill > 0 && searches.answered.get() > beforeKill + 10,
        "searches went on after the kill: " + beforeKill + " then " + searches.answered.get());
    this.queries = queries;
    this.expected = expected;

    // up starts the killed node again; it joins and answers as the other does.
    quiver("cluster", "up", "--data", cluster.toString());
    try (Connection c = DriverManager.getConnection(avatica)) {
      for (int q = 0; q < queries.size(); q++) {
        assertEquals(expected.get(q), nearest(c, queries.get(q)));
      }
    }
  }

  /** The searches of the first phase and their answers, for the later ones. */
  private List<String> queries;
  private List<List<Long>> expected;

  /** Searches on a connection of their own until stopped, counting answers and problems. */
  private static final class Searches {
    final AtomicBoolean stopped = new AtomicBoolean();
    final AtomicInteger answered = new AtomicInteger();
    final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    Searches(String url, List<String> queries, List<List<Long>> expected) {
      thread = Thread.ofPlatform().start(() -> {
        try (Connection c = DriverManager.getConnection(url)) {
          for (int i = 0; !stopped.get(); i++) {
            int q = i % queries.size();
            try {
              List<Long> got = nearest(c, queries.get(q));
              if (!got.equals(expected.get(q))) {
                problems.add("query " + q + ": " + got + " instead of " + expected.get(q));
              }
              answered.incrementAndGet();
            } catch (SQLException e) {
              problems.add("query " + q + " failed: " + e.getSQLState() + " " + e.getMessage());
            }
          }
        } catch (SQLException e) {
          problems.add("no connection: " + e.getMessage());
        }
      });
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      thread.join(60_000);
      assertFalse(thread.isAlive(), "the searches stopped");
    }
  }

  private void aKilledProxyCostsTheOtherProxysClientsNothing() throws Exception {
    String second = "jdbc:avatica:remote:url=http://127.0.0.1:" + recorded("proxy2.port")
        + ";serialization=protobuf";
    try (Connection c = DriverManager.getConnection(second)) {
      assertEquals(expected.get(0), nearest(c, queries.get(0)), "the second proxy answers too");
    }
    Searches first = new Searches(avatica, queries, expected);
    Searches other = new Searches(second, queries, expected);
    Thread.sleep(1000);
    kill("proxy2");
    int afterKill = first.answered.get();
    Thread.sleep(1500);
    first.stop();
    other.stop();
    assertEquals(List.of(), first.problems, "the first proxy's client saw nothing of the kill");
    assertTrue(first.answered.get() > afterKill + 5,
        "searches through the first proxy went on: " + afterKill + " then " + first.answered);
    assertFalse(other.problems.isEmpty(), "the killed proxy's client lost its server");

    quiver("cluster", "up", "--data", cluster.toString());
    try (Connection c = DriverManager.getConnection(second)) {
      assertEquals(expected.get(1), nearest(c, queries.get(1)), "the second proxy is back");
    }
  }

  private void everyAcknowledgedInsertIsThereOnceAfterTheCoordinatorIsKilled() throws Exception {
    try (Connection c = DriverManager.getConnection(avatica); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ingested (id BIGINT PRIMARY KEY, v VECTOR(" + DIM + "))");
    }
    Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    Thread inserts = Thread.ofPlatform().start(() -> {
      Random random = new Random(11);
      try (Connection c = DriverManager.getConnection(avatica);
          PreparedStatement insert = c.prepareStatement("INSERT INTO ingested VALUES (?, CAST(? AS"
              + " VECTOR(" + DIM + ")))");
          Statement flush = c.createStatement()) {
        for (long batch = 0; !stop.get(); batch++) {
          List<Long> ids = new ArrayList<>();
          for (long id = batch * 20; id < batch * 20 + 20; id++) {
            insert.setLong(1, id);
            insert.setString(2, vector(random));
            insert.addBatch();
            ids.add(id);
          }
          insert.executeBatch();
          acknowledged.addAll(ids);
          if (batch % 5 == 4) {
            flush.execute("FLUSH TABLE ingested");
          }
        }
      } catch (SQLException expectedWhenKilled) {
        // The coordinator went away under the insert: that batch was not acknowledged.
      }
    });
    Thread.sleep(4000);
    kill("quiver");
    stop.set(true);
    inserts.join(60_000);
    assertFalse(inserts.isAlive());
    assertTrue(acknowledged.size() >= 200, "inserts and flushes ran: " + acknowledged.size());

    quiver("cluster", "up", "--data", cluster.toString());
    Set<Long> found = new HashSet<>();
    long rows = 0;
    try (Connection c = DriverManager.getConnection(avatica); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM ingested")) {
      while (rs.next()) {
        found.add(rs.getLong(1));
        rows++;
      }
    }
    assertEquals(found.size(), rows, "no row twice");
    try (Connection c = DriverManager.getConnection(avatica); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
      rs.next();
      assertEquals(ROWS - 50, rs.getLong(1), "the first table as it was");
    }
    Set<Long> lost = new HashSet<>(acknowledged);
    lost.removeAll(found);
    assertEquals(Set.of(), lost, "every acknowledged row is there");
  }
}
