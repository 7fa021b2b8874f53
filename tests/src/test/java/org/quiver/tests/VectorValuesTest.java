package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vectors through the embedded door, as values: bound as {@code float[]} or text, compared as
 * vectors, read back by {@code getObject} as {@code float[]} and by {@code getString} as text,
 * and described as {@code VECTOR(n)}, for a stored column and a computed one alike.
 */
class VectorValuesTest {
  @TempDir
  Path dir;

  @Test
  void vectorsAreBoundComparedAndReadAsValues() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE vals (id BIGINT PRIMARY KEY, v VECTOR(3))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO vals VALUES (?, ?)")) {
        insert.setLong(1, 1);
        insert.setObject(2, new float[] {-0.0f, 1e38f, Float.MIN_VALUE});
        insert.executeUpdate();
        insert.setLong(1, 2);
        insert.setString(2, "[1, 2, 3]");
        insert.executeUpdate();
      }
      try (PreparedStatement find = c.prepareStatement("SELECT id FROM vals WHERE v = ?")) {
        find.setObject(1, new float[] {1, 2, 3});
        assertEquals(2, onlyId(find));
        find.setString(1, "[-0,1e38,1.4E-45]");
        assertEquals(1, onlyId(find));
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT v, CAST('[4,5]' AS VECTOR(2)) AS w FROM vals WHERE id = 1")) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals("VECTOR(3)", md.getColumnTypeName(1));
        assertEquals(3, md.getPrecision(1));
        assertEquals(Types.VARCHAR, md.getColumnType(1));
        assertEquals("VECTOR(2)", md.getColumnTypeName(2));
        assertTrue(rs.next());
        float[] v = assertInstanceOf(float[].class, rs.getObject(1));
        assertArrayEquals(new float[] {-0.0f, 1e38f, Float.MIN_VALUE}, v);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(v[0]));
        assertEquals("[-0.0,1.0E38,1.4E-45]", rs.getString(1));
        assertArrayEquals(new float[] {4, 5}, rs.getObject("w", float[].class));
        assertEquals("[4.0,5.0]", rs.getString(2));
        v[1] = 7; // the application's copy: the next read is unchanged
        assertArrayEquals(new float[] {-0.0f, 1e38f, Float.MIN_VALUE}, (float[]) rs.getObject(1));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void arraysBecomeVectorsAndVectorsArrays() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        PreparedStatement cast = c.prepareStatement("SELECT CAST(? AS VECTOR(3))");
        Statement s = c.createStatement()) {
      cast.setObject(1, new Integer[] {1, 2, 3});
      assertArrayEquals(new float[] {1, 2, 3}, (float[]) single(cast));
      cast.setArray(1, c.createArrayOf("DOUBLE", new Double[] {0.5, -1.0, 2.0}));
      assertArrayEquals(new float[] {0.5f, -1, 2}, (float[]) single(cast));
      cast.setObject(1, new Integer[] {1, null, 3});
      SQLException nullElement = assertThrows(SQLException.class, () -> single(cast));
      assertEquals("22004", nullElement.getSQLState());
      try (ResultSet rs = s.executeQuery("SELECT '[1.5,-0.0]'::vector::real[]")) {
        assertTrue(rs.next());
        Object[] elements = (Object[]) rs.getArray(1).getArray();
        assertArrayEquals(new Object[] {1.5f, -0.0f}, elements);
      }
    }
  }

  @Test
  void concatenationStopsAtTheLargestDimension() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        PreparedStatement concat = c.prepareStatement(
            "SELECT CAST(? AS VECTOR(16384)) || CAST(? AS VECTOR(16384)) || CAST(? AS VECTOR(1))")) {
      concat.setObject(1, new float[16384]);
      concat.setObject(2, new float[16384]);
      concat.setObject(3, new float[] {1});
      SQLException tooLong = assertThrows(SQLException.class, () -> single(concat));
      assertEquals("54000", tooLong.getSQLState());
      assertTrue(tooLong.getMessage().contains(
          "vector cannot have more than 32768 dimensions, got 32769"), tooLong.getMessage());
    }
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        PreparedStatement concat = c.prepareStatement(
            "SELECT vector_dims(CAST(? AS VECTOR(16384)) || CAST(? AS VECTOR(16384)))")) {
      concat.setObject(1, new float[16384]);
      concat.setObject(2, new float[16384]);
      assertEquals(32768, single(concat));
    }
  }

  private static Object single(PreparedStatement p) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      assertTrue(rs.next());
      Object value = rs.getObject(1);
      assertFalse(rs.next());
      return value;
    }
  }

  private static long onlyId(PreparedStatement p) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      assertTrue(rs.next());
      long id = rs.getLong(1);
      assertFalse(rs.next());
      return id;
    }
  }
}
