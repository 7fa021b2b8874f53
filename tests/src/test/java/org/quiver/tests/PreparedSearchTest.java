package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prepared statement is planned once: re-executing a prepared k-NN search (or key lookup) with
 * new parameters binds them to the same plan, with no parse or planning per execution, and each
 * execution answers for its own parameters (checked against exact search).
 */
class PreparedSearchTest {
  private static final int ROWS = 500;
  private static final int DIM = 8;

  @TempDir
  Path dir;

  @Test
  void reExecutionBindsNewVectorsWithoutPlanningAgain() throws SQLException {
    Random random = new Random(7);
    float[][] rows = new float[ROWS][DIM];
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(10), v VECTOR(" + DIM + "))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO p VALUES (?, ?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          for (int d = 0; d < DIM; d++) {
            rows[i][d] = random.nextFloat();
          }
          insert.setLong(1, i);
          insert.setString(2, "n" + i);
          insert.setObject(3, rows[i]);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      AtomicInteger prepares = new AtomicInteger();
      try (PreparedStatement search = c.prepareStatement(
              "SELECT id FROM p ORDER BY v <-> ? LIMIT 5");
          PreparedStatement byKey = c.prepareStatement("SELECT name FROM p WHERE id = ?");
          Hook.Closeable counting = Hook.PARSE_TREE.addThread(
              (java.util.function.Consumer<Object>) x -> prepares.incrementAndGet())) {
        for (int q = 0; q < 30; q++) {
          float[] query = new float[DIM];
          for (int d = 0; d < DIM; d++) {
            query[d] = random.nextFloat();
          }
          if (q % 2 == 0) {
            search.setObject(1, query);
          } else {
            search.setString(1, java.util.Arrays.toString(query));
          }
          assertEquals(exact(rows, query, 5), ids(search));
          byKey.setLong(1, q * 7);
          try (ResultSet rs = byKey.executeQuery()) {
            rs.next();
            assertEquals("n" + q * 7, rs.getString(1));
          }
        }
        assertEquals(0, prepares.get(), "executions parsed and planned again");
      }
    }
  }

  /**
   * A prepared search keeps the hints it was planned with: executed again after statements with
   * other hints on the same table, it still reads its own partition.
   */
  @Test
  void preparedSearchKeepsItsOwnHints() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE h (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("ALTER TABLE h ADD PARTITION p1");
      s.execute("ALTER TABLE h ADD PARTITION p2");
      s.execute("INSERT INTO h /*+ partitions(p1) */ VALUES (1, [1, 0]), (2, [2, 0])");
      s.execute("INSERT INTO h /*+ partitions(p2) */ VALUES (3, [1, 1]), (4, [3, 0])");
      try (PreparedStatement inP1 = c.prepareStatement("SELECT /*+ search(ef = 16) */ id "
              + "FROM h /*+ partitions(p1) */ ORDER BY v <-> ? LIMIT 10");
          PreparedStatement inP2 = c.prepareStatement("SELECT /*+ search(search_mode = 'exact') */"
              + " id FROM h /*+ partitions(p2) */ ORDER BY v <-> ? LIMIT 10")) {
        inP1.setObject(1, new float[] {0, 0});
        inP2.setObject(1, new float[] {0, 0});
        assertEquals(List.of(1L, 2L), ids(inP1));
        assertEquals(List.of(3L, 4L), ids(inP2));
        try (ResultSet rs = s.executeQuery("SELECT /*+ search(ef = 64) */ id "
            + "FROM h /*+ partitions(p2) */ ORDER BY v <-> [0, 0] LIMIT 1")) {
          rs.next();
          assertEquals(3L, rs.getLong(1));
        }
        assertEquals(List.of(1L, 2L), ids(inP1));
        assertEquals(List.of(3L, 4L), ids(inP2));
        assertEquals(List.of(1L, 2L), ids(inP1));
      }
    }
  }

  /**
   * An embedded {@code float[]} parameter reaches the search as the array, a distance computed by
   * Calcite and a range filter as a vector value, and a text cast as the vector's text;
   * the value is the one set, even if the caller changes the array afterwards.
   */
  @Test
  void arrayParametersServeSearchesAndExpressionsAlike() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE a (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.execute("INSERT INTO a VALUES (1, '[0,0]'), (2, '[3,4]'), (3, '[6,8]')");
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, v <-> ? AS d, CAST(? AS VARCHAR) AS q FROM a ORDER BY v <-> ? LIMIT 2")) {
        float[] query = {3.5f, 4f};
        p.setObject(1, query);
        p.setObject(2, query);
        p.setObject(3, query);
        query[0] = 100f; // bound already: must not change what runs
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          assertEquals(2, rs.getLong(1));
          assertEquals(0.5, rs.getDouble(2), 1e-6);
          assertEquals("[3.5,4.0]", rs.getString(3));
          rs.next();
          assertEquals(3, rs.getLong(1));
          assertEquals(Math.sqrt(2.5 * 2.5 + 16), rs.getDouble(2), 1e-6);
        }
      }
      try (PreparedStatement range = c.prepareStatement(
          "SELECT id FROM a WHERE v <-> ? < ? ORDER BY id")) {
        range.setObject(1, new float[] {0f, 0f});
        range.setDouble(2, 5.5);
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = range.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        assertEquals(List.of(1L, 2L), ids);
      }
    }
  }

  private static List<Long> ids(PreparedStatement p) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static List<Long> exact(float[][] rows, float[] q, int k) {
    return IntStream.range(0, rows.length).boxed()
        .sorted(java.util.Comparator.comparingDouble(i -> distance(rows[i], q)))
        .limit(k).map(Integer::longValue).toList();
  }

  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }
}
