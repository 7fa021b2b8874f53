package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quiver.sql.server.QuiverServer;

/**
 * The DatabaseMetaData and ResultSetMetaData that a SQL tool such as DBeaver reads on connect and
 * when it browses a table, through the embedded driver, Quiver's remote driver and the stock
 * Avatica driver.
 */
class JdbcMetadataTest {
  private static final int ROWS = 250;
  @TempDir
  static Path data;
  private static QuiverServer server;

  @BeforeAll
  static void start() throws Exception {
    server = QuiverServer.start(data, "127.0.0.1", 0);
    try (Connection c = DriverManager.getConnection(server.url());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, title VARCHAR(40), price DOUBLE, "
          + "qty INTEGER NOT NULL, created TIMESTAMP, ok BOOLEAN, v VECTOR(3))");
      s.execute("CREATE INDEX items_v ON items USING HNSW (v) WITH (metric = 'l2')");
      StringBuilder insert = new StringBuilder("INSERT INTO items VALUES ");
      for (int i = 0; i < ROWS; i++) {
        insert.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'title ").append(i)
            .append("', ").append(i * 0.5).append(", ").append(i % 7)
            .append(", TIMESTAMP '2024-01-01 00:00:00', ").append(i % 2 == 0)
            .append(", '[").append(i).append(",1,0]')");
      }
      s.executeUpdate(insert.toString());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection open(String mode) throws SQLException {
    return switch (mode) {
      case "embedded" -> DriverManager.getConnection("jdbc:quiver:file:" + data);
      case "quiver-remote" -> DriverManager.getConnection(server.url());
      case "avatica-remote" -> DriverManager.getConnection(server.avaticaUrl());
      default -> throw new IllegalArgumentException(mode);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "quiver-remote", "avatica-remote"})
  void dbeaverConnectAndBrowse(String mode) throws SQLException {
    try (Connection c = open(mode)) {
      DatabaseMetaData md = c.getMetaData();
      boolean stock = mode.equals("avatica-remote");
      // The stock Avatica driver answers these on the client, with its own defaults.
      assertEquals(stock ? "Avatica" : "Quiver", md.getDatabaseProductName());
      assertEquals("\"", md.getIdentifierQuoteString());
      if (!stock) {
        assertEquals("0.1.0", md.getDatabaseProductVersion());
        assertTrue(md.storesLowerCaseIdentifiers());
        assertFalse(md.storesUpperCaseIdentifiers());
        assertTrue(md.supportsMixedCaseQuotedIdentifiers());
      }

      assertEquals(List.of(List.of("public"), List.of("sys")),
          rows(md.getSchemas(), "TABLE_SCHEM"));
      try (ResultSet rs = md.getCatalogs()) {
        assertTrue(rs.next());
        assertNull(rs.getString("TABLE_CAT"));
        assertFalse(rs.next());
      }
      assertEquals(List.of(List.of("SYSTEM TABLE"), List.of("TABLE")),
          rows(md.getTableTypes(), "TABLE_TYPE"));
      assertEquals(List.of(List.of("public", "items", "TABLE")),
          rows(md.getTables(null, "public", "%", new String[] {"TABLE"}),
              "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"));
      List<List<String>> system = rows(md.getTables(null, "sys", "%", null),
          "TABLE_SCHEM", "TABLE_TYPE");
      assertTrue(system.size() >= 5, system.toString());
      assertTrue(system.stream().allMatch(r -> r.equals(List.of("sys", "SYSTEM TABLE"))));
      assertTrue(rows(md.getTables(null, "sys", "columns", null), "TABLE_NAME")
          .contains(List.of("columns")));

      assertEquals(List.of(
              List.of("id", "-5", "BIGINT", "19", "0", "1", "NO"),
              List.of("title", "12", "VARCHAR", "40", "1", "2", "YES"),
              List.of("price", "8", "DOUBLE", "15", "1", "3", "YES"),
              List.of("qty", "4", "INTEGER", "10", "0", "4", "NO"),
              List.of("created", "93", "TIMESTAMP", "23", "1", "5", "YES"),
              List.of("ok", "16", "BOOLEAN", "1", "1", "6", "YES"),
              List.of("v", "12", "VECTOR", "3", nullable("v"), "7", nullable("v").equals("1")
                  ? "YES" : "NO")),
          rows(md.getColumns(null, "public", "items", "%"), "COLUMN_NAME", "DATA_TYPE",
              "TYPE_NAME", "COLUMN_SIZE", "NULLABLE", "ORDINAL_POSITION", "IS_NULLABLE"));

      // Avatica's protocol has no request for keys or indexes: the stock driver sees none.
      assertEquals(stock ? List.of() : List.of(List.of("public", "items", "id", "1")),
          rows(md.getPrimaryKeys(null, "public", "items"), "TABLE_SCHEM", "TABLE_NAME",
              "COLUMN_NAME", "KEY_SEQ"));
      assertEquals(List.of(), rows(md.getPrimaryKeys(null, "sys", "items"), "COLUMN_NAME"));
      assertEquals(stock ? List.of() : List.of(List.of("items", "true", "items_v", "v",
              Integer.toString(DatabaseMetaData.tableIndexOther), "1")),
          rows(md.getIndexInfo(null, "public", "items", false, true), "TABLE_NAME",
              "NON_UNIQUE", "INDEX_NAME", "COLUMN_NAME", "TYPE", "ORDINAL_POSITION"));
      assertEquals(List.of(), rows(md.getIndexInfo(null, "public", "items", true, true),
          "INDEX_NAME"));
      assertEquals(List.of(), rows(md.getImportedKeys(null, "public", "items"), "PKTABLE_NAME"));
      assertEquals(List.of(), rows(md.getExportedKeys(null, "public", "items"), "FKTABLE_NAME"));

      Map<String, List<String>> types = new TreeMap<>();
      for (List<String> r : rows(md.getTypeInfo(), "TYPE_NAME", "DATA_TYPE", "PRECISION")) {
        types.put(r.get(0), r.subList(1, 3));
      }
      assertEquals(Map.ofEntries(Map.entry("BIGINT", List.of("-5", "19")),
          Map.entry("BIT", List.of("12", "64000")),
          Map.entry("BOOLEAN", List.of("16", "1")), Map.entry("DOUBLE", List.of("8", "15")),
          Map.entry("HALFVEC", List.of("12", "16000")), Map.entry("INTEGER", List.of("4", "10")),
          Map.entry("REAL", List.of("7", "7")), Map.entry("SMALLINT", List.of("5", "5")),
          Map.entry("SPARSEVEC", List.of("12", "1000000000")),
          Map.entry("TIMESTAMP", List.of("93", "23")), Map.entry("TINYINT", List.of("-6", "3")),
          Map.entry("VARCHAR", List.of("12", "2147483647")),
          Map.entry("VECTOR", List.of("12", "32768"))), types);

      try (Statement s = c.createStatement()) {
        s.setMaxRows(200);
        try (ResultSet rs = s.executeQuery("SELECT * FROM items")) {
          ResultSetMetaData rsmd = rs.getMetaData();
          assertEquals(7, rsmd.getColumnCount());
          List<String> described = new ArrayList<>();
          for (int i = 1; i <= rsmd.getColumnCount(); i++) {
            described.add(rsmd.getColumnLabel(i) + ":" + rsmd.getColumnType(i) + ":"
                + rsmd.getColumnTypeName(i) + ":" + rsmd.isNullable(i));
            assertEquals(rsmd.getColumnLabel(i), rsmd.getColumnName(i));
          }
          assertEquals(List.of("id:" + Types.BIGINT + ":BIGINT:0",
              "title:" + Types.VARCHAR + ":VARCHAR:1", "price:" + Types.DOUBLE + ":DOUBLE:1",
              "qty:" + Types.INTEGER + ":INTEGER:0", "created:" + Types.TIMESTAMP + ":TIMESTAMP:1",
              "ok:" + Types.BOOLEAN + ":BOOLEAN:1",
              "v:" + Types.VARCHAR + ":VECTOR(3):" + nullable("v")), described);
          int count = 0;
          while (rs.next()) {
            long id = rs.getLong("id");
            assertEquals("title " + id, rs.getString(2));
            assertEquals("[" + id + ".0,1.0,0.0]", rs.getString("v"));
            count++;
          }
          assertEquals(200, count);
        }
      }
    }
  }

  /** NULLABLE of a column as the embedded catalog reports it, the reference for every door. */
  private static String nullable(String column) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data)) {
      return rows(c.getMetaData().getColumns(null, "public", "items", column), "NULLABLE")
          .getFirst().getFirst();
    }
  }

  private static List<List<String>> rows(ResultSet rs, String... columns) throws SQLException {
    try (rs) {
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (String column : columns) {
          row.add(rs.getString(column));
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
