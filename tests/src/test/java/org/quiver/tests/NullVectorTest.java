package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * What SQL files cannot show about NULL vectors: JDBC metadata tells each column's nullability, a
 * table from a catalog written before VECTOR columns could be NULL keeps them NOT NULL when the
 * engine opens it again, and a NaN, which no vector may hold, is refused from a bound float array.
 */
class NullVectorTest {
  @TempDir
  Path data;

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:quiver:file:" + data);
  }

  @Test
  void jdbcMetadataTellsWhichVectorColumnsTakeNull() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2), w VECTOR(2) NOT NULL)");
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet columns = meta.getColumns(null, null, "items", null)) {
        StringBuilder got = new StringBuilder();
        while (columns.next()) {
          got.append(columns.getString("COLUMN_NAME")).append(':')
              .append(columns.getInt("NULLABLE")).append(':')
              .append(columns.getString("IS_NULLABLE")).append(' ');
        }
        assertEquals("id:" + DatabaseMetaData.columnNoNulls + ":NO v:"
            + DatabaseMetaData.columnNullable + ":YES w:" + DatabaseMetaData.columnNoNulls + ":NO ",
            got.toString());
      }
      try (ResultSet rs = s.executeQuery("SELECT v, w FROM items")) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(ResultSetMetaData.columnNullable, md.isNullable(1));
        assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(2));
      }
    }
  }

  @Test
  void aVectorColumnOfAnOlderCatalogStaysNotNull() throws SQLException {
    // Every catalog written before NULL vectors holds its vector columns as not nullable.
    try (Quiver engine = Quiver.open(QuiverConfig.at(data))) {
      engine.proxy().createCollection("legacy", new CollectionSchema(List.of(
          new FieldSchema(1, "id", DataType.INT64, 0, false, true),
          new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false))), false);
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("DESCRIBE legacy")) {
        assertTrue(rs.next() && rs.next());
        assertEquals("v", rs.getString(1));
        assertEquals(false, rs.getBoolean(3));
      }
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("INSERT INTO legacy VALUES (1, NULL)"));
      assertEquals("23502", e.getSQLState(), e.getMessage());
      s.execute("INSERT INTO legacy VALUES (1, [1, 2])");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(v) FROM legacy")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
      }
    }
  }

  @Test
  void aNanInABoundVectorIsRefused() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, v VECTOR(2))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
        insert.setLong(1, 1);
        insert.setObject(2, new float[] {1, Float.NaN});
        SQLException e = assertThrows(SQLException.class, insert::executeUpdate);
        assertEquals("22000", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("NaN not allowed in vector: element 2 of column \"v\""),
            e.getMessage());
        insert.setObject(2, null);
        assertEquals(1, insert.executeUpdate());
      }
      try (ResultSet rs = s.executeQuery("SELECT v FROM items")) {
        assertTrue(rs.next());
        assertEquals(null, rs.getObject(1));
      }
    }
  }
}
