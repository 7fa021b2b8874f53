package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY TO at the edges: empty results, NULLs and very wide vectors in every export format, each
 * file read back by COPY FROM.
 */
class ExportEdgeCaseTest {
  private static final int WIDE = 16_000;

  @TempDir
  Path dir;

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:quiver:mem:");
  }

  private static long count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> rows(Statement s, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= n; c++) {
          Object v = rs.getObject(c);
          row.append(c > 1 ? "|" : "")
              .append(v instanceof float[] f ? java.util.Arrays.toString(f) : v);
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  @Test
  void emptyResultsGiveEmptyFilesThatReadBack() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE src (id BIGINT PRIMARY KEY, name VARCHAR, v VECTOR(3))");
      s.execute("INSERT INTO src VALUES (1, 'a', [1, 2, 3])");
      s.execute("CREATE TABLE dst (id BIGINT PRIMARY KEY, name VARCHAR, v VECTOR(3))");
      for (String format : List.of("parquet", "csv", "fvecs")) {
        Path file = dir.resolve("empty." + format);
        String query = format.equals("fvecs") ? "SELECT v FROM src WHERE id < 0"
            : "SELECT id, name, v FROM src WHERE id < 0";
        s.execute("COPY (" + query + ") TO '" + file + "'");
        assertTrue(Files.exists(file), format);
        s.execute("COPY dst" + (format.equals("fvecs") ? " (v)" : "") + " FROM '" + file + "'");
        assertEquals(0, count(s, "dst"), format);
      }
      assertEquals("id,name,v\n", Files.readString(dir.resolve("empty.csv")));
      assertEquals(0, Files.size(dir.resolve("empty.fvecs")));
      // The empty Parquet file carries the result's columns: one the table lacks is refused.
      s.execute("CREATE TABLE narrow (id BIGINT PRIMARY KEY, v VECTOR(3))");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("COPY narrow FROM '" + dir.resolve("empty.parquet") + "'"));
      assertEquals("42703", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("name"), e.getMessage());
      // No staging files are left beside the targets.
      try (var left = Files.list(dir)) {
        assertEquals(List.of("empty.csv", "empty.fvecs", "empty.parquet"),
            left.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }

  @Test
  void nullsRoundTripThroughParquetAndCsvAndAreRefusedByFvecs() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      String columns = "(id BIGINT PRIMARY KEY, name VARCHAR, score DOUBLE, ok BOOLEAN, "
          + "ts TIMESTAMP, v VECTOR(2))";
      s.execute("CREATE TABLE src " + columns);
      s.execute("INSERT INTO src VALUES (1, 'a', 0.5, TRUE, TIMESTAMP '2024-01-02 03:04:05', "
          + "[1, 2]), (2, NULL, NULL, NULL, NULL, [5, 6]), (3, '', -1, FALSE, NULL, [3, 4]), "
          + "(4, 'd', 1, TRUE, NULL, NULL)");
      List<String> expected = rows(s, "SELECT * FROM src ORDER BY id");
      assertEquals("2|null|null|null|null|[5.0, 6.0]", expected.get(1));
      assertEquals("4|d|1.0|true|null|null", expected.get(3));
      for (String format : List.of("parquet", "csv")) {
        Path file = dir.resolve("nulls." + format);
        s.execute("COPY src TO '" + file + "'");
        s.execute("CREATE TABLE dst_" + format + " " + columns);
        s.execute("COPY dst_" + format + " FROM '" + file + "'");
        assertEquals(expected, rows(s, "SELECT * FROM dst_" + format + " ORDER BY id"), format);
      }
      // An outer join's vectors are NULL where nothing matched: CSV and Parquet keep them too.
      s.execute("CREATE TABLE wanted (id BIGINT PRIMARY KEY, note VARCHAR)");
      s.execute("INSERT INTO wanted VALUES (1, 'x'), (4, 'y')");
      String join = "SELECT w.id, s.v FROM wanted w LEFT JOIN src s ON s.id = w.id ORDER BY w.id";
      s.execute("COPY (" + join + ") TO '" + dir.resolve("join.csv") + "'");
      assertEquals("id,v\n1,\"[1.0,2.0]\"\n4,\n", Files.readString(dir.resolve("join.csv")));
      s.execute("COPY (" + join + ") TO '" + dir.resolve("join.parquet") + "'");
      s.execute("CREATE TABLE back (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("COPY back FROM '" + dir.resolve("join.parquet") + "'");
      assertEquals(List.of("1|[1.0, 2.0]", "4|null"), rows(s, "SELECT * FROM back ORDER BY id"));
      s.execute("CREATE TABLE strict (id BIGINT PRIMARY KEY, v VECTOR(2) NOT NULL)");
      SQLException nullVector = assertThrows(SQLException.class,
          () -> s.execute("COPY strict FROM '" + dir.resolve("join.parquet") + "'"));
      assertEquals("23502", nullVector.getSQLState(), nullVector.getMessage());
      // fvecs has no way to write a missing vector: the COPY fails naming the row, no file.
      Path fvecs = dir.resolve("nulls.fvecs");
      String vectors = "SELECT s.v FROM wanted w LEFT JOIN src s ON s.id = w.id ORDER BY w.id";
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("COPY (" + vectors + ") TO '" + fvecs + "'"));
      assertEquals("23502", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("row 2 has a NULL in column \"v\""), e.getMessage());
      assertFalse(Files.exists(fvecs));
      assertFalse(Files.exists(dir.resolve("nulls.fvecs.part")));
      // Leaving the NULLs out is the way to export the rest.
      s.execute("COPY (" + vectors.replace("ORDER BY", "WHERE s.v IS NOT NULL ORDER BY") + ") TO '"
          + fvecs + "'");
      assertEquals(4 + 2 * 4, Files.size(fvecs));
    }
  }

  @Test
  void vectorsOfSixteenThousandDimensionsRoundTripThroughEveryFormat() throws Exception {
    int rowCount = 5;
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE wide (id BIGINT PRIMARY KEY, v VECTOR(" + WIDE + "))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO wide VALUES (?, ?)")) {
        for (int r = 0; r < rowCount; r++) {
          insert.setLong(1, r);
          insert.setObject(2, wideVector(r));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      for (String format : List.of("parquet", "csv", "fvecs")) {
        Path file = dir.resolve("wide." + format);
        String query = format.equals("fvecs") ? "(SELECT v FROM wide ORDER BY id)" : "wide";
        s.execute("COPY " + query + " TO '" + file + "'");
        String copy = "wide_" + format;
        s.execute("CREATE TABLE " + copy + " (id BIGINT PRIMARY KEY, v VECTOR(" + WIDE + "))");
        s.execute("COPY " + copy + (format.equals("fvecs") ? " (v)" : "") + " FROM '" + file
            + "'");
        try (ResultSet rs = s.executeQuery("SELECT id, v FROM " + copy + " ORDER BY id")) {
          for (int r = 0; r < rowCount; r++) {
            assertTrue(rs.next(), format);
            assertEquals(r, rs.getLong(1), format);
            assertArrayEquals(wideVector(r), (float[]) rs.getObject(2), format);
          }
          assertFalse(rs.next(), format);
        }
      }
      ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("wide.fvecs")))
          .order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(WIDE, head.getInt(0));
      assertEquals((long) rowCount * (4 + 4 * WIDE), head.capacity());
    }
  }

  static float[] wideVector(long row) {
    float[] v = new float[WIDE];
    for (int j = 0; j < WIDE; j++) {
      v[j] = ((row * 131 + j * 17) % 2003) / 64f - 15.5f;
    }
    return v;
  }
}
