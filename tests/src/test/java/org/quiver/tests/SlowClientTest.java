package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.server.EventLog;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerLimits;
import org.quiver.sql.server.ServerOptions;

/**
 * Slow and dead clients do not hold up the others: while clients sit on an unread huge result,
 * on half an HTTP request, on a request whose body never comes, and on a silent connection, eight
 * other clients run all their statements; then the server's idle timeout closes the stalled
 * sockets.
 */
class SlowClientTest {
  private static final int CLIENTS = 8;
  private static final int STATEMENTS_PER_CLIENT = 24;
  private static final int STALLED_SOCKETS_PER_KIND = 4;

  @Test
  void stalledClientsNeverBlockTheOthers(@TempDir Path data) throws Exception {
    try (QuiverServer server = QuiverServer.start(
        ServerOptions.of(data, "127.0.0.1", 0).withLimits(256, Duration.ofSeconds(3)),
        ServerLimits.DEFAULT, EventLog.standard())) {
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
      }
      // A client that opens a huge result and never reads past its first frame.
      Connection reader = DriverManager.getConnection(server.url());
      Statement unread = reader.createStatement();
      unread.setFetchSize(10_000);
      ResultSet huge = unread.executeQuery("SELECT a.x + 10 * b.x + 100 * c.x + 1000 * d.x "
          + "FROM " + digits("a") + ", " + digits("b") + ", " + digits("c") + ", " + digits("d"));
      assertTrue(huge.next());

      List<Socket> stalled = new ArrayList<>();
      String host = "127.0.0.1:" + server.port();
      for (int i = 0; i < STALLED_SOCKETS_PER_KIND; i++) {
        stalled.add(stall(server, "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Ty"));
        stalled.add(stall(server, "POST / HTTP/1.1\r\nHost: " + host
            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
            + "0123456789"));
        stalled.add(stall(server, ""));
      }

      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<Integer>> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
          int id = client;
          clients.add(pool.submit(() -> run(server.url(), id)));
        }
        int done = 0;
        for (Future<Integer> f : clients) {
          // A bound against a hang, not a speed assertion: the work takes a few seconds.
          done += f.get(180, TimeUnit.SECONDS);
        }
        assertEquals(CLIENTS * STATEMENTS_PER_CLIENT, done);
      } finally {
        pool.shutdownNow();
      }
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
              "SELECT COUNT(*) FROM t")) {
        assertTrue(rs.next());
        assertEquals(CLIENTS * STATEMENTS_PER_CLIENT / 2, rs.getLong(1));
      }
      for (Socket socket : stalled) {
        assertTrue(closedByServer(socket), "the idle timeout closes a stalled socket");
      }
      huge.close();
      reader.close();
    }
  }

  /** Half the statements insert a row, the other half search; returns how many ran. */
  private static int run(String url, int client) throws Exception {
    int ran = 0;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
        PreparedStatement search = c.prepareStatement(
            "SELECT id FROM t ORDER BY v <-> ? LIMIT 5")) {
      for (int i = 0; i < STATEMENTS_PER_CLIENT; i++) {
        if (i % 2 == 0) {
          insert.setLong(1, client * 1000L + i);
          insert.setObject(2, new float[] {client, i});
          assertEquals(1, insert.executeUpdate());
        } else {
          search.setObject(1, new float[] {i, client});
          try (ResultSet rs = search.executeQuery()) {
            while (rs.next()) {
              rs.getLong(1);
            }
          }
        }
        ran++;
      }
    }
    return ran;
  }

  private static Socket stall(QuiverServer server, String bytes) throws Exception {
    Socket socket = new Socket("127.0.0.1", server.port());
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** Whether the server closes the socket within 30 s (it may first answer with an error). */
  private static boolean closedByServer(Socket socket) throws Exception {
    try (socket) {
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // An error response (408, 400) may come before the close.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private static String digits(String alias) {
    return "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS " + alias + "(x)";
  }
}
