package org.quiver.tests;


import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the same plain-SQL queries on Quiver and on H2, over the same seeded random rows, and
 * checks that both give the same answer.
 *
 * <p>Both databases get the same rows through JDBC batches, then the same {@link #DELETES}. The
 * seed is {@code -Dquiver.seed=<n>} or a fixed default, and every failure message names it.
 * Rows are compared as a multiset unless the query is marked ordered (its ORDER BY ends on a unique
 * key); numbers are equal within a relative tolerance of 1e-9.
 */
class H2ComparisonTest {
  private static final long SEED = Long.getLong("quiver.seed", 20_261_122L);
  private static final int A_ROWS = 400;
  private static final int B_ROWS = 300;
  private static final int BATCH = 50;
  private static final String[] WORDS = {
      "apple", "banana", "cherry", "date", "elderberry", "fig", "grape", "Apple", "kiwi_2", "",
  };

  private static final String CREATE_A =
      "CREATE TABLE a (id BIGINT PRIMARY KEY, k INTEGER, x DOUBLE, s VARCHAR(20), flag BOOLEAN)";
  private static final String CREATE_B =
      "CREATE TABLE b (id BIGINT PRIMARY KEY, a_id BIGINT, qty INTEGER, note VARCHAR(20))";
  /** Run on both databases after loading, so the queries also read past deleted rows. */
  private static final List<String> DELETES = List.of(
      "DELETE FROM a WHERE k = 13 OR (id >= 0 AND id < 30)",
      "DELETE FROM b WHERE qty = 0");

  /** Engine configurations, as in {@link SqlLogicTest}: default, and segments sealed every 16 rows. */
  enum Config {
    DEFAULT(null),
    SMALL_SEGMENTS("16");

    final String sealRows;

    Config(String sealRows) {
      this.sealRows = sealRows;
    }
  }

  private record ARow(long id, Integer k, Double x, String s, Boolean flag) {}

  private record BRow(long id, Long aId, Integer qty, String note) {}

  private static final Map<Config, Connection> QUIVER = new EnumMap<>(Config.class);
  private static Connection h2;

  /** Queries whose rows are compared as a multiset. */
  private static final List<String> UNORDERED = List.of(
      "SELECT id, k, x, s, flag FROM a",
      "SELECT id, k, x FROM a WHERE k > 10",
      "SELECT id FROM a WHERE k >= 5 AND x < 50.0",
      "SELECT id, s FROM a WHERE k < 3 OR s = 'fig'",
      "SELECT id FROM a WHERE NOT (k = 4)",
      "SELECT id FROM a WHERE k <> 4 AND flag",
      "SELECT id FROM a WHERE flag = FALSE OR x <= -50",
      "SELECT id, k FROM a WHERE id = 93",
      "SELECT id FROM a WHERE id >= 100 AND id < 400",
      "SELECT id FROM a WHERE s = ''",
      "SELECT id FROM a WHERE k IS NULL",
      "SELECT id FROM a WHERE x IS NULL OR s IS NULL",
      "SELECT id FROM a WHERE flag IS NULL AND k IS NOT NULL",
      "SELECT id FROM a WHERE k IN (1, 3, 5, 7)",
      "SELECT id FROM a WHERE s IN ('apple', 'fig', 'Apple')",
      "SELECT id FROM a WHERE k NOT IN (0, 1, 2)",
      "SELECT id FROM a WHERE x BETWEEN 10 AND 20",
      "SELECT id FROM a WHERE k NOT BETWEEN 5 AND 15",
      "SELECT id FROM a WHERE s BETWEEN 'b' AND 'e'",
      "SELECT id FROM a WHERE s LIKE 'b%'",
      "SELECT id FROM a WHERE s LIKE '%e%'",
      "SELECT id FROM a WHERE s LIKE '_ig'",
      "SELECT id FROM a WHERE s NOT LIKE '%a%'",
      "SELECT id, k * 2 + 1, k / 3, MOD(k, 4), ABS(x), x / 4 FROM a WHERE k IS NOT NULL",
      "SELECT id, COALESCE(k, -1), NULLIF(k, 3) FROM a",
      "SELECT id, UPPER(s), LOWER(s), CHAR_LENGTH(s), s || '!' FROM a",
      "SELECT k, COUNT(*) FROM a GROUP BY k",
      "SELECT k, COUNT(*), SUM(x), MIN(x), MAX(x), AVG(x) FROM a GROUP BY k",
      "SELECT s, COUNT(id) FROM a GROUP BY s HAVING COUNT(id) > 35",
      "SELECT s, SUM(k) FROM a GROUP BY s HAVING SUM(k) > 300 OR MIN(k) < -4",
      "SELECT flag, COUNT(*), COUNT(k), COUNT(x), COUNT(s) FROM a GROUP BY flag",
      "SELECT COUNT(*), SUM(k), MIN(k), MAX(k), AVG(x), MIN(s), MAX(s) FROM a",
      "SELECT COUNT(*), SUM(x), MAX(k) FROM a WHERE k > 1000",
      "SELECT COUNT(*) FROM a WHERE k IS NULL",
      "SELECT k, flag, COUNT(*) FROM a WHERE x > 0 GROUP BY k, flag",
      "SELECT DISTINCT s FROM a",
      "SELECT DISTINCT k, flag FROM a",
      "SELECT COUNT(DISTINCT k), COUNT(DISTINCT s) FROM a",
      "SELECT id, CASE WHEN k < 5 THEN 1 WHEN k < 10 THEN 2 ELSE 3 END FROM a",
      "SELECT id, CASE WHEN k < 5 THEN 'low' ELSE 'high' END FROM a",
      "SELECT AVG(k), AVG(id) FROM a",
      "SELECT k, AVG(k + id) FROM a GROUP BY k",
      "SELECT s, SUM(CASE WHEN flag THEN 1 ELSE 0 END), SUM(CASE WHEN x > 0 THEN x END) FROM a GROUP BY s",
      "SELECT a.id, b.id, b.qty FROM a JOIN b ON a.id = b.a_id WHERE a.k < 5",
      "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id WHERE a.id < 100",
      "SELECT b.id, a.s FROM b LEFT JOIN a ON a.id = b.a_id",
      "SELECT a.s, SUM(b.qty), COUNT(*) FROM a JOIN b ON a.id = b.a_id GROUP BY a.s",
      "SELECT a.id, b.id FROM a JOIN b ON a.k = b.qty AND a.flag WHERE b.note LIKE 'n1%'",
      "SELECT id FROM a WHERE id IN (SELECT a_id FROM b WHERE qty > 15)",
      "SELECT id FROM a WHERE id NOT IN (SELECT a_id FROM b WHERE a_id IS NOT NULL)",
      "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id AND b.qty < 3)",
      "SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)",
      "SELECT id, x FROM a WHERE x > (SELECT AVG(x) FROM a)",
      "SELECT id, (SELECT COUNT(*) FROM b WHERE b.a_id = a.id) FROM a WHERE k < 2",
      "SELECT s, c FROM (SELECT s, COUNT(*) AS c FROM a GROUP BY s) t WHERE c > 30",
      "SELECT k FROM a WHERE flag UNION SELECT qty FROM b",
      "SELECT k FROM a WHERE flag UNION ALL SELECT qty FROM b WHERE qty > 10",
      "SELECT id FROM a INTERSECT SELECT a_id FROM b",
      "SELECT id FROM a EXCEPT SELECT a_id FROM b",
      "SELECT id FROM a WHERE s LIKE 'kiwi\\_%' ESCAPE '\\'",
      "SELECT id FROM a WHERE s LIKE '%'",
      "SELECT id FROM a WHERE s > 'c'",
      "SELECT id FROM a WHERE s < 'B'",
      "SELECT id FROM a WHERE s IN ('', 'fig')",
      "SELECT id FROM a WHERE x > 10.5 AND x < 11.5 OR k = 3",
      "SELECT id FROM a WHERE k + 1 = 5",
      "SELECT id FROM a WHERE k > 3.5",
      "SELECT id FROM a WHERE k = x",
      "SELECT id FROM a WHERE flag IS TRUE",
      "SELECT id FROM a WHERE flag IS NOT FALSE",
      "SELECT id FROM a WHERE NOT flag",
      "SELECT id FROM a WHERE k IN (1, NULL)",
      "SELECT id FROM a WHERE k NOT IN (1, NULL)",
      "SELECT id FROM a WHERE id IN (-150, -147, 0, 3, 999999)",
      "SELECT id FROM a WHERE NOT (k > 3 AND x < 0)",
      "SELECT id FROM a WHERE k BETWEEN 20 AND 5",
      "SELECT id FROM a WHERE UPPER(s) = 'APPLE'",
      "SELECT id, SUBSTRING(s FROM 2 FOR 3), TRIM(s), POSITION('a' IN s) FROM a",
      "SELECT id, ROUND(x, 1), FLOOR(x), CEIL(x), x * 1.5, x + k FROM a",
      "SELECT MIN(flag), MAX(flag), SUM(x) / COUNT(x) FROM a",
      "SELECT k, MAX(s), MIN(s) FROM a GROUP BY k HAVING MAX(s) LIKE 'g%'",
      "SELECT k, COUNT(*) FROM a GROUP BY k HAVING k IS NULL OR k > 20",
      "SELECT COUNT(*) FROM (SELECT DISTINCT s, flag FROM a) d",
      "SELECT COUNT(*), COUNT(a_id), COUNT(DISTINCT a_id) FROM b",
      "SELECT a_id, COUNT(*) FROM b GROUP BY a_id",
      "SELECT a.k, b.qty FROM a, b WHERE a.id = b.a_id AND a.k > b.qty",
      "SELECT a.id FROM a RIGHT JOIN b ON a.id = b.a_id",
      "SELECT a.id, b.id FROM a CROSS JOIN b WHERE a.id < -140 AND b.id < 4",
      "SELECT s, COUNT(*) FROM a WHERE s IS NOT NULL GROUP BY s HAVING COUNT(*) = "
          + "(SELECT MAX(c) FROM (SELECT COUNT(*) AS c FROM a WHERE s IS NOT NULL GROUP BY s) m)");

  /** Queries whose ORDER BY ends on a unique key, so their rows are compared in order. */
  private static final List<String> ORDERED = List.of(
      "SELECT id, x FROM a ORDER BY id LIMIT 10",
      "SELECT id, x FROM a ORDER BY id DESC LIMIT 7 OFFSET 13",
      "SELECT id, k FROM a WHERE k > 3 ORDER BY id LIMIT 20 OFFSET 5",
      "SELECT id FROM a ORDER BY id LIMIT 1000 OFFSET 390",
      "SELECT id, x FROM a WHERE x IS NOT NULL ORDER BY x DESC, id LIMIT 15",
      "SELECT id, k FROM a ORDER BY k NULLS FIRST, id LIMIT 30",
      "SELECT id, s FROM a ORDER BY s DESC NULLS LAST, id DESC LIMIT 25",
      "SELECT k, COUNT(*) AS c FROM a WHERE k IS NOT NULL GROUP BY k ORDER BY k",
      "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id ORDER BY a.id, b.id LIMIT 40",
      "SELECT a.id, b.qty FROM a JOIN b ON a.id = b.a_id WHERE b.qty IS NOT NULL "
          + "ORDER BY b.qty DESC, b.id LIMIT 10 OFFSET 3");

  static Stream<Arguments> queries() {
    List<Arguments> all = new ArrayList<>();
    for (Config config : Config.values()) {
      for (String sql : UNORDERED) {
        all.add(Arguments.of(config, sql, false));
      }
      for (String sql : ORDERED) {
        all.add(Arguments.of(config, sql, true));
      }
    }
    return all.stream();
  }

  @BeforeAll
  static void load() throws SQLException {
    Random random = new Random(SEED);
    List<ARow> aRows = aRows(random);
    List<BRow> bRows = bRows(random, aRows);
    h2 = DriverManager.getConnection("jdbc:h2:mem:h2comparison" + SEED);
    fill(h2, aRows, bRows);
    for (Config config : Config.values()) {
      Properties info = new Properties();
      if (config.sealRows != null) {
        info.setProperty("sealRows", config.sealRows);
      }
      Connection quiver = DriverManager.getConnection("jdbc:quiver:mem:", info);
      QUIVER.put(config, quiver);
      fill(quiver, aRows, bRows);
    }
  }

  @AfterAll
  static void close() throws SQLException {
    for (Connection c : QUIVER.values()) {
      c.close();
    }
    QUIVER.clear();
    if (h2 != null) {
      h2.close();
    }
  }

  @ParameterizedTest(name = "[{0}] {1}")
  @MethodSource("queries")
  void sameAnswerAsH2(Config config, String sql, boolean ordered) {
    String where = "seed=" + SEED + " (rerun with -Dquiver.seed=" + SEED + "), config=" + config
        + ", query: " + sql;
    H2Reference.assertSameAnswer(h2, QUIVER.get(config), sql, ordered, where);
  }

  private static List<ARow> aRows(Random random) {
    List<ARow> rows = new ArrayList<>(A_ROWS);
    for (int i = 0; i < A_ROWS; i++) {
      rows.add(new ARow(
          i * 3L - 150,
          random.nextInt(10) == 0 ? null : random.nextInt(-5, 25),
          random.nextInt(10) == 0 ? null : Math.round(random.nextDouble(-100, 100) * 100) / 100.0,
          random.nextInt(10) == 0 ? null : WORDS[random.nextInt(WORDS.length)],
          random.nextInt(3) == 0 ? null : random.nextBoolean()));
    }
    Collections.shuffle(rows, random);
    return rows;
  }

  private static List<BRow> bRows(Random random, List<ARow> aRows) {
    List<BRow> rows = new ArrayList<>(B_ROWS);
    for (int i = 0; i < B_ROWS; i++) {
      int pick = random.nextInt(10);
      Long aId = pick == 0 ? null
          : pick == 1 ? Long.valueOf(100_000 + i)
          : Long.valueOf(aRows.get(random.nextInt(aRows.size() / 2)).id());
      rows.add(new BRow(
          i + 1,
          aId,
          random.nextInt(10) == 0 ? null : random.nextInt(0, 21),
          random.nextInt(10) == 0 ? null : "n" + random.nextInt(30)));
    }
    Collections.shuffle(rows, random);
    return rows;
  }

  private static void fill(Connection c, List<ARow> aRows, List<BRow> bRows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(CREATE_A);
      s.execute(CREATE_B);
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO a VALUES (?, ?, ?, ?, ?)")) {
      int pending = 0;
      for (ARow row : aRows) {
        ps.setLong(1, row.id());
        setInt(ps, 2, row.k());
        if (row.x() == null) {
          ps.setNull(3, Types.DOUBLE);
        } else {
          ps.setDouble(3, row.x());
        }
        setString(ps, 4, row.s());
        if (row.flag() == null) {
          ps.setNull(5, Types.BOOLEAN);
        } else {
          ps.setBoolean(5, row.flag());
        }
        ps.addBatch();
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO b VALUES (?, ?, ?, ?)")) {
      int pending = 0;
      for (BRow row : bRows) {
        ps.setLong(1, row.id());
        if (row.aId() == null) {
          ps.setNull(2, Types.BIGINT);
        } else {
          ps.setLong(2, row.aId());
        }
        setInt(ps, 3, row.qty());
        setString(ps, 4, row.note());
        ps.addBatch();
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
    try (Statement s = c.createStatement()) {
      for (String delete : DELETES) {
        s.executeUpdate(delete);
      }
    }
  }

  private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  private static void setString(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }
}
