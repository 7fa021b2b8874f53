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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random workload of inserts, upserts (SQL and JDBC batches), deletes, flushes and exact
 * searches on a sharded table with tiny segments, checked after every step against an in-memory
 * model of the table, and after every restart. The seed ({@code -Dtests.seed}) is in every failure.
 */
class RandomWorkloadTest {
  private static final int STEPS = 150;
  private static final int DIM = 4;
  private static final long KEY_SPACE = 120;

  @TempDir
  Path data;

  private record Row(int n, float[] v) {}

  @Test
  void randomWorkloadMatchesTheModel() throws SQLException {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random random = new Random(seed);
    Map<Long, Row> model = new TreeMap<>();
    Properties info = new Properties();
    info.setProperty("sealRows", "25");
    String url = "jdbc:quiver:file:" + data;
    Connection c = DriverManager.getConnection(url, info);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE w (id BIGINT PRIMARY KEY, n INTEGER, v VECTOR(" + DIM + "))"
            + " WITH (shards = 3)");
      }
      for (int step = 0; step < STEPS; step++) {
        String where = "seed=" + seed + " step=" + step;
        int op = random.nextInt(100);
        if (op < 25) {
          insert(c, random, model, where);
        } else if (op < 50) {
          upsert(c, random, model, random.nextBoolean());
        } else if (op < 65) {
          delete(c, random, model);
        } else if (op < 70) {
          try (Statement s = c.createStatement()) {
            s.execute("FLUSH TABLE w");
          }
        } else if (op < 72) {
          c.close();
          c = DriverManager.getConnection(url, info);
          where += " (after restart)";
        } else {
          search(c, random, model, where);
        }
        checkRows(c, model, where, step % 10 == 0);
      }
    } finally {
      c.close();
    }
  }

  private static float[] vector(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = random.nextInt(1000) / 10f;
    }
    return v;
  }

  private static String text(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(v[i]);
    }
    return b.append(']').toString();
  }

  private static void insert(Connection c, Random random, Map<Long, Row> model, String where)
      throws SQLException {
    long key = random.nextLong(KEY_SPACE);
    Row row = new Row(random.nextInt(1000), vector(random));
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO w VALUES (" + key + ", " + row.n() + ", " + text(row.v()) + ")");
      if (model.containsKey(key)) {
        throw new AssertionError(where + ": INSERT of live key " + key + " succeeded");
      }
      model.put(key, row);
    } catch (SQLException e) {
      if (!model.containsKey(key) || !"23505".equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  private static void upsert(Connection c, Random random, Map<Long, Row> model, boolean batch)
      throws SQLException {
    int count = 1 + random.nextInt(6);
    List<Long> keys = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(random.nextLong(KEY_SPACE));
      rows.add(new Row(random.nextInt(1000), vector(random)));
    }
    if (batch) {
      try (PreparedStatement p = c.prepareStatement("UPSERT INTO w VALUES (?, ?, ?)")) {
        for (int i = 0; i < count; i++) {
          p.setLong(1, keys.get(i));
          p.setInt(2, rows.get(i).n());
          p.setString(3, text(rows.get(i).v()));
          p.addBatch();
        }
        p.executeBatch();
      }
    } else {
      StringBuilder sql = new StringBuilder("UPSERT INTO w VALUES ");
      for (int i = 0; i < count; i++) {
        sql.append(i == 0 ? "" : ", ").append('(').append(keys.get(i)).append(", ")
            .append(rows.get(i).n()).append(", ").append(text(rows.get(i).v())).append(')');
      }
      try (Statement s = c.createStatement()) {
        s.execute(sql.toString());
      }
    }
    for (int i = 0; i < count; i++) {
      model.put(keys.get(i), rows.get(i));
    }
  }

  private static void delete(Connection c, Random random, Map<Long, Row> model)
      throws SQLException {
    long from = random.nextLong(KEY_SPACE);
    long to = from + random.nextInt(8);
    try (Statement s = c.createStatement()) {
      int deleted = s.executeUpdate("DELETE FROM w WHERE id BETWEEN " + from + " AND " + to);
      long expected = model.keySet().stream().filter(k -> k >= from && k <= to).count();
      assertEquals(expected, deleted, "rows deleted");
    }
    model.keySet().removeIf(k -> k >= from && k <= to);
  }

  private static void search(Connection c, Random random, Map<Long, Row> model, String where)
      throws SQLException {
    float[] q = vector(random);
    int k = 1 + random.nextInt(5);
    List<Long> expected = model.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<Long, Row> e) -> l2(q, e.getValue().v()))
            .thenComparing(Map.Entry::getKey))
        .limit(k).map(Map.Entry::getKey).toList();
    List<Long> actual = new ArrayList<>();
    List<Double> distances = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT /*+ search(search_mode = 'exact') */ id, v <-> "
            + text(q) + " FROM w ORDER BY v <-> " + text(q) + " LIMIT " + k)) {
      while (rs.next()) {
        actual.add(rs.getLong(1));
        distances.add(rs.getDouble(2));
      }
    }
    assertEquals(expected.size(), actual.size(), where + ": search result size");
    for (int i = 0; i < expected.size(); i++) {
      // Ties at equal distance may come in any order: compare distances, and ids when they differ.
      double want = l2(q, model.get(expected.get(i)).v());
      assertEquals(want, distances.get(i), 1e-3, where + ": distance of hit " + i);
      if (i + 1 < expected.size() && Math.abs(want - l2(q, model.get(expected.get(i + 1)).v())) > 1e-3
          && (i == 0 || Math.abs(want - l2(q, model.get(expected.get(i - 1)).v())) > 1e-3)) {
        assertEquals(expected.get(i), actual.get(i), where + ": hit " + i);
      }
    }
  }

  private static double l2(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  private static void checkRows(Connection c, Map<Long, Row> model, String where, boolean count)
      throws SQLException {
    StringBuilder expected = new StringBuilder();
    model.forEach((k, r) -> expected.append(k).append(':').append(r.n()).append(':')
        .append(text(r.v())).append('\n'));
    StringBuilder actual = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, n, v FROM w ORDER BY id")) {
      while (rs.next()) {
        actual.append(rs.getLong(1)).append(':').append(rs.getInt(2)).append(':')
            .append(text(parse(rs.getString(3)))).append('\n');
      }
    }
    assertEquals(expected.toString(), actual.toString(), where + ": table contents");
    if (!count) {
      return;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM w")) {
      rs.next();
      assertEquals(model.size(), rs.getLong(1), where + ": COUNT(*)");
    }
  }

  private static float[] parse(String text) {
    String[] parts = text.substring(1, text.length() - 1).split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Float.parseFloat(parts[i].strip());
    }
    return v;
  }
}
