package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.copy.VectorFiles;

/** COPY FROM csv, fvecs and npy files and COPY TO csv and fvecs, with bad data and on_error. */
class CopyTest {
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

  private Path fvecs(String name, float[][] rows) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] r : rows) {
      buf.putInt(r.length);
      for (float f : r) {
        buf.putFloat(f);
      }
    }
    Path p = dir.resolve(name);
    Files.write(p, buf.array());
    return p;
  }

  @Test
  void csvWithHeaderLoadsAndBadRowsNameFileLineAndColumn() throws Exception {
    Path csv = dir.resolve("items.csv");
    Files.writeString(csv, "id,name,v\n1,one,\"[1,0]\"\n2,\"t,wo\",\"[0,1]\"\n3,,\"[1,1]\"\n");
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "id,name,v\n10,ten,\"[1,0]\"\n11,eleven,\"[1,0,0]\"\n12,x,\"[0,1]\"\n");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR, v VECTOR(2))");
      s.execute("COPY items FROM '" + csv + "'");
      try (ResultSet rs = s.executeQuery("SELECT id, name, v FROM items ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("one", rs.getString(2));
        assertArrayEquals(new float[] {1, 0}, (float[]) rs.getObject(3));
        assertTrue(rs.next());
        assertEquals("t,wo", rs.getString(2));
        assertTrue(rs.next());
        assertEquals(null, rs.getString(2));
        assertFalse(rs.next());
      }
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("COPY items FROM '" + bad + "' WITH (format = 'csv')"));
      assertEquals("22000", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("bad.csv, line 3, column \"v\""), e.getMessage());
      // The failed load left nothing behind: row 10, written before the bad row, is gone.
      assertEquals(3, count(s, "items"));
      s.execute("COPY items FROM '" + bad + "' WITH (on_error = 'skip', batch_rows = 1)");
      assertEquals(5, count(s, "items"));
      // An empty field is a NULL vector, which a NOT NULL column refuses naming line and column.
      Path missing = dir.resolve("missing.csv");
      Files.writeString(missing, "id,name,v\n20,twenty,\n");
      s.execute("COPY items FROM '" + missing + "'");
      try (ResultSet rs = s.executeQuery("SELECT v FROM items WHERE id = 20")) {
        assertTrue(rs.next());
        assertEquals(null, rs.getObject(1));
      }
      s.execute("CREATE TABLE strict (id BIGINT PRIMARY KEY, name VARCHAR, v VECTOR(2) NOT NULL)");
      SQLException nullVector = assertThrows(SQLException.class,
          () -> s.execute("COPY strict FROM '" + missing + "'"));
      assertEquals("23502", nullVector.getSQLState(), nullVector.getMessage());
      assertTrue(nullVector.getMessage().contains("missing.csv, line 2, column \"v\""),
          nullVector.getMessage());
      assertEquals(0, count(s, "strict"));
    }
  }

  /** Tables whose keys the engine assigns: COPY leaves them out, the allocator fills them. */
  @Test
  void copyIntoTablesWithAssignedKeys() throws Exception {
    Path csv = dir.resolve("pts.csv");
    Files.writeString(csv, "name,v\na,\"[1,0]\"\nb,\"[0,1]\"\n");
    float[][] rows = new float[1500][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i, 2};
    }
    Path in = fvecs("pts.fvecs", rows);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE pts (name VARCHAR, v VECTOR(2))");
      s.execute("COPY pts FROM '" + csv + "'");
      s.execute("COPY pts (v) FROM '" + in + "' WITH (batch_rows = 1000)");
      assertEquals(1502, count(s, "pts"));
      assertEquals(1, s.executeUpdate("DELETE FROM pts WHERE name = 'a'"));
      s.execute("INSERT INTO pts VALUES ('c', '[1,1]')");
      assertEquals(1502, count(s, "pts"));
      try (ResultSet rs = s.executeQuery("SELECT * FROM pts ORDER BY v <-> '[0,1]' LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getMetaData().getColumnCount());
        assertEquals("b", rs.getString(1));
      }

      s.execute("CREATE TABLE serials (id bigserial PRIMARY KEY, v VECTOR(2))");
      s.execute("COPY serials (v) FROM '" + in + "' WITH (batch_rows = 1000)");
      s.execute("INSERT INTO serials (v) VALUES ('[7,7]')");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT id), MIN(id) > 0 FROM serials")) {
        assertTrue(rs.next());
        assertEquals(1501, rs.getLong(1));
        assertTrue(rs.getBoolean(2));
      }
      try (ResultSet rs = s.executeQuery("SELECT v FROM serials ORDER BY id DESC LIMIT 1")) {
        assertTrue(rs.next());
        assertArrayEquals(new float[] {7, 7}, (float[]) rs.getObject(1));
      }
    }
  }

  @Test
  void fvecsAndNpyLoadWithGeneratedIdsAndRoundTripThroughCopyTo() throws Exception {
    float[][] rows = new float[2500][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i, i * 0.5f, -i, 1};
    }
    Path in = fvecs("in.fvecs", rows);
    Path npy = dir.resolve("in.npy");
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
    header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
    ByteBuffer body = ByteBuffer.allocate(10 + header.length() + 3 * 4 * 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    body.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
        .put((byte) 0).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 12; i++) {
      body.putFloat(i);
    }
    Files.write(npy, body.array());
    Path out = dir.resolve("out.fvecs");
    Path outCsv = dir.resolve("out.csv");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE vecs (id BIGINT PRIMARY KEY, v VECTOR(4), note VARCHAR)");
      s.execute("COPY vecs FROM '" + in + "' WITH (id_start = 100, batch_rows = 1000)");
      assertEquals(rows.length, count(s, "vecs"));
      s.execute("COPY vecs (v) FROM '" + npy + "' WITH (id_start = 1000000)");
      assertEquals(rows.length + 3, count(s, "vecs"));
      try (ResultSet rs = s.executeQuery("SELECT v FROM vecs WHERE id = 1000001")) {
        assertTrue(rs.next());
        assertArrayEquals(new float[] {4, 5, 6, 7}, (float[]) rs.getObject(1));
      }
      // Ids collide with the rows already there: 23505, and nothing of this load remains.
      SQLException dup = assertThrows(SQLException.class,
          () -> s.execute("COPY vecs FROM '" + in + "' WITH (id_start = 2000)"));
      assertEquals("23505", dup.getSQLState(), dup.getMessage());
      assertEquals(rows.length + 3, count(s, "vecs"));

      s.execute("COPY (SELECT v FROM vecs WHERE id < 1000000 ORDER BY id) TO '" + out + "'");
      float[][] back = VectorFiles.readFvecs(out);
      assertEquals(rows.length, back.length);
      for (int i = 0; i < rows.length; i++) {
        assertArrayEquals(rows[i], back[i]);
      }
      s.execute("COPY (SELECT id, v FROM vecs WHERE id < 102 ORDER BY id) TO '" + outCsv + "'");
      assertEquals(List.of("id,v", "100,\"[0.0,0.0,0.0,1.0]\"", "101,\"[1.0,0.5,-1.0,1.0]\""),
          Files.readAllLines(outCsv));

      SQLException npyOut = assertThrows(SQLException.class,
          () -> s.execute("COPY vecs TO '" + dir.resolve("x.npy") + "'"));
      assertEquals("0A000", npyOut.getSQLState(), npyOut.getMessage());
      SQLException option = assertThrows(SQLException.class,
          () -> s.execute("COPY vecs FROM '" + in + "' WITH (colour = 'red')"));
      assertEquals("22023", option.getSQLState(), option.getMessage());
    }
  }

  @Test
  void parquetRoundTripsThroughCopyToAndFrom() throws Exception {
    Path parquet = dir.resolve("items.parquet");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE src (id BIGINT PRIMARY KEY, name VARCHAR, score DOUBLE, "
          + "v VECTOR(3))");
      s.execute("INSERT INTO src VALUES (1, 'a', 0.5, [1, 2, 3]), (2, NULL, NULL, [4, 5, 6]), "
          + "(3, 'c', -1, [7, 8, 9])");
      s.execute("COPY src TO '" + parquet + "'");
      assertTrue(Files.size(parquet) > 0);
      s.execute("CREATE TABLE dst (id BIGINT PRIMARY KEY, name VARCHAR, score DOUBLE, "
          + "v VECTOR(3))");
      s.execute("COPY dst FROM '" + parquet + "' WITH (batch_rows = 2)");
      try (ResultSet rs = s.executeQuery("SELECT id, name, score, v FROM dst ORDER BY id")) {
        StringBuilder rows = new StringBuilder();
        while (rs.next()) {
          rows.append(rs.getLong(1)).append('|').append(rs.getString(2)).append('|')
              .append(rs.getObject(3)).append('|')
              .append(java.util.Arrays.toString((float[]) rs.getObject(4))).append(';');
        }
        assertEquals("1|a|0.5|[1.0, 2.0, 3.0];2|null|null|[4.0, 5.0, 6.0];"
            + "3|c|-1.0|[7.0, 8.0, 9.0];", rows.toString());
      }
      // A Parquet column the table does not have: 42703, and nothing loaded.
      s.execute("CREATE TABLE narrow (id BIGINT PRIMARY KEY, v VECTOR(3))");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("COPY narrow FROM '" + parquet + "'"));
      assertEquals("42703", e.getSQLState(), e.getMessage());
      assertEquals(0, count(s, "narrow"));
      s.execute("COPY narrow (id, v) FROM '" + parquet + "'");
      assertEquals(3, count(s, "narrow"));
    }
  }

  /**
   * A HALFVEC table goes out to Parquet and CSV and comes back with the same float16 values, a NULL
   * vector between others too (Arrow's Parquet writer refuses that in a fixed-size list); a
   * VECTOR file loads into a HALFVEC table rounded, and one with an element beyond float16 fails
   * with 22003, loading nothing.
   */
  @Test
  void halfvecRoundTripsThroughParquetAndCsv() throws Exception {
    Path parquet = dir.resolve("half.parquet");
    Path csv = dir.resolve("half.csv");
    Path wide = dir.resolve("wide.parquet");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE vsrc (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO vsrc VALUES (1, [1, 2]), (2, NULL), (3, [3, 4])");
      s.execute("COPY vsrc TO '" + dir.resolve("v.parquet") + "'");
      s.execute("CREATE TABLE vdst (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("COPY vdst FROM '" + dir.resolve("v.parquet") + "'");
      assertEquals(List.of("1|[1.0,2.0]", "2|null", "3|[3.0,4.0]"), texts(s, "vdst"));
      s.execute("CREATE TABLE hsrc (id BIGINT PRIMARY KEY, v HALFVEC(3))");
      s.execute("INSERT INTO hsrc VALUES (1, '[0.1, 2, -3]'), (2, NULL), (3, '[65504, 0, 1e-3]')");
      s.execute("COPY hsrc TO '" + parquet + "'");
      s.execute("COPY hsrc TO '" + csv + "'");
      for (Path file : List.of(parquet, csv)) {
        String table = "hdst_" + file.getFileName().toString().replace(".", "_");
        s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v HALFVEC(3))");
        s.execute("COPY " + table + " FROM '" + file + "'");
        assertEquals(texts(s, "hsrc"), texts(s, table), file.getFileName().toString());
      }
      assertEquals(List.of("1|[0.099975586,2.0,-3.0]", "2|null", "3|[65504.0,0.0,0.0010004044]"),
          texts(s, "hsrc"));

      s.execute("CREATE TABLE fsrc (id BIGINT PRIMARY KEY, v VECTOR(3))");
      s.execute("INSERT INTO fsrc VALUES (1, [0.1, 2, -3]), (2, [1, 70000, 1])");
      s.execute("COPY fsrc TO '" + wide + "'");
      s.execute("CREATE TABLE hfrom (id BIGINT PRIMARY KEY, v HALFVEC(3))");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("COPY hfrom FROM '" + wide + "'"));
      assertEquals("22003", e.getSQLState(), e.getMessage());
      assertEquals(0, count(s, "hfrom"));
      s.execute("DELETE FROM fsrc WHERE id = 2");
      s.execute("COPY fsrc TO '" + wide + "'");
      s.execute("COPY hfrom FROM '" + wide + "'");
      assertEquals(List.of("1|[0.099975586,2.0,-3.0]"), texts(s, "hfrom"));
    }
  }

  private static List<String> texts(Statement s, String table) throws SQLException {
    List<String> rows = new java.util.ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT id, v FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getString(2));
      }
    }
    return rows;
  }

  @Test
  void fileMistakesGetTheirOwnStatesNotAnIoError() throws Exception {
    Path npy = dir.resolve("bad.npy");
    Files.write(npy, "\u0093NUMPY garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Path cut = dir.resolve("cut.fvecs");
    Files.write(cut, new byte[] {2, 0, 0, 0, 0, 0, (byte) 0x80, 0x3f});
    Files.createDirectories(dir.resolve("folder.csv"));
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE f (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO f VALUES (1, [1, 1])");
      Path missing = dir.resolve("no/such/dir/x.csv");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("COPY f FROM '" + missing + "'"));
      assertEquals("58P01", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.execute("COPY f FROM '~/x.csv'"));
      assertEquals("58P01", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("~ is not expanded"), e.getMessage());
      e = assertThrows(SQLException.class,
          () -> s.execute("COPY f FROM '" + dir.resolve("folder.csv") + "'"));
      assertEquals("42809", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.execute("COPY f (v) FROM '" + npy + "'"));
      assertEquals("22P04", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.execute("COPY f (v) FROM '" + cut + "'"));
      assertEquals("22P04", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.execute("COPY f FROM 'a\u0000b.csv'"));
      assertEquals("22023", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class,
          () -> s.execute("COPY f TO '" + dir.resolve("no/such/dir/out.csv") + "'"));
      assertEquals("58P01", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class,
          () -> s.execute("COPY f TO '" + cut.resolve("below.csv") + "'"));
      assertEquals("42809", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("a part of the path is a file"), e.getMessage());
      assertEquals(1, count(s, "f"));
    }
  }

  @Test
  void copyStaysUsableAsAName() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE copy (id BIGINT PRIMARY KEY, copy VARCHAR)");
      s.execute("INSERT INTO copy VALUES (1, 'x')");
      try (ResultSet rs = s.executeQuery("SELECT copy FROM copy")) {
        assertTrue(rs.next());
        assertEquals("x", rs.getString(1));
      }
    }
  }
}
