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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.QuiverServer;

/**
 * Users managed in SQL: the first admin is created over an embedded connection (which writes the
 * data directory's users file), then {@code quiver serve} authenticates against it; only admins
 * manage users, everyone may change their own password, and a GRANT lets a read-only user write
 * one table. No password shows in an error or in the users file.
 */
class UserManagementTest {
  @TempDir
  static Path data;
  private static QuiverServer server;

  @BeforeAll
  static void start() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data);
        Statement s = c.createStatement()) {
      s.execute("CREATE USER root PASSWORD 'root-secret' ROLE admin");
      s.execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("CREATE TABLE other (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO docs VALUES (1, [1, 0])");
    }
    server = QuiverServer.start(data, "127.0.0.1", 0);
    assertTrue(server.authenticated(), "the user created embedded turns authentication on");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties info = new Properties();
    info.setProperty("user", user);
    info.setProperty("password", password);
    return DriverManager.getConnection(server.url(), info);
  }

  private static List<List<String>> query(Statement s, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void adminManagesUsersAndGrantsOverTheServer() throws Exception {
    try (Connection admin = connect("root", "root-secret"); Statement s = admin.createStatement()) {
      s.execute("CREATE USER bob PASSWORD 'bob-secret' ROLE read_only");
      s.execute("CREATE USER carol WITH PASSWORD 'carol-secret'");
      assertEquals(List.of(List.of("bob", "read-only", ""), List.of("carol", "read-write", ""),
          List.of("root", "admin", "")), query(s, "SHOW USERS"));

      try (Connection bob = connect("bob", "bob-secret"); Statement b = bob.createStatement()) {
        assertState("42501", () -> b.execute("INSERT INTO docs VALUES (2, [0, 1])"));
        s.execute("GRANT INSERT ON TABLE docs TO bob");
        assertEquals(1, b.executeUpdate("INSERT INTO docs VALUES (2, [0, 1])"));
        assertState("42501", () -> b.execute("INSERT INTO other VALUES (2, [0, 1])"));
        assertState("42501", () -> b.execute("DELETE FROM docs WHERE id = 2"));
        s.execute("GRANT DELETE ON docs TO bob");
        assertEquals(1, b.executeUpdate("DELETE FROM docs WHERE id = 2"));
        assertEquals(List.of(List.of("bob", "read-only", "docs: INSERT, DELETE")),
            query(s, "SELECT * FROM sys.users WHERE user_name = 'bob'"));
        s.execute("REVOKE ALL ON docs FROM bob");
        assertState("42501", () -> b.execute("INSERT INTO docs VALUES (3, [0, 1])"));
        assertState("42501", () -> b.execute("CREATE TABLE t3 (id BIGINT PRIMARY KEY)"));

        // Only admins manage users; everyone may change their own password.
        assertState("42501", () -> b.execute("CREATE USER eve PASSWORD 'x'"));
        assertState("42501", () -> b.execute("GRANT INSERT ON docs TO bob"));
        assertState("42501", () -> b.execute("ALTER USER bob ROLE admin"));
        assertState("42501", () -> b.execute("ALTER USER carol PASSWORD 'taken-over'"));
      }
      // HTTP BASIC sends the password with every request: after the change, the connection that
      // made it can no longer even close itself on the server (the server expires it).
      Connection bob = connect("bob", "bob-secret");
      bob.createStatement().execute("ALTER USER bob PASSWORD 'bob-new'");
      assertState("28000", bob::close);
      assertState("28000", () -> connect("bob", "bob-secret").close());
      connect("bob", "bob-new").close();

      try (Connection carol = connect("carol", "carol-secret");
          Statement c = carol.createStatement()) {
        assertEquals(1, c.executeUpdate("INSERT INTO other VALUES (7, [1, 1])"));
        assertState("42501", () -> c.execute("DROP USER bob"));
      }
      s.execute("ALTER USER carol ROLE read_only");
      try (Connection carol = connect("carol", "carol-secret");
          Statement c = carol.createStatement()) {
        assertState("42501", () -> c.execute("INSERT INTO other VALUES (8, [1, 1])"));
      }

      // Errors name the user, role or table, never a password.
      SQLException duplicate = assertThrows(SQLException.class,
          () -> s.execute("CREATE USER bob PASSWORD 'do-not-echo'"));
      assertEquals("42710", duplicate.getSQLState());
      assertFalse(messages(duplicate).contains("do-not-echo"), messages(duplicate));
      s.execute("CREATE USER IF NOT EXISTS bob PASSWORD 'ignored'");
      connect("bob", "bob-new").close();
      SQLException syntax = assertThrows(SQLException.class,
          () -> s.execute("CREATE USER zed PASSWORD 'do-not-echo' ROLE"));
      assertEquals("42601", syntax.getSQLState());
      assertFalse(messages(syntax).contains("do-not-echo"), messages(syntax));
      assertState("22023", () -> s.execute("CREATE USER zed PASSWORD 'x' ROLE superuser"));
      assertState("22023", () -> s.execute("CREATE USER zed PASSWORD ''"));
      assertState("42P01", () -> s.execute("GRANT INSERT ON missing TO bob"));
      assertState("42704", () -> s.execute("GRANT INSERT ON docs TO nobody"));
      assertState("0A000", () -> s.execute("GRANT UPDATE ON docs TO bob"));

      assertState("55000", () -> s.execute("DROP USER root"));
      assertState("55000", () -> s.execute("ALTER USER root ROLE read_write"));
      s.execute("DROP USER bob");
      s.execute("DROP USER IF EXISTS bob");
      assertState("42704", () -> s.execute("DROP USER bob"));
      assertState("42704", () -> s.execute("ALTER USER bob PASSWORD 'x'"));
      s.execute("DROP USER carol");
    }
    assertState("28000", () -> connect("bob", "bob-new").close());
    String file = Files.readString(data.resolve(UserStore.FILE_NAME));
    assertFalse(file.contains("root-secret") || file.contains("bob"), file);
  }

  @Test
  void theFirstUserTurnsAuthenticationOnWithoutARestart(@TempDir Path empty) throws Exception {
    try (QuiverServer open = QuiverServer.start(empty, "127.0.0.1", 0)) {
      assertFalse(open.authenticated());
      Connection anonymous = DriverManager.getConnection(open.url());
      Statement s0 = anonymous.createStatement();
      s0.execute("CREATE USER first PASSWORD 'first-secret' ROLE admin");
      assertState("28000", () -> s0.executeQuery("VALUES 1"));
      // What was opened before the first user may still close, and nothing else.
      s0.close();
      anonymous.close();
      assertTrue(open.authenticated());
      assertState("28000", () -> DriverManager.getConnection(open.url()).close());
      Properties info = new Properties();
      info.setProperty("user", "first");
      info.setProperty("password", "first-secret");
      try (Connection c = DriverManager.getConnection(open.url(), info);
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW USERS")) {
        assertTrue(rs.next());
        assertEquals("first", rs.getString(1));
      }
    }
  }

  /**
   * A statement with a query timeout creates the first user through Quiver's driver: whatever
   * the driver sends around it (the timeout setting, the close) ends cleanly or with 28000,
   * never with a bare HTTP failure.
   */
  @Test
  void theFirstUserCreatedByAStatementWithATimeoutEndsWithSqlStates(@TempDir Path empty)
      throws Exception {
    try (QuiverServer open = QuiverServer.start(empty, "127.0.0.1", 0)) {
      Connection anonymous = DriverManager.getConnection(open.url());
      try (Statement s = anonymous.createStatement()) {
        s.setQueryTimeout(15);
        s.execute("CREATE USER first PASSWORD 'first-secret' ROLE admin");
      }
      assertTrue(open.authenticated());
      assertState("28000", () -> {
        try (Statement s = anonymous.createStatement()) {
          s.setQueryTimeout(15);
          s.execute("VALUES 1");
        }
      });
      anonymous.close();
    }
  }

  /**
   * The stock Avatica driver closes the statement after CREATE USER; that close must succeed, and
   * the connection's next statement is refused for want of a login (HTTP 401).
   */
  @Test
  void theFirstUserCreatedThroughTheStockAvaticaDriverEndsCleanly(@TempDir Path empty)
      throws Exception {
    try (QuiverServer open = QuiverServer.start(empty, "127.0.0.1", 0)) {
      Connection anonymous = DriverManager.getConnection(open.avaticaUrl());
      try (Statement s = anonymous.createStatement()) {
        s.execute("CREATE USER first PASSWORD 'first-secret' ROLE admin");
      }
      assertTrue(open.authenticated());
      Exception next = assertThrows(Exception.class, () -> {
        try (Statement s = anonymous.createStatement()) {
          s.executeQuery("VALUES 1");
        }
      });
      assertTrue(messages(next).contains("HTTP/401"), messages(next));
      anonymous.close();
      try (Connection c = DriverManager.getConnection(open.avaticaUrl()
          + ";authentication=BASIC;avatica_user=first;avatica_password=first-secret");
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW USERS")) {
        assertTrue(rs.next());
        assertEquals("first", rs.getString(1));
      }

      // Removing every user leaves the server closed: no anonymous client can add itself.
      new UserStore(empty).remove("first");
      Exception mallory = assertThrows(Exception.class, () -> {
        try (Connection c = DriverManager.getConnection(open.avaticaUrl());
            Statement s = c.createStatement()) {
          s.execute("CREATE USER mallory PASSWORD 'x' ROLE admin");
        }
      });
      assertTrue(messages(mallory).contains("HTTP/401"), messages(mallory));
      assertTrue(new UserStore(empty).users().isEmpty(), "no anonymous CREATE USER ran");
    }
  }

  @Test
  void inMemoryDatabasesHaveNoUsers() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:mem:");
        Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("CREATE USER x PASSWORD 'do-not-echo'"));
      assertEquals("0A000", e.getSQLState(), messages(e));
      assertFalse(messages(e).contains("do-not-echo"), messages(e));
      assertEquals(List.of(), query(s, "SHOW USERS"));
    }
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  private static void assertState(String state, AuthenticationTest.SqlAction action) {
    SQLException e = assertThrows(SQLException.class, action::run);
    assertEquals(state, e.getSQLState(), messages(e));
  }
}
