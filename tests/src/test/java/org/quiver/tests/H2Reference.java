package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one query on H2 and on Quiver and fails, naming the first difference, unless they answer
 * alike: the same rows (as multisets when the query's order is not fully determined), numbers
 * equal within a relative tolerance, NULL only for NULL.
 */
final class H2Reference {
  private static final double TOLERANCE = 1e-9;

  private H2Reference() {}

  /**
   * @param ordered whether the query's ORDER BY fixes the order of every row
   * @param where what to print with a failure (query, seed, configuration)
   */
  static void assertSameAnswer(Connection h2, Connection quiver, String sql, boolean ordered,
      String where) {
    List<List<Object>> expected = run(h2, sql, "H2", where);
    List<List<Object>> actual = run(quiver, sql, "Quiver", where);
    if (!ordered) {
      expected.sort(ROW_ORDER);
      actual.sort(ROW_ORDER);
    }
    assertEquals(expected.size(), actual.size(),
        where + ": row count differs\nH2:     " + head(expected) + "\nQuiver: " + head(actual));
    for (int i = 0; i < expected.size(); i++) {
      if (!sameRow(expected.get(i), actual.get(i))) {
        fail(where + ": row " + i + " differs: H2 " + expected.get(i) + ", Quiver " + actual.get(i)
            + "\nH2:     " + head(expected) + "\nQuiver: " + head(actual));
      }
    }
  }

  private static List<List<Object>> run(Connection c, String sql, String engine, String where) {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int col = 1; col <= n; col++) {
          row.add(rs.getObject(col));
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      fail(where + ": " + engine + " failed with " + e.getSQLState() + " " + e.getMessage(), e);
    }
    return rows;
  }

  private static final Comparator<List<Object>> ROW_ORDER = (r1, r2) -> {
    for (int i = 0; i < Math.min(r1.size(), r2.size()); i++) {
      int c = compareValues(r1.get(i), r2.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(r1.size(), r2.size());
  };

  /** Orders values for the multiset comparison: NULL first, then numbers, booleans, strings. */
  private static int compareValues(Object v1, Object v2) {
    int rank = Integer.compare(rank(v1), rank(v2));
    if (rank != 0 || v1 == null) {
      return rank;
    }
    if (v1 instanceof Number n1) {
      return Double.compare(n1.doubleValue(), ((Number) v2).doubleValue());
    }
    if (v1 instanceof Boolean b1) {
      return b1.compareTo((Boolean) v2);
    }
    return v1.toString().compareTo(v2.toString());
  }

  private static int rank(Object v) {
    return v == null ? 0 : v instanceof Number ? 1 : v instanceof Boolean ? 2 : 3;
  }

  private static boolean sameRow(List<Object> r1, List<Object> r2) {
    if (r1.size() != r2.size()) {
      return false;
    }
    for (int i = 0; i < r1.size(); i++) {
      Object v1 = r1.get(i);
      Object v2 = r2.get(i);
      if (v1 == null || v2 == null) {
        if (v1 != v2) {
          return false;
        }
      } else if (v1 instanceof Number n1 && v2 instanceof Number n2) {
        double d1 = n1.doubleValue();
        double d2 = n2.doubleValue();
        if (Math.abs(d1 - d2) > TOLERANCE * Math.max(1, Math.max(Math.abs(d1), Math.abs(d2)))) {
          return false;
        }
      } else if (v1 instanceof Boolean || v2 instanceof Boolean) {
        if (!v1.equals(v2)) {
          return false;
        }
      } else if (!v1.toString().equals(v2.toString())) {
        return false;
      }
    }
    return true;
  }

  private static String head(List<List<Object>> rows) {
    int shown = Math.min(rows.size(), 12);
    String text = rows.subList(0, shown).toString();
    return rows.size() > shown ? text + " ... (" + rows.size() + " rows)" : text;
  }
}
