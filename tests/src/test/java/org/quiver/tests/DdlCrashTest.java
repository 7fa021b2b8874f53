package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Halts the engine's process (Runtime.halt, as SIGKILL would) before each step of CREATE TABLE,
 * DROP TABLE and a replace's swap, reopens the data directory and checks that the table is either
 * whole or gone: no channel, catalog record or segment folder is left behind by a create, a
 * dropped table stays dropped (its files kept for time travel until the retention window has
 * passed), and a replaced name means the old table or the new one, whole.
 */
class DdlCrashTest {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  @TempDir
  Path temp;

  private ChildJava.Result child(Path data, String kind, int step) throws Exception {
    List<String> command = new ArrayList<>(ChildJava.engineFlags());
    command.addAll(List.of("-cp", ChildJava.testClassPath(), DdlCrashChild.class.getName(),
        data.toString(), kind, Integer.toString(step)));
    return ChildJava.run(Path.of(System.getProperty("java.home")), command, null);
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long segmentFolders(Path data) throws Exception {
    Path segments = data.resolve("segments");
    if (!Files.isDirectory(segments)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(segments)) {
      return dirs.count();
    }
  }

  /** Steps 1-5 of CREATE TABLE: journal, channels, catalog record, watch and load, journal end. */
  @ParameterizedTest(name = "halt before create step {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void createTableIsWholeOrAbsentAfterACrashAtAnyStep(int step) throws Exception {
    Path data = Files.createDirectory(temp.resolve("create" + step));
    ChildJava.Result r = child(data, "create", step);
    assertEquals(137, r.exitCode(), "the child should have halted: " + r.output());
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data);
        Statement s = c.createStatement()) {
      boolean created = step > 3;
      assertEquals(created ? 1 : 0, count(s, "SELECT COUNT(*) FROM sys.tables WHERE table_name = 't'"));
      assertEquals(created ? 2 : 0, count(s, "SELECT COUNT(*) FROM sys.channels"),
          "no channel may be left without its table");
      if (!created) {
        s.execute(DdlCrashChild.CREATE);
      }
      s.execute("INSERT INTO t VALUES (1, [1, 0]), (2, [2, 0]), (3, [3, 0])");
      assertEquals(3, count(s, "SELECT COUNT(*) FROM t"));
      assertEquals(2, count(s, "SELECT shards FROM sys.tables WHERE table_name = 't'"));
    }
  }

  /**
   * Steps 1-5 of DROP TABLE: journal, indexes, catalog record to dropped (kept for time travel),
   * unwatch and release, journal end.
   */
  @ParameterizedTest(name = "halt before drop step {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void dropTableIsUndoneOrFinishedAfterACrashAtAnyStep(int step) throws Exception {
    Path data = Files.createDirectory(temp.resolve("drop" + step));
    ChildJava.Result r = child(data, "drop", step);
    assertEquals(137, r.exitCode(), "the child should have halted: " + r.output());
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data);
        Statement s = c.createStatement()) {
      boolean dropped = step > 1;
      assertEquals(dropped ? 0 : 1, count(s, "SELECT COUNT(*) FROM sys.tables WHERE table_name = 't'"));
      assertEquals(dropped ? 0 : 2, count(s, "SELECT COUNT(*) FROM sys.channels"));
      if (dropped) {
        assertEquals(1, segmentFolders(data), "the dropped table's files are kept for time travel");
        s.execute(DdlCrashChild.CREATE);
        assertEquals(0, count(s, "SELECT COUNT(*) FROM t"), "a new table of the same name is empty");
      } else {
        assertEquals(5, count(s, "SELECT COUNT(*) FROM t"));
        assertFalse(segmentFolders(data) == 0);
      }
    }
  }

  /**
   * Steps 1-5 of a replace's swap: journal, the old table's indexes, the one catalog write that
   * swaps the staging table in and keeps the old one as dropped, unwatch, journal end. A crash
   * before the journal (step 1: the staging table is filled but not swapped) leaves the old table
   * as it was and removes the staging table; after it, the swap is finished. Either way the name
   * means one whole table, and time travel to before the swap reads the old one.
   */
  @ParameterizedTest(name = "halt before replace step {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void replaceIsUndoneOrFinishedAfterACrashAtAnyStep(int step) throws Exception {
    Path data = Files.createDirectory(temp.resolve("replace" + step));
    ChildJava.Result r = child(data, "replace", step);
    assertEquals(137, r.exitCode(), "the child should have halted: " + r.output());
    long beforeSwap = r.output().lines().filter(l -> l.startsWith(DdlCrashChild.BEFORE_SWAP))
        .mapToLong(l -> Long.parseLong(l.substring(DdlCrashChild.BEFORE_SWAP.length())))
        .findFirst().orElseThrow();
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + data);
        Statement s = c.createStatement()) {
      boolean swapped = step > 1;
      assertEquals(List.of("t"), names(s, "SELECT table_name FROM sys.tables"),
          "one table, and no staging table");
      assertEquals(2, count(s, "SELECT COUNT(*) FROM sys.channels"),
          "no channel of a staging table may be left");
      assertEquals(swapped ? 3 : 5, count(s, "SELECT COUNT(*) FROM t"));
      assertEquals(swapped ? 2 : 1, segmentFolders(data),
          swapped ? "the old table's files are kept for time travel"
              : "the staging table's files are removed");
      assertEquals(5, count(s, "SELECT COUNT(*) FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '"
          + LITERAL.format(Instant.ofEpochMilli(beforeSwap)) + "'"));
    }
  }

  private static List<String> names(Statement s, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
