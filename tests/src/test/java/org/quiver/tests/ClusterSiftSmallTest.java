package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.services.ServiceProcess;
import org.quiver.sql.cli.Main;

/**
 * The acceptance run of a cluster, as a new user does it with the stock Avatica driver: {@code
 * cluster up --query-nodes 2} (the driver talks to its proxy, which calls the coordinator),
 * siftsmall (10,000 x 128) loaded in JDBC batches, every row counted
 * once and recall@10 of its 100 queries against the ground truth (1.0: the search is exact), then
 * one query node killed with SIGKILL halfway through the queries, and the same recall from the one
 * left. Needs {@code shared/datasets/siftsmall}; skipped without it.
 */
class ClusterSiftSmallTest {
  @TempDir
  Path temp;

  private static void quiver(String... args) {
    StringWriter out = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
        .execute(args);
    assertEquals(0, exit, String.join(" ", args) + ": " + out);
  }

  @Test
  void siftsmallThroughTheStockDriverWithAQueryNodeKilledMidway() throws Exception {
    Optional<SiftSmall> sift = SiftSmall.find();
    assumeTrue(sift.isPresent(), "shared/datasets/siftsmall is absent");
    int rows = sift.get().base().length;
    int queries = sift.get().queries().length;
    Path cluster = temp.resolve("cluster");
    String port = Integer.toString(ServiceProcess.freePort());
    try {
      quiver("cluster", "up", "--data", cluster.toString(), "--port", port, "--query-nodes", "2");
      try (Connection c = DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:"
          + port + ";serialization=protobuf")) {
        sift.get().load(c);
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM sift")) {
          rs.next();
          assertEquals(rows, rs.getLong(1));
          assertEquals(rows, rs.getLong(2));
        }
        assertEquals(1.0, sift.get().recall(c), 1e-9, "recall@10");

        int found = sift.get().hits(c, 0, queries / 2);
        ProcessHandle node = ProcessHandle.of(pid(cluster, "querynode1")).orElseThrow();
        node.destroyForcibly();
        node.onExit().get(30, TimeUnit.SECONDS);
        found += sift.get().hits(c, queries / 2, queries);
        assertEquals(1.0, found / (10.0 * queries), 1e-9,
            "recall@10 with a query node killed halfway");
      }
    } finally {
      Main.commandLine().setOut(new PrintWriter(new StringWriter()))
          .execute("cluster", "down", "--data", cluster.toString());
    }
  }

  private static long pid(Path cluster, String service) throws Exception {
    Properties state = new Properties();
    try (InputStream in = Files.newInputStream(cluster.resolve("cluster.properties"))) {
      state.load(in);
    }
    return Long.parseLong(state.getProperty(service + ".pid"));
  }
}
