package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.sql.server.QuiverServer;

/**
 * A value bound to a parameter of an integer column converts only where SQL allows it: a
 * TIMESTAMP, DATE, TIME, BOOLEAN or a fraction fails with 42804 and changes no row, for every
 * statement kind (key lookups, filters pushed into scans and searches, INSERT, UPSERT, batches)
 * through every door (embedded, Quiver's remote driver, the stock Avatica driver).
 */
class ParameterBindingTest {
  @TempDir
  static Path data;
  private static QuiverServer server;
  private static int tables;

  /** Binds a value to parameter 1. */
  private interface Binding {
    void bind(PreparedStatement p) throws SQLException;
  }

  private record Bad(String label, Binding binding) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static final List<Bad> BAD_VALUES = List.of(
      new Bad("timestamp 9 ms", p -> p.setTimestamp(1, new Timestamp(9))),
      new Bad("date", p -> p.setDate(1, new Date(9 * 86_400_000L))),
      new Bad("time", p -> p.setTime(1, new Time(9))),
      new Bad("boolean", p -> p.setBoolean(1, true)),
      new Bad("double 8.5", p -> p.setDouble(1, 8.5)),
      new Bad("decimal 7.5", p -> p.setBigDecimal(1, new BigDecimal("7.5"))),
      new Bad("text 8.5", p -> p.setString(1, "8.5")));

  /** Statements whose parameter 1 meets an integer column; each would change or find rows. */
  private static final List<String> STATEMENTS = List.of(
      "DELETE FROM %s WHERE id = ?",
      "DELETE FROM %s WHERE id IN (?, 100)",
      "DELETE FROM %s WHERE n = ?",
      "DELETE FROM %s WHERE n <= ?",
      "SELECT id FROM %s WHERE id = ?",
      "SELECT id FROM %s WHERE n > ? ORDER BY v <-> [1, 0] LIMIT 3",
      "INSERT INTO %s VALUES (?, 1, [1, 0])",
      "UPSERT INTO %s VALUES (?, 1, [1, 0])",
      "INSERT INTO %s (n, id, v) VALUES (?, 50, [1, 0])");

  @BeforeAll
  static void start() throws SQLException {
    server = QuiverServer.start(data, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<String> urls() {
    return Stream.of("jdbc:quiver:file:" + data.resolve("embedded"), server.url(),
        server.avaticaUrl());
  }

  /** A new table r (id BIGINT key, n INTEGER, v VECTOR(2)) with keys and n 0..11. */
  private static String newTable(Connection c) throws SQLException {
    String t = "r" + tables++;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, n INTEGER, v VECTOR(2))");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(i)
            .append(", [").append(i).append(", 1])");
      }
      s.execute("INSERT INTO " + t + " VALUES " + values);
    }
    return t;
  }

  private static List<String> rows(Connection c, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, n, v FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
      }
    }
    return rows;
  }

  @ParameterizedTest
  @MethodSource("urls")
  void wrongTypesFailWith42804AndChangeNoRow(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      List<String> before = rows(c, t);
      for (String sql : STATEMENTS) {
        for (Bad bad : BAD_VALUES) {
          try (PreparedStatement p = c.prepareStatement(String.format(sql, t))) {
            bad.binding().bind(p);
            SQLException e = assertThrows(SQLException.class, p::execute,
                () -> sql + " with " + bad);
            assertEquals("42804", e.getSQLState(), sql + " with " + bad + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("parameter 1"), e.getMessage());
          }
        }
      }
      assertEquals(before, rows(c, t));
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void wrongTypesInABatchFailWith42804AndInsertNothing(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      List<String> before = rows(c, t);
      for (Bad bad : BAD_VALUES) {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, ?)")) {
          p.setLong(1, 20);
          p.setInt(2, 20);
          p.setString(3, "[2, 0]");
          p.addBatch();
          bad.binding().bind(p);
          p.setInt(2, 21);
          p.setString(3, "[2, 1]");
          p.addBatch();
          SQLException e = assertThrows(SQLException.class, p::executeBatch, bad::label);
          assertEquals("42804", e.getSQLState(), bad + ": " + e.getMessage());
        }
      }
      assertEquals(before, rows(c, t));
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void integralValuesAndIntegerTextStillMatch(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t + " WHERE id = ?")) {
        p.setString(1, " 7 ");
        assertEquals(1, p.executeUpdate());
        p.setDouble(1, 3.0);
        assertEquals(1, p.executeUpdate());
        p.setBigDecimal(1, new BigDecimal("5.00"));
        assertEquals(1, p.executeUpdate());
      }
      try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + t + " WHERE n > ?")) {
        p.setString(1, "8");
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(3, rs.getLong(1));
        }
      }
      assertEquals(9, rows(c, t).size());
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void unicodeTextBindsAndMatchesThroughEveryDoor(String url) throws SQLException {
    List<String> texts = List.of("中文", "Ω", "Привет", "😀 smile", "𠀀𠀁");
    try (Connection c = DriverManager.getConnection(url)) {
      String t = "u" + tables++;
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, \"名前\" VARCHAR(8))");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?)")) {
        for (int i = 0; i < texts.size(); i++) {
          p.setLong(1, i);
          p.setString(2, texts.get(i));
          p.addBatch();
        }
        p.executeBatch();
        p.setLong(1, 99);
        p.setString(2, "ßü");
        assertEquals(1, p.executeUpdate());
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, \"名前\" FROM " + t + " WHERE \"名前\" = ? OR \"名前\" LIKE ? ORDER BY id")) {
        p.setString(1, "𠀀𠀁");
        p.setString(2, "%😀%");
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(3, rs.getLong(1));
          assertEquals("😀 smile", rs.getString(2));
          assertTrue(rs.next());
          assertEquals(4, rs.getLong(1));
          assertEquals("𠀀𠀁", rs.getString(2));
          assertTrue(!rs.next());
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void textThatIsNoNumberAndOutOfRangeIntegersFail(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String t = newTable(c);
      try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t + " WHERE n = ?")) {
        p.setString(1, "seven");
        SQLException e = assertThrows(SQLException.class, p::executeUpdate);
        assertEquals("22P02", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("'seven'"), e.getMessage());
        // 2^32 + 3 would wrap to 3 as an INTEGER.
        p.setLong(1, (1L << 32) + 3);
        e = assertThrows(SQLException.class, p::executeUpdate);
        assertEquals("22003", e.getSQLState(), e.getMessage());
      }
      assertEquals(12, rows(c, t).size());
    }
  }
}
