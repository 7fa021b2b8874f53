package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;

/**
 * Users, passwords and roles on {@code quiver serve}: wrong or missing credentials get 28000 and
 * run nothing, a read-only user's writes get 42501, users change while the server runs, and a
 * server without users never listens beyond loopback.
 */
class AuthenticationTest {
  @TempDir
  static Path data;
  private static UserStore users;
  private static QuiverServer server;

  @BeforeAll
  static void start() throws Exception {
    users = new UserStore(data);
    users.add("alice", Role.READ_WRITE, "alice-secret".toCharArray());
    users.add("reader", Role.READ_ONLY, "reader-secret".toCharArray());
    server = QuiverServer.start(data, "127.0.0.1", 0);
    try (Connection c = connect("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shared (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO shared VALUES (1, [1, 0]), (2, [0, 1])");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties info = new Properties();
    if (user != null) {
      info.setProperty("user", user);
      info.setProperty("password", password);
    }
    return DriverManager.getConnection(server.url(), info);
  }

  @Test
  void usersFileHoldsSaltedHashesOnlyAndIsPrivate() throws IOException {
    Path file = data.resolve(UserStore.FILE_NAME);
    String text = Files.readString(file);
    assertFalse(text.contains("alice-secret"), text);
    assertTrue(text.contains("alice:read-write:pbkdf2-sha256$"), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    users.add("twin1", Role.READ_ONLY, "same".toCharArray());
    users.add("twin2", Role.READ_ONLY, "same".toCharArray());
    String hash1 = users.find("twin1").orElseThrow().passwordHash();
    String hash2 = users.find("twin2").orElseThrow().passwordHash();
    assertFalse(hash1.equals(hash2), "the same password gets different salts");
    users.remove("twin1");
    users.remove("twin2");
  }

  @Test
  void rightCredentialsWork() throws SQLException {
    try (Connection c = connect("alice", "alice-secret"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM shared ORDER BY v <-> [1, 0.1] LIMIT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getLong(1));
    }
  }

  /**
   * Quiver's driver sends cancel() with the connection's credentials, and a read-only user may
   * cancel its own statements.
   */
  @Test
  void readOnlyUserCancelsItsRunningQuery() throws Exception {
    try (Connection c = connect("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE spin (id BIGINT PRIMARY KEY, k INTEGER)");
      try (PreparedStatement p = c.prepareStatement("INSERT INTO spin VALUES (?, ?)")) {
        for (int i = 0; i < 1000; i++) {
          p.setLong(1, i);
          p.setInt(2, i % 13);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = connect("reader", "reader-secret"); Statement s = c.createStatement()) {
      long started = System.nanoTime();
      Future<?> running = pool.submit(() -> s.executeQuery(
          "SELECT COUNT(*) FROM spin x, spin y, spin z WHERE MOD(x.k * y.k + z.k, 7) = 3").next());
      while (!running.isDone() && System.nanoTime() - started < 60_000_000_000L) {
        Thread.sleep(300);
        s.cancel();
      }
      Exception e = assertThrows(Exception.class,
          () -> running.get(1, TimeUnit.SECONDS));
      assertEquals("57014", ((SQLException) e.getCause()).getSQLState(), e.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM spin")) {
        assertTrue(rs.next());
        assertEquals(1000, rs.getLong(1));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrongOrMissingCredentialsGet28000() {
    assertState("28000", () -> connect("alice", "wrong").close());
    assertState("28000", () -> connect("nobody", "alice-secret").close());
    assertState("28000", () -> connect(null, null).close());
  }

  @Test
  void stockAvaticaDriverSeesHttp401() {
    // Avatica's client raises a RuntimeException for HTTP errors; Quiver's driver maps it to 28000.
    Exception e = assertThrows(Exception.class, () -> DriverManager.getConnection(
        server.avaticaUrl() + ";authentication=BASIC;avatica_user=alice;avatica_password=wrong")
        .close());
    assertTrue(messages(e).contains("HTTP/401"), messages(e));
  }

  @Test
  void unauthenticatedRequestRunsNothing() throws Exception {
    // A raw Avatica request without credentials: refused before it reaches the engine.
    HttpURLConnection http = (HttpURLConnection) URI.create(
        "http://127.0.0.1:" + server.port() + "/").toURL().openConnection();
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    http.getOutputStream().write("{\"request\":\"openConnection\",\"connectionId\":\"x\"}"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(401, http.getResponseCode());
    assertTrue(http.getHeaderField("WWW-Authenticate").toLowerCase().startsWith("basic"),
        http.getHeaderField("WWW-Authenticate"));
  }

  @Test
  void garbageWithValidCredentialsGets400WithoutAStackTrace() throws Exception {
    byte[][] bodies = {"{\"request\":\"openConnection\",\"connectionId\":\"x\"}"
        .getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2, 3, (byte) 0xff, 0x7f},
        new java.util.Random(14).ints(4096, 0, 256).collect(java.io.ByteArrayOutputStream::new,
            (out, b) -> out.write(b), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray()};
    String credentials = java.util.Base64.getEncoder()
        .encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));
    for (byte[] body : bodies) {
      HttpURLConnection http = (HttpURLConnection) URI.create(
          "http://127.0.0.1:" + server.port() + "/").toURL().openConnection();
      http.setRequestMethod("POST");
      http.setRequestProperty("Authorization", "Basic " + credentials);
      http.setDoOutput(true);
      http.getOutputStream().write(body);
      assertEquals(400, http.getResponseCode());
      String answer = new String(http.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("not an Avatica protobuf request"), answer);
      assertTrue(answer.length() < 400 && !answer.contains("\tat ")
          && !answer.contains("Exception"), answer);
    }
    rightCredentialsWork();
  }

  @Test
  void readOnlyUserReadsButCannotWrite() throws SQLException {
    try (Connection c = connect("reader", "reader-secret"); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shared")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id FROM shared ORDER BY v <-> ? LIMIT 1")) {
        p.setObject(1, new float[] {0, 1});
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(2, rs.getLong(1));
        }
      }
      assertState("42501", () -> s.execute("INSERT INTO shared VALUES (3, [1, 1])"));
      assertState("42501", () -> s.execute("DELETE FROM shared WHERE id = 1"));
      assertState("42501", () -> s.execute("/* sneaky */ CREATE TABLE t2 (id BIGINT PRIMARY KEY)"));
      assertState("42501", () -> s.execute("DROP TABLE shared"));
      assertState("42501", () -> c.prepareStatement("INSERT INTO shared VALUES (?, ?)"));
      s.addBatch("INSERT INTO shared VALUES (4, [1, 1])");
      assertState("42501", s::executeBatch);
    }
    try (Connection c = DriverManager.getConnection(server.avaticaUrl()
        + ";authentication=BASIC;avatica_user=reader;avatica_password=reader-secret");
        Statement s = c.createStatement()) {
      assertState("42501", () -> s.execute("INSERT INTO shared VALUES (5, [1, 1])"));
    }
    try (Connection c = connect("alice", "alice-secret"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shared")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getLong(1), "nothing the read-only user tried was written");
    }
  }

  @Test
  void usersChangeWhileTheServerRuns() throws Exception {
    assertState("28000", () -> connect("bob", "bob-1").close());
    users.add("bob", Role.READ_WRITE, "bob-1".toCharArray());
    connect("bob", "bob-1").close();
    users.setPassword("bob", "bob-2".toCharArray());
    assertState("28000", () -> connect("bob", "bob-1").close());
    connect("bob", "bob-2").close();
    users.remove("bob");
    assertState("28000", () -> connect("bob", "bob-2").close());
  }

  @Test
  void userCommandsOfTheLauncher() throws Exception {
    ChildJava.Result added = userCommand("carol-pw\n", "add", "carol", "--role", "read-only");
    assertEquals(0, added.exitCode(), added.output());
    assertTrue(added.output().contains("added user carol (read-only)"), added.output());
    try (Connection c = connect("carol", "carol-pw"); Statement s = c.createStatement()) {
      assertState("42501", () -> s.execute("INSERT INTO shared VALUES (6, [1, 1])"));
    }
    ChildJava.Result again = userCommand("x\n", "add", "carol");
    assertEquals(1, again.exitCode(), again.output());
    assertTrue(again.output().contains("exists already"), again.output());
    ChildJava.Result changed = userCommand("carol-pw2\n", "password", "carol");
    assertEquals(0, changed.exitCode(), changed.output());
    connect("carol", "carol-pw2").close();
    ChildJava.Result removed = userCommand(null, "remove", "carol");
    assertEquals(0, removed.exitCode(), removed.output());
    assertState("28000", () -> connect("carol", "carol-pw2").close());
  }

  private static ChildJava.Result userCommand(String stdin, String... args) throws Exception {
    return userCommandOn(data, stdin, args);
  }

  private static ChildJava.Result userCommandOn(Path dataDirectory, String stdin, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("-cp", ChildJava.testClassPath(),
        "org.quiver.sql.cli.Main", "user"));
    command.addAll(List.of(args));
    command.addAll(List.of("--data", dataDirectory.toString()));
    return ChildJava.run(Path.of(System.getProperty("java.home")), command, stdin);
  }

  @Test
  void removingTheLastUserLeavesARunningServerClosed(@TempDir Path dir) throws Exception {
    new UserStore(dir).add("root", Role.ADMIN, "root-secret".toCharArray());
    try (ServerProcess server = ServerProcess.start(dir, "--flight-port", "0")) {
      Properties root = new Properties();
      root.setProperty("user", "root");
      root.setProperty("password", "root-secret");
      DriverManager.getConnection(server.quiverUrl(), root).close();

      ChildJava.Result refused = userCommandOn(dir, null, "remove", "root");
      assertEquals(1, refused.exitCode(), refused.output());
      assertTrue(refused.output().contains("last admin") && refused.output().contains("--force"),
          refused.output());
      assertEquals(1, new UserStore(dir).users().size());
      ChildJava.Result removed = userCommandOn(dir, null, "remove", "root", "--force");
      assertEquals(0, removed.exitCode(), removed.output());
      assertTrue(new UserStore(dir).users().isEmpty());

      assertState("28000", () -> DriverManager.getConnection(server.quiverUrl()).close());
      assertState("28000", () -> DriverManager.getConnection(server.quiverUrl(), root).close());
      Exception stock = assertThrows(Exception.class, () -> {
        try (Connection c = DriverManager.getConnection(server.avaticaUrl());
            Statement s = c.createStatement()) {
          s.execute("CREATE USER mallory PASSWORD 'x' ROLE admin");
        }
      });
      assertTrue(messages(stock).contains("HTTP/401"), messages(stock));
      HttpURLConnection http = (HttpURLConnection) URI.create(
          server.avaticaUrl().replaceAll(".*url=([^;]*);.*", "$1/")).toURL().openConnection();
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.getOutputStream().write("{\"request\":\"openConnection\",\"connectionId\":\"m\"}"
          .getBytes(StandardCharsets.UTF_8));
      assertEquals(401, http.getResponseCode());
      assertTrue(new UserStore(dir).users().isEmpty(), "no anonymous CREATE USER ran");

      // A user added from the shell lets people in again, without a restart.
      ChildJava.Result added = userCommandOn(dir, "root-2\n", "add", "root", "--role", "admin");
      assertEquals(0, added.exitCode(), added.output());
      root.setProperty("password", "root-2");
      DriverManager.getConnection(server.quiverUrl(), root).close();
    }
  }

  @Test
  void withoutUsersOnlyLoopback(@TempDir Path empty) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> QuiverServer.start(ServerOptions.of(empty, "0.0.0.0", 0)));
    assertTrue(e.getMessage().contains("without users"), e.getMessage());
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  private static void assertState(String state, SqlAction action) {
    SQLException e = assertThrows(SQLException.class, action::run);
    assertEquals(state, e.getSQLState(), messages(e));
  }

  @FunctionalInterface
  interface SqlAction {
    void run() throws SQLException;
  }
}
