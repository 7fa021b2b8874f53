package org.quiver.tests;


import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Randomized reference check: {@value #QUERIES} generated queries (filters with AND/OR/NOT,
 * IS NULL, BETWEEN and IN; projections with arithmetic and CASE; GROUP BY with aggregates and
 * HAVING; DISTINCT; joins; ORDER BY a unique key with LIMIT/OFFSET; window functions; IN, EXISTS
 * and scalar sub-queries; primary-key lookups) must give on Quiver the rows that H2 gives over the
 * same data.
 *
 * <p>The seed is printed and named in every failure; {@code -Dquiver.seed=<n>} replays a run.
 * Rows are compared as multisets unless ordered by a unique key; numbers within 1e-9 relative.
 * Even-numbered queries run on a default engine, odd ones on one that seals a segment every 16
 * rows, so that scans cross segments and growing data.
 */
class RandomQueryTest {
  private static final long SEED = Long.getLong("quiver.seed", System.nanoTime());
  private static final int QUERIES = 300;
  private static final int T1_ROWS = 300;
  private static final int T2_ROWS = 200;
  private static final String[] WORDS = {"ant", "bee", "cat", "dog", "eel", "Fox", ""};
  private static final String[] T1_INTS = {"t1.a", "t1.b", "t1.id"};
  private static final String[] T2_INTS = {"t2.c", "t2.id", "t2.t1_id"};

  private static Connection h2;
  private static final List<Connection> QUIVER = new ArrayList<>();

  @BeforeAll
  static void load() throws SQLException {
    System.out.println("RandomQueryTest seed=" + SEED + " (replay with -Dquiver.seed=" + SEED + ")");
    Random random = new Random(SEED);
    List<Object[]> t1 = new ArrayList<>();
    for (int i = 0; i < T1_ROWS; i++) {
      t1.add(new Object[] {(long) i * 2 - 100, maybe(random, random.nextInt(-10, 20)),
          maybe(random, random.nextInt(0, 8)),
          maybe(random, Math.round(random.nextDouble(-50, 50) * 4) / 4.0),
          maybe(random, WORDS[random.nextInt(WORDS.length)]), maybe(random, random.nextBoolean())});
    }
    List<Object[]> t2 = new ArrayList<>();
    for (int i = 0; i < T2_ROWS; i++) {
      t2.add(new Object[] {(long) i, maybe(random, (long) random.nextInt(-110, 510) / 2 * 2),
          maybe(random, random.nextInt(-5, 15)),
          maybe(random, Math.round(random.nextDouble(0, 100) * 2) / 2.0),
          maybe(random, WORDS[random.nextInt(WORDS.length)])});
    }
    h2 = DriverManager.getConnection("jdbc:h2:mem:random" + SEED);
    fill(h2, t1, t2);
    for (String sealRows : new String[] {null, "16"}) {
      Properties info = new Properties();
      if (sealRows != null) {
        info.setProperty("sealRows", sealRows);
      }
      Connection c = DriverManager.getConnection("jdbc:quiver:mem:", info);
      QUIVER.add(c);
      fill(c, t1, t2);
    }
  }

  @AfterAll
  static void close() throws SQLException {
    for (Connection c : QUIVER) {
      c.close();
    }
    QUIVER.clear();
    if (h2 != null) {
      h2.close();
    }
  }

  private static Object maybe(Random random, Object value) {
    return random.nextInt(8) == 0 ? null : value;
  }

  private static void fill(Connection c, List<Object[]> t1, List<Object[]> t2)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t1 (id BIGINT PRIMARY KEY, a INTEGER, b INTEGER, x DOUBLE, "
          + "s VARCHAR(10), f BOOLEAN)");
      s.execute("CREATE TABLE t2 (id BIGINT PRIMARY KEY, t1_id BIGINT, c INTEGER, y DOUBLE, "
          + "s VARCHAR(10))");
    }
    insert(c, "INSERT INTO t1 VALUES (?, ?, ?, ?, ?, ?)", t1);
    insert(c, "INSERT INTO t2 VALUES (?, ?, ?, ?, ?)", t2);
  }

  private static void insert(Connection c, String sql, List<Object[]> rows) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          p.setObject(i + 1, row[i]);
        }
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  @TestFactory
  Stream<DynamicTest> sameAnswerAsH2() {
    Generator generator = new Generator(new Random(SEED ^ 0x5DEECE66DL));
    List<Query> queries = IntStream.range(0, QUERIES).mapToObj(i -> generator.query()).toList();
    return IntStream.range(0, QUERIES).mapToObj(i -> DynamicTest.dynamicTest(
        "#" + i + " " + queries.get(i).sql(), () -> check(i, queries.get(i))));
  }

  private static void check(int index, Query query) {
    String where = "seed=" + SEED + " (replay with -Dquiver.seed=" + SEED + "), query #" + index
        + (index % 2 == 0 ? " on the default engine" : " on tiny segments") + ": " + query.sql();
    H2Reference.assertSameAnswer(h2, QUIVER.get(index % 2), query.sql(), query.ordered(), where);
  }

  /** A generated statement; ordered when its ORDER BY ends on a unique key. */
  private record Query(String sql, boolean ordered) {}

  /** Generates queries over t1 and t2 that H2 and Quiver must answer alike. */
  private static final class Generator {
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    Query query() {
      return switch (random.nextInt(9)) {
        case 0 -> select();
        case 1 -> grouped();
        case 2 -> ordered();
        case 3 -> join();
        case 4 -> distinct();
        case 5 -> windowed();
        case 6 -> subquery();
        case 7 -> keyed();
        default -> aggregate();
      };
    }

    private Query windowed() {
      String partition = pick("", "PARTITION BY t1.b ", "PARTITION BY t1.s ", "PARTITION BY t1.f ");
      String order = pick("t1.a", "t1.x", "t1.s") + pick("", " DESC") + pick(" NULLS FIRST",
          " NULLS LAST") + ", t1.id";
      String function = pick("ROW_NUMBER()", "RANK()", "DENSE_RANK()", "COUNT(*)", "SUM(t1.a)",
          "MIN(t1.x)", "LAG(t1.a)", "LEAD(t1.s)");
      String frame = function.startsWith("SUM") || function.startsWith("MIN")
          ? pick("", " ROWS BETWEEN 1 PRECEDING AND CURRENT ROW") : "";
      return new Query("SELECT t1.id, " + function + " OVER (" + partition + "ORDER BY " + order
          + frame + "), COUNT(*) OVER (" + partition.strip() + ") FROM t1 WHERE " + predicate(1),
          false);
    }

    private Query subquery() {
      String inner = "t2.c " + comparison() + " " + random.nextInt(-5, 15);
      return switch (random.nextInt(5)) {
        case 0 -> new Query("SELECT t1.id, t1.a FROM t1 WHERE t1.id " + pick("", "NOT ")
            + "IN (SELECT t2.t1_id FROM t2 WHERE " + inner + ")", false);
        case 1 -> new Query("SELECT t1.id FROM t1 WHERE t1.b " + pick("", "NOT ")
            + "IN (SELECT t2.c FROM t2 WHERE t2.y > " + random.nextInt(0, 100) + ")", false);
        case 2 -> new Query("SELECT t1.id FROM t1 WHERE " + pick("", "NOT ")
            + "EXISTS (SELECT 1 FROM t2 WHERE t2.t1_id = t1.id AND " + inner + ")", false);
        case 3 -> new Query("SELECT t1.id, (SELECT MAX(t2.c) FROM t2 WHERE t2.s = t1.s) FROM t1"
            + " WHERE " + predicate(1), false);
        default -> new Query("SELECT t1.id FROM t1 WHERE t1.a " + comparison()
            + " (SELECT MIN(t2.c) FROM t2 WHERE " + inner + ")", false);
      };
    }

    /** Primary-key lookups (ids are even numbers from -100), some with no such row. */
    private Query keyed() {
      String key = Integer.toString(random.nextInt(-55, 255) * 2 + random.nextInt(2));
      String keys = pick("t1.id = " + key, key + " = t1.id",
          "t1.id IN (" + key + ", " + (random.nextInt(-50, 250) * 2) + ", "
              + (random.nextInt(-50, 250) * 2) + ")",
          "(t1.id = " + key + " OR t1.id = " + (random.nextInt(-50, 250) * 2) + ")");
      String rest = random.nextBoolean() ? "" : " AND " + predicate(1);
      if (random.nextBoolean()) {
        return new Query("SELECT t1.id, t1.a, t1.x, t1.s, t1.f FROM t1 WHERE " + keys + rest,
            false);
      }
      return new Query("SELECT t1.id, t2.id, t2.c FROM t1 JOIN t2 ON t2.t1_id = t1.id WHERE "
          + keys + rest, false);
    }

    private Query select() {
      return new Query("SELECT t1.id, " + intExpr(T1_INTS, 2) + ", " + doubleExpr() + ", "
          + caseExpr() + " FROM t1 WHERE " + predicate(2), false);
    }

    private Query grouped() {
      String key = pick("t1.a", "t1.b", "t1.s", "t1.f", "MOD(t1.a, 3)", "t1.b + 1");
      String having = random.nextBoolean() ? ""
          : " HAVING " + pick("COUNT(*) > " + random.nextInt(1, 10),
              "SUM(t1.b) " + comparison() + " " + random.nextInt(0, 60),
              "MIN(t1.a) IS NOT NULL", "MAX(t1.x) > " + random.nextInt(-20, 40),
              "COUNT(t1.x) BETWEEN 2 AND " + random.nextInt(3, 40));
      return new Query("SELECT " + key + ", " + aggregates() + " FROM t1"
          + (random.nextBoolean() ? " WHERE " + predicate(1) : "") + " GROUP BY " + key + having,
          false);
    }

    private Query ordered() {
      String first = pick("t1.a", "t1.x", "t1.s", "t1.a + t1.b", "t1.b * 2 - t1.a");
      String nulls = pick(" NULLS FIRST", " NULLS LAST");
      String direction = pick("", " DESC");
      String limit = " LIMIT " + random.nextInt(1, 40)
          + (random.nextBoolean() ? " OFFSET " + random.nextInt(0, 200) : "");
      return new Query("SELECT t1.id, t1.a, t1.x, t1.s FROM t1 WHERE " + predicate(1)
          + " ORDER BY " + first + direction + nulls + ", t1.id" + pick("", " DESC") + limit,
          true);
    }

    private Query join() {
      String kind = pick("JOIN", "LEFT JOIN");
      String on = pick("t1.id = t2.t1_id", "t1.id = t2.t1_id AND t2.c > t1.b",
          "t1.b = t2.c AND t1.s = t2.s");
      String filter = pick("t1.a " + comparison() + " " + random.nextInt(-5, 15),
          "t2.y IS NULL OR t1.x < " + random.nextInt(-10, 30), "t1.f", "NOT " + predicate(0));
      if (random.nextBoolean()) {
        return new Query("SELECT t1.id, t2.id, t1.a + COALESCE(t2.c, 0), t2.y FROM t1 " + kind
            + " t2 ON " + on + " WHERE " + filter, false);
      }
      return new Query("SELECT t1.s, COUNT(*), COUNT(t2.id), SUM(t2.c), MAX(t2.y) FROM t1 "
          + kind + " t2 ON " + on + " WHERE " + filter + " GROUP BY t1.s", false);
    }

    private Query distinct() {
      String columns = pick("t1.b", "t1.s", "t1.b, t1.f", "t1.s, MOD(t1.a, 4)",
          "CASE WHEN t1.a > 5 THEN 'big' ELSE 'small' END");
      return new Query("SELECT DISTINCT " + columns + " FROM t1"
          + (random.nextBoolean() ? " WHERE " + predicate(1) : ""), false);
    }

    private Query aggregate() {
      return new Query("SELECT " + aggregates() + " FROM t1 WHERE " + predicate(2), false);
    }

    private String aggregates() {
      List<String> all = List.of("COUNT(*)", "COUNT(t1.a)", "SUM(t1.a)", "MIN(t1.b)",
          "MAX(t1.s)", "AVG(t1.x)", "SUM(" + intExpr(T1_INTS, 1) + ")", "MIN(t1.x)",
          "COUNT(DISTINCT t1.b)", "SUM(CASE WHEN t1.f THEN 1 ELSE 0 END)");
      int n = random.nextInt(1, 4);
      List<String> chosen = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        chosen.add(all.get(random.nextInt(all.size())));
      }
      return String.join(", ", chosen);
    }

    private String predicate(int depth) {
      if (depth > 0) {
        switch (random.nextInt(5)) {
          case 0 -> {
            return "(" + predicate(depth - 1) + " AND " + predicate(depth - 1) + ")";
          }
          case 1 -> {
            return "(" + predicate(depth - 1) + " OR " + predicate(depth - 1) + ")";
          }
          case 2 -> {
            return "NOT (" + predicate(depth - 1) + ")";
          }
          default -> { }
        }
      }
      return switch (random.nextInt(9)) {
        case 0 -> intExpr(T1_INTS, 1) + " " + comparison() + " " + random.nextInt(-10, 20);
        case 1 -> pick("t1.a", "t1.b", "t1.x", "t1.s", "t1.f") + " IS "
            + pick("", "NOT ") + "NULL";
        case 2 -> pick("t1.a", "t1.x", "t1.b * 2") + " " + pick("", "NOT ") + "BETWEEN "
            + random.nextInt(-10, 5) + " AND " + random.nextInt(0, 20);
        case 3 -> pick("t1.a", "t1.b") + " " + pick("", "NOT ") + "IN (" + random.nextInt(-5, 10)
            + ", " + random.nextInt(0, 10) + ", " + random.nextInt(5, 20) + ")";
        case 4 -> "t1.s " + pick("=", "<>", "<", ">=") + " '" + WORDS[random.nextInt(WORDS.length)]
            + "'";
        case 5 -> "t1.s IN ('ant', 'Fox', '')";
        case 6 -> pick("t1.f", "NOT t1.f", "t1.f IS TRUE", "t1.f IS NOT FALSE");
        case 7 -> "t1.x " + comparison() + " " + (random.nextInt(-200, 200) / 4.0);
        default -> "t1.a " + comparison() + " t1.b";
      };
    }

    private String intExpr(String[] columns, int depth) {
      if (depth == 0 || random.nextInt(3) == 0) {
        return random.nextInt(4) == 0 ? Integer.toString(random.nextInt(-5, 10))
            : columns[random.nextInt(columns.length)];
      }
      return "(" + intExpr(columns, depth - 1) + " " + pick("+", "-", "*") + " "
          + intExpr(columns, depth - 1) + ")";
    }

    private String doubleExpr() {
      return pick("t1.x", "t1.x * 2.5", "t1.x + t1.a", "t1.x - 0.25", "ABS(t1.x)");
    }

    private String caseExpr() {
      return "CASE WHEN " + predicate(0) + " THEN " + intExpr(T1_INTS, 1) + " WHEN "
          + predicate(0) + " THEN " + random.nextInt(100) + " ELSE "
          + pick("NULL", "t1.b", "-1") + " END";
    }

    private String comparison() {
      return pick("=", "<>", "<", "<=", ">", ">=");
    }

    private String pick(String... options) {
      return options[random.nextInt(options.length)];
    }
  }
}
