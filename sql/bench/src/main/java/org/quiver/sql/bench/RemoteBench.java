package org.quiver.sql.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.quiver.sql.server.QuiverServer;
import org.quiver.storage.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench remote}: the fixed cost of one execution through the remote door, per
 * driver (Quiver's over its channel, Quiver's over HTTP, the stock Avatica driver) and per way of running a query: a fresh {@code
 * Statement} per primary-key lookup, a re-executed {@code PreparedStatement} for the same lookup,
 * and a re-executed filtered k-NN query on siftsmall ({@code cat < 10}, 10% of the rows, so the
 * search itself is cheap). One client thread on loopback; requests are counted in the client
 * ({@link CountingHttpClients}).
 *
 * <p>One CSV row per driver and query: executions, HTTP requests per execution, p50/p99/mean
 * latency and QPS.
 */
@Command(name = "remote", description = "The fixed cost of one execution through the remote "
    + "door, per driver: a one-off primary-key query, a re-executed prepared one and a filtered "
    + "k-NN query; latency and HTTP requests per execution.")
final class RemoteBench implements Callable<Integer> {
  static final String HEADER = "bench,driver,query,executions,requests_per_execution,p50_ms,"
      + "p99_ms,mean_ms,qps";

  @Mixin
  private DatasetOptions dataset;

  @Option(names = "--executions", paramLabel = "N", defaultValue = "5000",
      description = "executions per driver and query")
  private int executions;

  @Option(names = "--drivers", paramLabel = "NAME", split = ",",
      defaultValue = "quiver,quiver-http,avatica",
      description = "quiver (its channel), quiver-http, avatica (the stock driver)")
  private List<String> drivers;

  private Bench.Dataset data;

  @Override
  public Integer call() throws Exception {
    data = dataset.load();
    Path dir = Files.createTempDirectory("quiver-remote-");
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0)) {
      try (Connection c = DriverManager.getConnection(server.url())) {
        load(c);
      }
      System.out.println(HEADER);
      for (String driver : drivers) {
        String url = switch (driver.strip()) {
          case "quiver" -> server.url();
          case "quiver-http" -> server.url() + ";transport=http";
          case "avatica" -> server.avaticaUrl() + ";transport=http";
          default -> throw new IllegalArgumentException(
              "unknown driver " + driver + "; use quiver, quiver-http, avatica");
        };
        Properties counting = new Properties();
        counting.setProperty("httpclient_factory", CountingHttpClients.class.getName());
        try (Connection c = DriverManager.getConnection(url, counting)) {
          run(driver.strip(), c);
        }
      }
    } finally {
      FileTrees.deleteRecursively(dir);
    }
    return 0;
  }

  private void load(Connection c) throws SQLException {
    int dim = data.base()[0].length;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, cat INT, v VECTOR(" + dim + "))");
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO bench VALUES (?, ?, ?)")) {
      for (int i = 0; i < data.base().length; i++) {
        p.setLong(1, i);
        p.setInt(2, i % 100);
        p.setObject(3, data.base()[i]);
        p.addBatch();
        if ((i + 1) % 1000 == 0 || i == data.base().length - 1) {
          p.executeBatch();
        }
      }
    }
    // Sealed before measuring, so that the first driver measured does not share the machine
    // with the seal of what was just loaded.
    try (Statement s = c.createStatement()) {
      s.execute("FLUSH TABLE bench");
    }
  }

  private interface Execution {
    void run(int i) throws SQLException;
  }

  private void run(String driver, Connection c) throws SQLException {
    int rows = data.base().length;
    measure(driver, "statement-pk", i -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, cat FROM bench WHERE id = " + i % rows)) {
        expectRows(rs, 1);
      }
    });
    try (PreparedStatement p = c.prepareStatement("SELECT id, cat FROM bench WHERE id = ?")) {
      measure(driver, "prepared-pk", i -> {
        p.setLong(1, i % rows);
        try (ResultSet rs = p.executeQuery()) {
          expectRows(rs, 1);
        }
      });
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT id FROM bench WHERE cat < 10 ORDER BY v <-> ? LIMIT 10")) {
      boolean quiver = driver.equals("quiver");
      measure(driver, "prepared-knn-filtered-10pct", i -> {
        float[] q = data.queries()[i % data.queries().length];
        if (quiver) {
          p.setObject(1, q);
        } else {
          p.setString(1, org.quiver.jdbc.VectorText.format(q));
        }
        try (ResultSet rs = p.executeQuery()) {
          expectRows(rs, 10);
        }
      });
    }
  }

  private static void expectRows(ResultSet rs, int expected) throws SQLException {
    int n = 0;
    while (rs.next()) {
      rs.getLong(1);
      n++;
    }
    if (n != expected) {
      throw new IllegalStateException("expected " + expected + " rows, got " + n);
    }
  }

  private void measure(String driver, String query, Execution execution) throws SQLException {
    int warmup = Math.max(200, executions / 5);
    for (int i = 0; i < warmup; i++) {
      execution.run(i);
    }
    long[] nanos = new long[executions];
    long requestsBefore = CountingHttpClients.requests();
    long start = System.nanoTime();
    for (int i = 0; i < executions; i++) {
      long t = System.nanoTime();
      execution.run(warmup + i);
      nanos[i] = System.nanoTime() - t;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double requests = (double) (CountingHttpClients.requests() - requestsBefore) / executions;
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "remote,%s,%s,%d,%.2f,%.3f,%.3f,%.3f,%.0f%n", driver, query,
        executions, requests, sorted[executions / 2] / 1e6,
        sorted[(int) (executions * 0.99)] / 1e6, seconds * 1e3 / executions,
        executions / seconds);
    System.out.flush();
  }
}
