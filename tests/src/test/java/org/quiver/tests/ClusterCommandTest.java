package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.cli.Main;
import org.quiver.services.ServiceProcess;

/**
 * {@code quiver cluster up}, {@code status} and {@code down} for real: etcd, a Kafka broker,
 * S3Proxy and Quiver start as processes of their own, the stock Avatica driver works against the
 * URL that {@code up} prints, the data is in the services (topics on the broker, objects in the
 * bucket), {@code down} stops every process, and a second {@code up} finds the data again.
 */
class ClusterCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run quiver(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    return new Run(exit, out.toString(), err.toString());
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

  @Test
  void upServesThroughTheStockDriverDownStopsEverythingAndUpAgainFindsTheData() throws Exception {
    Path cluster = dir.resolve("cluster");
    String port = Integer.toString(ServiceProcess.freePort());
    String avatica = "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=protobuf";
    List<Long> pids = List.of();
    try {
      Run up = quiver("cluster", "up", "--data", cluster.toString(), "--port", port);
      assertEquals(0, up.exit(), up.err() + up.out());
      assertTrue(up.out().contains(avatica), up.out());
      pids = pids(up.out());
      assertEquals(5, pids.size(),
          "etcd, Kafka, S3, the coordinator and a query node run: " + up.out());

      try (Connection c = DriverManager.getConnection(avatica);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO items VALUES (1, '[1,0]'), (2, '[0,1]'), (3, '[1,1]')");
        s.execute("FLUSH TABLE items");
        s.execute("INSERT INTO items VALUES (4, '[2,2]')");
      }
      assertTrue(anyFile(cluster.resolve("kafka"), "dml"), "the log is on the broker");
      assertTrue(anyFile(cluster.resolve("s3"), "manifest"), "the segment is in the bucket");
      assertFalse(Files.exists(cluster.resolve("quiver").resolve("meta")), "no local catalog");

      Run status = quiver("cluster", "status", "--data", cluster.toString());
      assertEquals(0, status.exit(), status.out());
      assertEquals(pids, pids(status.out()));

      Run down = quiver("cluster", "down", "--data", cluster.toString());
      assertEquals(0, down.exit(), down.err());
      for (long pid : pids) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "pid " + pid + " still runs after down");
      }
      assertEquals(3, quiver("cluster", "status", "--data", cluster.toString()).exit(),
          "status says the cluster is down");

      Run again = quiver("cluster", "up", "--data", cluster.toString(), "--port", port);
      assertEquals(0, again.exit(), again.err() + again.out());
      pids = pids(again.out());
      try (Connection c = DriverManager.getConnection(avatica);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM items ORDER BY v <-> '[2,2]' LIMIT 2")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getLong(1), "the unflushed row came back from Kafka");
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1), "the flushed rows came back from S3 and etcd");
      }
    } finally {
      quiver("cluster", "down", "--data", cluster.toString());
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
