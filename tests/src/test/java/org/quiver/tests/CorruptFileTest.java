package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.cli.Main;

/**
 * Damages one file of each kind in a data directory of several tables (a segment's data file, a
 * delete log, an index file) and checks that the engine still starts, that the intact tables
 * answer, that a table with a damaged data or delete file reports XX001 naming the file rather
 * than answer from the rest, that a damaged index is rebuilt from its segment, and that {@code
 * sys.damage} and {@code quiver check} list the damage.
 */
class CorruptFileTest {
  private static final int ROWS = 20;

  @TempDir
  Path temp;

  @Test
  void aCorruptFileCostsOnlyItsTable() throws Exception {
    Path data = temp.resolve("data");
    String url = "jdbc:quiver:file:" + data;
    long badData;
    long badDeletes;
    long badIndex;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String table : List.of("intact", "bad_data", "bad_deletes", "bad_index")) {
        s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VECTOR(4))");
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 0; i < ROWS; i++) {
          insert.append(i == 0 ? "" : ", ").append("(").append(i).append(", [")
              .append(i).append(", 1, 0, 0])");
        }
        s.execute(insert.toString());
        s.execute("FLUSH TABLE " + table);
      }
      s.execute("DELETE FROM bad_deletes WHERE id = 3");
      s.execute("FLUSH TABLE bad_deletes");
      s.execute("CREATE INDEX bad_index_v ON bad_index USING HNSW (v) WITH (metric = 'l2')");
      awaitIndexBuilt(s);
      badData = lastSegment(s, "bad_data");
      badDeletes = lastSegment(s, "bad_deletes");
      badIndex = lastSegment(s, "bad_index");
    }
    Path dataFile = segmentDirectory(data, badData).resolve("data.arrow");
    Path deletesFile = segmentDirectory(data, badDeletes).resolve("deletes.arrow");
    Path indexFile;
    try (Stream<Path> files = Files.walk(segmentDirectory(data, badIndex))) {
      indexFile = files.filter(f -> f.getParent().getFileName().toString().startsWith("index-")
          && !f.getFileName().toString().equals("manifest")).findFirst().orElseThrow();
    }
    flipBytes(dataFile);
    flipBytes(deletesFile);
    flipBytes(indexFile);

    String before = check(data, 1);
    assertTrue(before.contains(dataFile.toString()), before);
    assertTrue(before.contains(deletesFile.toString()), before);
    assertTrue(before.contains(indexFile.toString()), before);
    assertTrue(before.contains("3 damaged file(s)"), before);

    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      assertEquals(ROWS, count(s, "intact"), "an intact table answers");
      assertDamaged(s, "bad_data", dataFile);
      assertDamaged(s, "bad_deletes", deletesFile);
      SQLException search = assertThrows(SQLException.class, () -> s.executeQuery(
          "SELECT id FROM bad_data ORDER BY v <-> [1, 1, 0, 0] LIMIT 3").close());
      assertEquals("XX001", search.getSQLState(), search.getMessage());

      assertEquals(ROWS, count(s, "bad_index"), "a damaged index costs its table nothing");
      try (ResultSet rs = s.executeQuery(
          "SELECT id FROM bad_index ORDER BY v <-> [7, 1, 0, 0] LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals(7, rs.getLong(1));
      }

      List<String> damage = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(
          "SELECT table_name, file, effect FROM sys.damage ORDER BY table_name")) {
        while (rs.next()) {
          damage.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
      assertEquals(3, damage.size(), damage.toString());
      assertTrue(damage.get(0).startsWith("bad_data " + dataFile), damage.toString());
      assertTrue(damage.get(1).startsWith("bad_deletes " + deletesFile), damage.toString());
      assertTrue(damage.get(2).startsWith("bad_index " + indexFile)
          && damage.get(2).contains("rebuilt"), damage.toString());
      try (ResultSet rs = s.executeQuery(
          "SELECT row_count FROM sys.tables WHERE table_name = 'bad_data'")) {
        assertTrue(rs.next());
        assertEquals(null, rs.getObject(1), "no row count for a damaged table");
      }
      awaitIndexBuilt(s);
    }

    String after = check(data, 1);
    assertTrue(after.contains("2 damaged file(s)"), "the index was rebuilt:\n" + after);
    assertTrue(!after.contains(indexFile.toString()), after);
  }

  private static void assertDamaged(Statement s, String table, Path file) {
    SQLException e = assertThrows(SQLException.class, () -> count(s, table));
    assertEquals("XX001", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static String check(Path data, int expectedExit) {
    StringWriter out = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out))
        .execute("check", "--data", data.toString());
    String text = out.toString();
    assertEquals(expectedExit, exit, text);
    return text;
  }

  private static void awaitIndexBuilt(Statement s) throws Exception {
    for (int attempt = 0; attempt < 200; attempt++) {
      try (ResultSet rs = s.executeQuery(
          "SELECT indexed_rows, total_rows FROM sys.indexes WHERE table_name = 'bad_index'")) {
        rs.next();
        if (rs.getLong(1) == rs.getLong(2) && rs.getLong(2) > 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the index of bad_index was not built");
  }

  private static long lastSegment(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT MAX(segment_id) FROM sys.segments WHERE table_name = '"
        + table + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Path segmentDirectory(Path data, long segment) throws IOException {
    try (Stream<Path> dirs = Files.walk(data.resolve("segments"), 3)) {
      return dirs.filter(d -> d.getFileName().toString().equals(Long.toString(segment))
          && Files.isDirectory(d)).findFirst().orElseThrow();
    }
  }

  /** Inverts 8 bytes in the middle of the file, as a bad disk block would. */
  private static void flipBytes(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = f.length() / 2;
      byte[] bytes = new byte[8];
      f.seek(at);
      f.readFully(bytes);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      f.seek(at);
      f.write(bytes);
    }
  }

  private static long count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
