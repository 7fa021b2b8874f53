package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.jdbc.internal.ChannelProtocol;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerLimits;
import org.quiver.sql.server.ServerOptions;

/**
 * Quiver's driver over the channel, the server's framed TCP transport beside HTTP: executions
 * travel on it (the server's request counters by transport say so), {@code transport=http} and a
 * server without the channel keep HTTP, and the HTTP door's rules hold on it (logins, the first
 * user, the frame limit, the idle timeout).
 */
class ChannelTransportTest {
  private static final Pattern REQUESTS =
      Pattern.compile("quiver_requests_total\\{transport=\"(\\w+)\"} (\\d+)");

  @Test
  void executionsTravelOnTheChannelAndTransportHttpKeepsHttp(@TempDir Path data)
      throws Exception {
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0)) {
      assertTrue(server.channelPort() > 0);
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO t VALUES (1, '[1,0]'), (2, '[0,1]')");
        try (PreparedStatement p = c.prepareStatement(
            "SELECT id FROM t ORDER BY v <-> ? LIMIT 1")) {
          long[] before = requests(server);
          for (int i = 0; i < 20; i++) {
            p.setObject(1, new float[] {i % 2, 1 - i % 2});
            try (ResultSet rs = p.executeQuery()) {
              assertTrue(rs.next());
              assertEquals(2 - i % 2, rs.getLong(1));
            }
          }
          long[] after = requests(server);
          assertEquals(before[0], after[0], "no HTTP request for the executions");
          assertTrue(after[1] - before[1] >= 20, "the executions came on the channel");
        }
      }
      Properties http = new Properties();
      http.setProperty("transport", "http");
      long[] before = requests(server);
      try (Connection c = DriverManager.getConnection(server.url(), http);
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM t")) {
        assertTrue(rs.next());
      }
      long[] after = requests(server);
      assertTrue(after[0] - before[0] >= 3, "open, execute and close over HTTP");
      assertEquals(before[1], after[1], "nothing on the channel with transport=http");
      Properties bad = new Properties();
      bad.setProperty("transport", "pigeon");
      assertState("22023", () -> DriverManager.getConnection(server.url(), bad).close());
    }
  }

  @Test
  void aServerWithoutTheChannelIsReachedOverHttp(@TempDir Path data) throws Exception {
    try (QuiverServer server = QuiverServer.start(ServerOptions.of(data, "127.0.0.1", 0)
        .withChannelPort(ServerOptions.CHANNEL_OFF))) {
      assertEquals(ServerOptions.CHANNEL_OFF, server.channelPort());
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 42")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      Properties channel = new Properties();
      channel.setProperty("transport", "channel");
      assertState("08001", () -> DriverManager.getConnection(server.url(), channel).close());
    }
  }

  @Test
  void loginsAndTheFirstUserRuleHoldOnTheChannel(@TempDir Path data) throws Exception {
    Properties channel = new Properties();
    channel.setProperty("transport", "channel");
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0)) {
      Connection anonymous = DriverManager.getConnection(server.url(), channel);
      Statement s = anonymous.createStatement();
      s.execute("CREATE USER first PASSWORD 'first-secret' ROLE admin");
      assertState("28000", () -> s.executeQuery("VALUES 1"));
      // Opened before the first user: it may still close, and nothing else.
      s.close();
      anonymous.close();
      assertState("28000", () -> DriverManager.getConnection(server.url(), channel).close());
      Properties wrong = new Properties();
      wrong.putAll(channel);
      wrong.setProperty("user", "first");
      wrong.setProperty("password", "wrong");
      assertState("28000", () -> DriverManager.getConnection(server.url(), wrong).close());
      Properties right = new Properties();
      right.putAll(wrong);
      right.setProperty("password", "first-secret");
      try (Connection c = DriverManager.getConnection(server.url(), right);
          Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW USERS")) {
        assertTrue(rs.next());
        assertEquals("first", rs.getString(1));
      }
    }
  }

  @Test
  void aFrameBeyondTheLimitIsRefusedAndTheServerGoesOn(@TempDir Path data) throws Exception {
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0);
        RawChannel channel = RawChannel.open(server, 30_000)) {
      DataOutputStream out = channel.out();
      DataInputStream in = channel.in();
      assertEquals(ChannelProtocol.OK, answer(in).status());
      out.writeInt(ChannelProtocol.MAX_FRAME_BYTES + 1);
      out.flush();
      ChannelProtocol.Answer refused = answer(in);
      assertEquals(ChannelProtocol.TOO_LARGE, refused.status());
      assertTrue(new String(refused.body(), StandardCharsets.UTF_8)
          .contains(Integer.toString(ChannelProtocol.MAX_FRAME_BYTES + 1)));
      assertEquals(-1, in.read(), "the channel is closed after the refusal");
      try (Connection c = DriverManager.getConnection(server.url());
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void anIdleChannelIsClosed(@TempDir Path data) throws Exception {
    try (QuiverServer server = QuiverServer.start(ServerOptions.of(data, "127.0.0.1", 0)
        .withLimits(16, Duration.ofSeconds(1)), ServerLimits.DEFAULT);
        RawChannel channel = RawChannel.open(server, 60_000)) {
      DataOutputStream out = channel.out();
      DataInputStream in = channel.in();
      assertEquals(ChannelProtocol.OK, answer(in).status());
      assertEquals(-1, in.read(), "the server closes a channel idle beyond its idle timeout");
    }
  }

  @Test
  void aRefusedLoginClosesTheChannel(@TempDir Path data) throws Exception {
    new UserStore(data).add("alice", Role.READ_WRITE, "pw".toCharArray());
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0);
        RawChannel channel = RawChannel.open(server, 30_000)) {
      DataOutputStream out = channel.out();
      DataInputStream in = channel.in();
      ChannelProtocol.Answer refused = answer(in);
      assertEquals(ChannelProtocol.UNAUTHORIZED, refused.status());
      assertEquals(-1, in.read());
      Properties alice = new Properties();
      alice.setProperty("user", "alice");
      alice.setProperty("password", "pw");
      alice.setProperty("transport", "channel");
      try (Connection c = DriverManager.getConnection(server.url(), alice);
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void aChannelLostToAStoppedServerFailsWith08006(@TempDir Path data) throws Exception {
    QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0);
    Properties channel = new Properties();
    channel.setProperty("transport", "channel");
    try (Connection c = DriverManager.getConnection(server.url(), channel);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("VALUES 1")) {
        assertTrue(rs.next());
      }
      // Stopping closes the idle channel: the next request finds it gone, and says where.
      server.close();
      SQLException lost = assertThrows(SQLException.class, () -> s.executeQuery("VALUES 2"));
      assertEquals("08006", lost.getSQLState(), lost.getMessage());
      assertTrue(lost.getMessage().contains("127.0.0.1:" + server.channelPort()),
          lost.getMessage());
    } catch (SQLException closingTheLostConnection) {
      // Its close opens a new channel, and finds no server there.
      assertEquals("08001", closingTheLostConnection.getSQLState(),
          closingTheLostConnection.getMessage());
    }
  }

  /** A channel opened by hand, its hello (without a login) sent as the protocol describes it. */
  private record RawChannel(Socket socket, DataInputStream in, DataOutputStream out)
      implements AutoCloseable {
    static RawChannel open(QuiverServer server, int readTimeoutMillis) throws IOException {
      Socket socket = new Socket("127.0.0.1", server.channelPort());
      socket.setSoTimeout(readTimeoutMillis);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(6);
      out.writeBytes("QVCH");
      out.writeByte(1);
      out.writeBoolean(false);
      out.flush();
      return new RawChannel(socket, new DataInputStream(socket.getInputStream()), out);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static ChannelProtocol.Answer answer(DataInputStream in) throws IOException {
    int length = in.readInt();
    int status = in.readUnsignedShort();
    byte[] body = new byte[length - 2];
    in.readFully(body);
    return new ChannelProtocol.Answer(status, body);
  }

  /** Avatica requests the server has received: over HTTP, then over the channel. */
  private static long[] requests(QuiverServer server) throws IOException {
    HttpURLConnection http = (HttpURLConnection) new URL("http://127.0.0.1:" + server.port()
        + "/metrics").openConnection();
    String text;
    try (InputStream in = http.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long[] counts = new long[2];
    Matcher m = REQUESTS.matcher(text);
    int found = 0;
    while (m.find()) {
      counts[m.group(1).equals("http") ? 0 : 1] = Long.parseLong(m.group(2));
      found++;
    }
    assertEquals(2, found, text);
    return counts;
  }

  private static void assertState(String state, org.junit.jupiter.api.function.Executable call) {
    SQLException e = assertThrows(SQLException.class, call);
    assertEquals(state, e.getSQLState(), e.getMessage());
    assertFalse(e.getMessage() == null || e.getMessage().isEmpty());
  }
}
