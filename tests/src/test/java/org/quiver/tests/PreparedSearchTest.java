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
