package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.sql.server.QuiverServer;

/**
 * JDBC batches of prepared INSERTs, embedded and remote: a batch is one atomic insert, and its
 * values are checked exactly as a single INSERT's are.
 */
class JdbcBatchTest {
  @TempDir
  static Path data;
  private static QuiverServer server;
  private static int tables;

  @BeforeAll
  static void start() throws SQLException {
    server = QuiverServer.start(data, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<String> urls() {
    return Stream.of("jdbc:quiver:mem:", server.url(), server.avaticaUrl());
  }

  private static String newTable(Connection c) throws SQLException {
    String name = "b" + (++tables);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, "
          + "label VARCHAR(5), v VECTOR(2))");
    }
    return name;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void batchOfUpsertsReplacesRowsInStatementOrder(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO " + t + " VALUES (1, 10, 'old', [1, 1]), (2, 20, 'old', [2, 2])");
      }
      try (PreparedStatement p = c.prepareStatement("UPSERT INTO " + t + " VALUES (?, ?, ?, ?)")) {
        // Key 2 replaced, key 3 new, key 3 again: the later row wins.
        for (long[] row : new long[][] {{2, 21}, {3, 30}, {3, 31}}) {
          p.setLong(1, row[0]);
          p.setInt(2, (int) row[1]);
          p.setString(3, "new");
          p.setString(4, "[" + row[1] + ",0]");
          p.addBatch();
        }
        assertEquals(3, p.executeBatch().length);
      }
      // A Statement batch mixing INSERT and UPSERT runs in statement order.
      try (Statement s = c.createStatement()) {
        s.addBatch("INSERT INTO " + t + " VALUES (4, 40, 'ins', [4, 4])");
        s.addBatch("UPSERT INTO " + t + " VALUES (4, 41, 'ups', [4, 1])");
        s.executeBatch();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, n, label FROM " + t + " ORDER BY id")) {
        StringBuilder rows = new StringBuilder();
        while (rs.next()) {
          rows.append(rs.getLong(1)).append(':').append(rs.getInt(2)).append(':')
              .append(rs.getString(3)).append(' ');
        }
        assertEquals("1:10:old 2:21:new 3:31:new 4:41:ups ", rows.toString());
      }
      assertEquals(4, count(c, t));
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void batchInsertsEveryRow(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < 300; i++) {
          p.setLong(1, i);
          p.setInt(2, i * 2);
          p.setString(3, i % 3 == 0 ? null : "r" + i % 10);
          p.setString(4, "[" + i + ",1]");
          p.addBatch();
        }
        int[] counts = p.executeBatch();
        assertEquals(300, counts.length);
        assertTrue(java.util.Arrays.stream(counts).allMatch(n -> n == 1));
      }
      assertEquals(300, count(c, t));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n, label, v FROM " + t + " WHERE id = 7")) {
        assertTrue(rs.next());
        assertEquals(14, rs.getInt(1));
        assertEquals("r7", rs.getString(2));
        assertEquals("[7.0,1.0]", rs.getString(3));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void aFailingBatchWritesNothing(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      assertBatchFails(c, t, "23505", new Object[][] {{1L, 1, "a", "[1,1]"}, {1L, 2, "b", "[2,2]"}});
      assertBatchFails(c, t, "23502", new Object[][] {{1L, 1, "a", "[1,1]"}, {2L, null, "b", "[2,2]"}});
      assertBatchFails(c, t, "22000", new Object[][] {{1L, 1, "a", "[1,1]"}, {2L, 2, "b", "[2,2,2]"}});
      assertBatchFails(c, t, "22000", new Object[][] {{1L, 1, "a", "[1,x]"}});
      assertBatchFails(c, t, "22001", new Object[][] {{1L, 1, "toolong", "[1,1]"}});
      assertBatchFails(c, t, "22003", new Object[][] {{1L, 3_000_000_000L, "a", "[1,1]"}});
      assertEquals(0, count(c, t));
      assertBatchFails(c, t, "23505", new Object[][] {{5L, 1, "a", "[1,1]"}, {6L, 1, "a", "[1,1]"}},
          true);
    }
  }

  private static void assertBatchFails(Connection c, String table, String state, Object[][] rows)
      throws SQLException {
    assertBatchFails(c, table, state, rows, false);
  }

  /** With {@code twice}, the rows go in once successfully and then fail as duplicates. */
  private static void assertBatchFails(Connection c, String table, String state, Object[][] rows,
      boolean twice) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
      for (int round = 0; round < (twice ? 2 : 1); round++) {
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
              p.setNull(i + 1, Types.INTEGER);
            } else {
              p.setObject(i + 1, row[i]);
            }
          }
          p.addBatch();
        }
        if (twice && round == 0) {
          p.executeBatch();
          continue;
        }
        SQLException e = assertThrows(SQLException.class, p::executeBatch);
        assertEquals(state, e.getSQLState(), e.getMessage());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void columnListsStringNumbersAndFloatArrays(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO " + t + " (v, n, id) VALUES (?, ?, ?)")) {
        setVector(p, 1, url, new float[] {0.5f, 1.5f});
        p.setString(2, "42");
        p.setString(3, "9");
        p.addBatch();
        p.executeBatch();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, n, label, v FROM " + t)) {
        assertTrue(rs.next());
        assertEquals(9, rs.getLong(1));
        assertEquals(42, rs.getInt(2));
        assertEquals(null, rs.getString(3));
        assertEquals("[0.5,1.5]", rs.getString(4));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void singleExecutionsAndUnusualSettersStillWork(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, ?, ?)")) {
        p.setLong(1, 1);
        p.setInt(2, 1);
        p.setString(3, "one");
        setVector(p, 4, url, new float[] {1, 1});
        assertEquals(1, p.executeUpdate());
        p.setLong(1, 2);
        p.setInt(2, 2);
        p.setString(3, "two");
        p.setString(4, "[2,2]");
        p.addBatch();
        // A setter the batch path does not keep: the batch continues through SQL.
        p.setLong(1, 3);
        p.setInt(2, 3);
        p.setNString(3, "three");
        p.setCharacterStream(4, new java.io.StringReader("[3,3]"));
        p.addBatch();
        int[] counts = p.executeBatch();
        assertEquals(2, counts.length);
      }
      assertEquals(3, count(c, t));
    }
  }

  /**
   * The stock Avatica client cannot send a {@code float[]} (it fails before the request leaves):
   * with it, vectors are sent as text.
   */
  private static void setVector(PreparedStatement p, int index, String url, float[] v)
      throws SQLException {
    if (url.startsWith("jdbc:avatica")) {
      p.setString(index, org.quiver.jdbc.VectorText.format(v));
    } else {
      p.setObject(index, v);
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void insertedVectorsComeBackAsFloatArrays(String url) throws SQLException {
    if (url.startsWith("jdbc:avatica")) {
      return;
    }
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, ?, ?)")) {
        p.setLong(1, 1);
        p.setInt(2, 1);
        p.setNull(3, Types.VARCHAR);
        p.setObject(4, new float[] {-0.25f, 3e-5f});
        p.addBatch();
        p.executeBatch();
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM " + t)) {
        assertTrue(rs.next());
        assertArrayEquals(new float[] {-0.25f, 3e-5f}, (float[]) rs.getObject(1));
      }
    }
  }

  /**
   * Quiver's driver sends a batch as one request carrying each vector's float32 bytes once: every
   * bit comes back, values are bound when set (the application may reuse its array), and NULLs
   * and numbers given as text still arrive as the column's type.
   */
  @org.junit.jupiter.api.Test
  void aRemoteBatchIsOneRequestAndKeepsEveryBit() throws SQLException {
    java.util.Properties counting = new java.util.Properties();
    counting.setProperty("httpclient_factory",
        org.quiver.sql.bench.CountingHttpClients.class.getName());
    float[][] vectors = {{-0.0f, Float.MIN_VALUE}, {1e38f, -3.4028235e38f}, {1.17549435E-38f, 0.1f}};
    try (Connection c = DriverManager.getConnection(server.url(), counting)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, ?, ?)")) {
        float[] reused = new float[2];
        for (int i = 0; i < vectors.length; i++) {
          System.arraycopy(vectors[i], 0, reused, 0, 2);
          p.setLong(1, i);
          p.setString(2, Integer.toString(10 * i));
          if (i == 1) {
            p.setNull(3, Types.VARCHAR);
          } else {
            p.setString(3, "r" + i);
          }
          p.setObject(4, reused);
          p.addBatch();
        }
        long before = org.quiver.sql.bench.CountingHttpClients.requests();
        assertArrayEquals(new int[] {1, 1, 1}, p.executeBatch());
        assertEquals(1, org.quiver.sql.bench.CountingHttpClients.requests() - before);
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, n, label, v FROM " + t + " ORDER BY id")) {
        for (int i = 0; i < vectors.length; i++) {
          assertTrue(rs.next());
          assertEquals(i, rs.getLong(1));
          assertEquals(10 * i, rs.getInt(2));
          assertEquals(i == 1 ? null : "r" + i, rs.getString(3));
          float[] v = (float[]) rs.getObject(4);
          for (int j = 0; j < 2; j++) {
            assertEquals(Float.floatToRawIntBits(vectors[i][j]), Float.floatToRawIntBits(v[j]),
                "row " + i + " element " + j);
          }
        }
      }
    }
  }
}
