package org.quiver.sql.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quiver.engine.api.EngineHost;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalKafka;
import org.quiver.fixtures.LocalS3;
import org.quiver.services.ServiceProcess;
import org.quiver.sql.jdbc.EngineRegistry;
import org.quiver.storage.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench cluster}: k-NN search through a cluster's coordinator with 1 and 2 query
 * nodes (each a {@code quiver serve --role querynode} process on this machine) against the same
 * engine with its query node in its own process (standalone on the same shared services), on the
 * same HNSW-indexed data, with real etcd, Kafka and S3 servers; then each cluster setup again
 * through a proxy ({@code via_proxy}: the SQL layer on a connection with {@code
 * coordinator=host:port}, every engine call over Arrow Flight on loopback to the coordinator's
 * engine, served from this process). The difference of the one-client p50s is the fixed cost of
 * sending a search to a query node, and of a proxy's hop; the client threads show what a second
 * node adds (on 2 cores, little: the coordinator, the nodes and the clients share them).
 *
 * <p>One CSV row per setup, consistency level (strong, eventually) and client count: QPS, p50/p99,
 * recall@10, and each query node's CPU seconds over the run with its share of the nodes' CPU and
 * the segments it holds (the nodes share the table out, {@code sys.segments.query_node}). First a
 * row for ingest through the coordinator (batched inserts, rows a second, sealed every
 * {@code --segments}th of the rows, so that there are segments to share out), and, before the
 * standalone setup's searches through the proxy, one for the same ingest through it (each batch
 * one Arrow record batch to the coordinator) into a table of its own.
 */
@Command(name = "cluster", description = "Search QPS and p50/p99 through a cluster's coordinator "
    + "with 1 and 2 query node processes against standalone on the same shared services, the "
    + "fixed cost of a search sent to a query node, and ingest through the coordinator.")
final class ClusterBench implements Callable<Integer> {
  private static final String SEARCH = "SELECT id FROM bench ORDER BY v <-> ? LIMIT 10";
  static final String HEADER = "bench,setup,clients,queries,seconds,qps,p50_ms,p99_ms,recall@10,"
      + "node_cpu_s,node_cpu_share,node_segments";

  @Mixin
  private DatasetOptions dataset;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
      description = "measuring time per setup and client count")
  private double seconds;

  @Option(names = "--clients", paramLabel = "N", split = ",", defaultValue = "1,4",
      description = "client thread counts")
  private List<Integer> clients;

  @Option(names = "--ef", paramLabel = "N", defaultValue = "64", description = "HNSW ef_search")
  private int ef;

  // Four of siftsmall's 10,000 rows: 2,500 a segment, above the size a graph search is worth
  // (ef * 2m = 2,048 at ef 64, m 16; a smaller segment is scanned exactly).
  @Option(names = "--segments", paramLabel = "N", defaultValue = "4",
      description = "sealed segments of the table: a seal every Nth of the rows (sealRows)")
  private int segments;

  private Bench.Dataset data;

  @Override
  public Integer call() throws Exception {
    data = dataset.load();
    Path dir = Files.createTempDirectory("quiver-cluster-bench-");
    List<ServiceProcess> nodes = new ArrayList<>();
    try (LocalEtcd etcd = LocalEtcd.start(); LocalKafka kafka = LocalKafka.start();
        LocalS3 s3 = LocalS3.start()) {
      Properties shared = new Properties();
      shared.setProperty("catalog", etcd.endpoint().replace("http://", "etcd://") + "/bench/");
      shared.setProperty("log", "kafka://" + kafka.bootstrapServers() + "/bench?replication=1");
      shared.setProperty("segments", s3.location("bench/"));
      // Segments of a size the compaction policy leaves alone, enough to share out.
      shared.setProperty("sealRows", Integer.toString(Math.max(1, data.base().length / segments)));
      String url = "jdbc:quiver:file:" + dir.resolve("coordinator");
      System.out.println(HEADER);
      try (Connection c = DriverManager.getConnection(url, shared)) {
        ingest(c);
        measureAll(c, "standalone", List.of());
        measureThroughProxy(url, dir.resolve("proxy0"), "standalone", List.of());
      }
      Properties remote = new Properties();
      remote.putAll(shared);
      remote.setProperty("queryNodes", "remote");
      for (int n = 1; n <= 2; n++) {
        nodes.add(startQueryNode(dir, n, shared));
        String setup = n + "_querynode" + (n == 1 ? "" : "s");
        try (Connection c = DriverManager.getConnection(url, remote)) {
          awaitNodes(c);
          // A node just joined runs slower for a while (its JIT, on cores it shares): settle
          // first, at both levels, or the setup measured first after a join pays for it (seen:
          // 2x its STRONG p50, whichever of direct and via_proxy went first).
          for (String consistency : List.of("strong", "eventually")) {
            try (Statement s = c.createStatement()) {
              s.execute("SET consistency_level = '" + consistency + "'");
            }
            warmUp(c, Duration.ofSeconds(8));
          }
          measureAll(c, setup, nodes);
          measureThroughProxy(url, dir.resolve("proxy" + n), setup, nodes);
        }
      }
    } finally {
      nodes.forEach(p -> p.stop(Duration.ofSeconds(10)));
      FileTrees.deleteRecursively(dir);
    }
    return 0;
  }

  private void ingest(Connection c) throws Exception {
    insertAll(c, "bench", "coordinator");
    try (Statement s = c.createStatement()) {
      s.execute("FLUSH TABLE bench");
      s.execute("CREATE INDEX bench_hnsw ON bench USING hnsw (v vector_l2_ops)"
          + " WITH (m = 16, ef_construction = 100, ef_search = " + ef + ")");
      AnnBench.awaitIndex(s, null);
    }
  }

  /**
   * The same statements through a proxy ({@code via_proxy}): the SQL layer on a connection whose
   * every engine call crosses Arrow Flight (loopback) to the engine open at {@code url}, served
   * from this process while it measures.
   */
  private void measureThroughProxy(String url, Path proxyDir, String setup,
      List<ServiceProcess> nodes) throws Exception {
    try (EngineRegistry.Handle engine = EngineRegistry.acquire(
            url.substring("jdbc:quiver:".length()));
        EngineHost served = EngineHost.serve(engine.engine(), "127.0.0.1", 0)) {
      Properties proxy = new Properties();
      proxy.setProperty("coordinator", served.endpoint());
      try (Connection p = DriverManager.getConnection("jdbc:quiver:file:" + proxyDir, proxy)) {
        if (nodes.isEmpty()) {
          // Ingest through the proxy once, into a table of its own, dropped after.
          insertAll(p, "bench_via_proxy", "via_proxy");
          try (Statement s = p.createStatement()) {
            s.execute("DROP TABLE bench_via_proxy");
          }
        }
        measureAll(p, setup + " via_proxy", nodes);
      }
    }
  }

  /**
   * Creates {@code table} and inserts the dataset in JDBC batches of 1,000 rows; one CSV row of
   * its rate, for {@code setup}.
   */
  private void insertAll(Connection c, String table, String setup) throws SQLException {
    int dim = data.base()[0].length;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VECTOR(" + dim + "))");
    }
    long start = System.nanoTime();
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
      for (int i = 0; i < data.base().length; i++) {
        p.setLong(1, i);
        p.setObject(2, data.base()[i]);
        p.addBatch();
        if ((i + 1) % 1000 == 0 || i == data.base().length - 1) {
          p.executeBatch();
        }
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("ingest,%s (batches of 1000),1,%d,%.2f,%.0f,,,,,,%n", setup,
        data.base().length, secs, data.base().length / secs);
  }

  /** A query node process over the shared services, in a folder of its own. */
  private static ServiceProcess startQueryNode(Path dir, int number, Properties shared) {
    int port = ServiceProcess.freePort();
    List<String> command = new ArrayList<>();
    command.add(ServiceProcess.javaBinary());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "org.quiver.sql.cli.Main", "serve", "--role", "querynode", "--node-id", "node" + number,
        "--data", dir.resolve("querynode" + number).toString(), "--port", Integer.toString(port),
        "--catalog", shared.getProperty("catalog"), "--log", shared.getProperty("log"),
        "--segments", shared.getProperty("segments")));
    ServiceProcess node = ServiceProcess.start("query node " + number, command,
        dir.resolve("querynode" + number + ".log"), false);
    node.awaitReady(ServiceProcess.START_TIMEOUT, () -> ServiceProcess.accepts(port));
    return node;
  }

  /** Waits until a search answers: the coordinator has found a query node and it has loaded. */
  private void awaitNodes(Connection c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM bench")) {
        rs.next();
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Every client count, at STRONG consistency (each read first brings the query nodes' tSafe to
   * its timestamp: in a cluster a call to every node) and at EVENTUALLY (the read alone).
   */
  private void measureAll(Connection c, String setup, List<ServiceProcess> nodes)
      throws Exception {
    for (String consistency : List.of("strong", "eventually")) {
      try (Statement s = c.createStatement()) {
        s.execute("SET consistency_level = '" + consistency + "'");
      }
      for (int threads : clients) {
        measure(c, setup + " " + consistency, threads, nodes);
      }
    }
  }

  private void measure(Connection c, String setup, int threads, List<ServiceProcess> nodes)
      throws Exception {
    String sql = SEARCH;
    float[][] queries = data.queries();
    warmUp(c, Duration.ofSeconds(2));
    long[] cpuBefore = nodes.stream().mapToLong(ClusterBench::cpuNanos).toArray();
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> latencies = new ArrayList<>();
    double[] recallSum = new double[threads];
    int[] counts = new int[threads];
    List<Thread> running = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      long[] mine = new long[1 << 20];
      latencies.add(mine);
      running.add(Thread.ofPlatform().start(() -> {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          for (int i = thread; !stop.get() && counts[thread] < mine.length; i += threads) {
            int q = i % queries.length;
            p.setObject(1, queries[q]);
            long t0 = System.nanoTime();
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                ids.add((int) rs.getLong(1));
              }
            }
            mine[counts[thread]++] = System.nanoTime() - t0;
            recallSum[thread] += recall(ids, data.truth()[q]);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : running) {
      t.join();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("searches failed in " + setup, failures.get(0));
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies.get(t), 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    double recall = Arrays.stream(recallSum).sum() / total;
    StringBuilder cpu = new StringBuilder();
    StringBuilder share = new StringBuilder();
    long[] cpuUsed = new long[nodes.size()];
    long cpuTotal = 0;
    for (int n = 0; n < nodes.size(); n++) {
      cpuUsed[n] = cpuNanos(nodes.get(n)) - cpuBefore[n];
      cpuTotal += cpuUsed[n];
    }
    for (int n = 0; n < nodes.size(); n++) {
      cpu.append(n == 0 ? "" : "/").append(String.format("%.2f", cpuUsed[n] / 1e9));
      share.append(n == 0 ? "" : "/")
          .append(String.format("%.2f", cpuTotal == 0 ? 0 : cpuUsed[n] / (double) cpuTotal));
    }
    System.out.printf("search,%s,%d,%d,%.2f,%.0f,%.3f,%.3f,%.4f,%s,%s,%s%n", setup, threads,
        total, secs, total / secs, all[total / 2] / 1e6,
        all[Math.min(total - 1, total * 99 / 100)] / 1e6, recall, cpu, share,
        nodes.isEmpty() ? "" : segmentsPerNode(c, nodes.size()));
  }

  /** Every query at least once and for at least {@code time}, so caches and the JIT are warm. */
  private void warmUp(Connection c, Duration time) throws SQLException {
    float[][] queries = data.queries();
    try (PreparedStatement p = c.prepareStatement(SEARCH)) {
      long warm = System.nanoTime() + time.toNanos();
      for (int i = 0; i < queries.length || System.nanoTime() < warm; i++) {
        p.setObject(1, queries[i % queries.length]);
        p.executeQuery().close();
      }
    }
  }

  /** The sealed segments each query node holds, "node1/node2/...". */
  private static String segmentsPerNode(Connection c, int nodes) throws SQLException {
    Map<String, Long> held = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT query_node, COUNT(*) FROM sys.segments WHERE table_name = 'bench'"
            + " GROUP BY query_node")) {
      while (rs.next()) {
        held.put(rs.getString(1), rs.getLong(2));
      }
    }
    StringBuilder out = new StringBuilder();
    for (int n = 1; n <= nodes; n++) {
      out.append(n == 1 ? "" : "/").append(held.getOrDefault("node" + n, 0L));
    }
    return out.toString();
  }

  private static long cpuNanos(ServiceProcess node) {
    return ProcessHandle.of(node.pid()).flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos).orElse(0L);
  }

  private static double recall(List<Integer> ids, int[] truth) {
    int hits = 0;
    for (int i = 0; i < Math.min(10, truth.length); i++) {
      if (ids.contains(truth[i])) {
        hits++;
      }
    }
    return hits / 10.0;
  }
}
