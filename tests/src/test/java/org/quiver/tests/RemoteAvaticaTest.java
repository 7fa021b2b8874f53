package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
import org.quiver.sql.bench.CountingHttpClients;
import org.quiver.sql.server.QuiverServer;

/**
 * The remote door through real clients: the stock Avatica driver, which sees vectors as text and
 * must still get Quiver's SQLSTATEs, and Quiver's own thin driver, which gives {@code float[]}
 * and runs a one-off query or a re-execution in one HTTP request.
 */
class RemoteAvaticaTest {
  @TempDir
  static Path data;
  private static QuiverServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = QuiverServer.start(data, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void stockAvaticaDriverCreatesInsertsAndSearches() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      assertEquals("org.apache.calcite.avatica.remote.Driver",
          DriverManager.getDriver(server.avaticaUrl()).getClass().getName());
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, tag VARCHAR(10), v VECTOR(4))");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO docs VALUES (?, ?, ?)")) {
        for (int i = 0; i < 50; i++) {
          p.setLong(1, i);
          p.setString(2, i % 2 == 0 ? "even" : "odd");
          p.setString(3, "[" + i + ",0,0,1]");
          p.addBatch();
        }
        int[] counts = p.executeBatch();
        assertEquals(50, counts.length);
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, v FROM docs WHERE tag = ? ORDER BY v <-> ? LIMIT 3")) {
        p.setString(1, "odd");
        p.setString(2, "[20.2,0,0,1]");
        try (ResultSet rs = p.executeQuery()) {
          List<Long> ids = new ArrayList<>();
          while (rs.next()) {
            ids.add(rs.getLong(1));
            assertTrue(rs.getString(2).startsWith("["), rs.getString(2));
          }
          assertEquals(List.of(21L, 19L, 23L), ids);
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM docs WHERE id = 3")) {
        assertTrue(rs.next());
        assertEquals("[3.0,0.0,0.0,1.0]", rs.getString(1));
        assertEquals("VECTOR(4)", rs.getMetaData().getColumnTypeName(1));
      }
    }
  }

  @Test
  void stockAvaticaDriverGetsQuiverSqlStates() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.avaticaUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE errs (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO errs VALUES (1, [1, 2])");
      assertState("42601", () -> s.execute("SELEC 1"));
      assertState("42P01", () -> s.executeQuery("SELECT * FROM missing"));
      assertState("42703", () -> s.executeQuery("SELECT nope FROM errs"));
      assertState("22000", () -> s.execute("INSERT INTO errs VALUES (2, [1, 2, 3])"));
      assertState("23505", () -> s.execute("INSERT INTO errs VALUES (1, [1, 2])"));
      s.execute("RELEASE TABLE errs");
      assertState("55000", () -> s.executeQuery("SELECT * FROM errs"));
      s.execute("LOAD TABLE errs");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM errs")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
      }
    }
  }

  /**
   * Array columns, which Avatica's wire cannot carry (CALCITE-3162: the server failed with an
   * internal error), reach every remote client as PostgreSQL's array text, and the embedded
   * driver's getString gives the same text.
   */
  @Test
  void arrayColumnsReachEveryClientAsPostgresArrayText() throws SQLException {
    String sql = "SELECT ARRAY[1, 2], '{1.5,NULL}'::real[], ARRAY['a b', 'c', 'NULL'], "
        + "'[1,2]'::vector::real[]";
    List<String> expected = List.of("{1,2}", "{1.5,NULL}", "{\"a b\",c,\"NULL\"}",
        "{1.0,2.0}");
    for (String url : List.of(server.avaticaUrl(), server.url(), "jdbc:quiver:mem:")) {
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        assertTrue(rs.next(), url);
        for (int i = 0; i < expected.size(); i++) {
          assertEquals(expected.get(i), rs.getString(i + 1), url + " column " + (i + 1));
          if (!url.startsWith("jdbc:quiver:mem:")) {
            assertEquals(expected.get(i), rs.getObject(i + 1), url + " column " + (i + 1));
            assertEquals(java.sql.Types.VARCHAR, rs.getMetaData().getColumnType(i + 1), url);
          }
        }
      }
    }
  }

  @Test
  void quiverDriverGivesFloatArrays() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.url())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE arrays (id BIGINT PRIMARY KEY, v VECTOR(3))");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO arrays VALUES (?, ?)")) {
        p.setLong(1, 7);
        p.setObject(2, new float[] {0.5f, -1f, 2f});
        assertEquals(1, p.executeUpdate());
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, v, v <-> ? AS d FROM arrays ORDER BY d LIMIT 1")) {
        p.setObject(1, new float[] {0.5f, -1f, 2f});
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(7, rs.getLong(1));
          assertArrayEquals(new float[] {0.5f, -1f, 2f}, (float[]) rs.getObject(2));
          assertArrayEquals(new float[] {0.5f, -1f, 2f}, rs.getObject(2, float[].class));
          assertEquals("[0.5,-1.0,2.0]", rs.getString(2));
          assertEquals(0.0, rs.getDouble(3), 1e-9);
          assertFalse(rs.next());
        }
      }
      try (ResultSet rs = c.getMetaData().getColumns(null, "public", "arrays", "v")) {
        assertTrue(rs.next(), "getColumns finds the vector column");
        assertEquals("VECTOR", rs.getString("TYPE_NAME"));
        assertEquals(3, rs.getInt("COLUMN_SIZE"));
      }
      SQLException e = assertThrows(SQLException.class, () -> c.setAutoCommit(false));
      assertEquals("0A000", e.getSQLState());
    }
  }

  @Test
  void oneOffQueriesAndReExecutionsCostOneRequestEach() throws SQLException {
    Properties counting = new Properties();
    counting.setProperty("httpclient_factory", CountingHttpClients.class.getName());
    try (Connection c = DriverManager.getConnection(server.url(), counting)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE lookups (id BIGINT PRIMARY KEY, v VECTOR(2))");
        s.execute("INSERT INTO lookups VALUES (1, [1, 2]), (2, [3, 4])");
      }
      long before = CountingHttpClients.requests();
      for (int i = 0; i < 10; i++) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT id FROM lookups WHERE id = " + (1 + i % 2))) {
          assertTrue(rs.next());
          assertEquals(1 + i % 2, rs.getLong(1));
        }
      }
      assertEquals(10, CountingHttpClients.requests() - before,
          "create, execute and close of a statement: one request");
      try (PreparedStatement p = c.prepareStatement("SELECT v FROM lookups WHERE id = ?")) {
        before = CountingHttpClients.requests();
        for (int i = 0; i < 10; i++) {
          p.setLong(1, 1);
          try (ResultSet rs = p.executeQuery()) {
            assertTrue(rs.next());
            assertArrayEquals(new float[] {1, 2}, (float[]) rs.getObject(1));
          }
        }
        assertEquals(10, CountingHttpClients.requests() - before);
      }

      Statement closed = c.createStatement();
      closed.setMaxRows(1);
      closed.close();
      assertTrue(closed.isClosed());
      assertThrows(SQLException.class, () -> closed.executeQuery("SELECT id FROM lookups"));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM lookups ORDER BY id")) {
        assertEquals(0, s.getMaxRows(), "a statement is as new whoever used it before");
        assertTrue(rs.next());
        assertTrue(rs.next());
      }
    }
  }

  private static void assertState(String state, SqlAction action) {
    SQLException e = assertThrows(SQLException.class, action::run);
    assertEquals(state, e.getSQLState(), e.getMessage());
  }

  @FunctionalInterface
  interface SqlAction {
    void run() throws SQLException;
  }
}
