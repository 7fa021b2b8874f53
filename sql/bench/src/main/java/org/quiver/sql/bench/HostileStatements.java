package org.quiver.sql.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;

/**
 * A seeded generator of bad and hostile statements for the fuzz ({@link FuzzBench}): mutations of
 * valid statements, absurd numbers, deep nesting, huge literals, wrong or missing parameters, COPY
 * path tricks, writes to {@code sys}, DDL with absurd options, bad settings, hints and times, and
 * Unicode. The same seed gives the same statements.
 *
 * <p>The statements name the fixture tables that {@link FuzzBench#createFixture} makes: {@code
 * f_docs} (every column type, an HNSW index), {@code f_ivf} (flushed, an IVF_FLAT index) and
 * {@code f_keys} (a VARCHAR key); writes meant to succeed go to {@code f_scratch}.
 */
public final class HostileStatements {
  /** How a parameter is bound: the setter's name and its value. */
  public record Binding(int index, String setter, Object value) {}

  /** One statement to run; with bindings (possibly none) it is prepared. */
  public record Hostile(String sql, List<Binding> bindings, boolean prepared) {
    static Hostile plain(String sql) {
      return new Hostile(sql, List.of(), false);
    }
  }

  static final List<String> VALID = List.of(
      "SELECT id, title FROM f_docs WHERE n > 5 ORDER BY id LIMIT 10",
      "SELECT id, v <-> [1, 2, 3, 4] AS d FROM f_docs ORDER BY d LIMIT 5",
      "SELECT id FROM f_docs WHERE title LIKE 't%' AND flag = TRUE",
      "SELECT id FROM f_ivf ORDER BY v <-> [0.1, 0.2, 0.3, 0.4] LIMIT 3",
      "SELECT id FROM f_ivf WHERE v <-> '[0,0,0,0]' < 2.5",
      "SELECT flag, COUNT(*), SUM(n), AVG(score), MAX(ts) FROM f_docs GROUP BY flag",
      "SELECT k, vector_dims(v), vector_norm(v) FROM f_keys WHERE k IN ('a', 'b')",
      "SELECT d.id, k.k FROM f_docs d JOIN f_keys k ON d.title = k.k",
      "SELECT id FROM f_docs WHERE id IN (1, 2, 3) OR small BETWEEN 1 AND 3",
      "SELECT CAST(n AS VARCHAR(10)), CASE WHEN n > 3 THEN 'big' ELSE 'small' END FROM f_docs",
      "SELECT /*+ search(ef = 32) */ id FROM f_docs ORDER BY v <=> [1, 0, 0, 0] LIMIT 4",
      "SELECT id FROM f_docs /*+ partitions(_default) */ ORDER BY v <#> [1, 1, 1, 1] LIMIT 2",
      "SELECT id FROM f_docs FOR SYSTEM_TIME AS OF TIMESTAMP '2020-01-01 00:00:00'",
      "SELECT l2_distance(v, [1, 1, 1, 1]), inner_product(v, v) FROM f_docs WHERE id = 1",
      "VALUES (1, 'a'), (2, 'b')",
      "WITH t AS (SELECT id FROM f_docs) SELECT COUNT(*) FROM t",
      "SELECT id FROM f_docs UNION SELECT id FROM f_ivf ORDER BY 1 LIMIT 3 OFFSET 1",
      "EXPLAIN PLAN FOR SELECT id FROM f_docs ORDER BY v <-> [1, 0, 0, 0] LIMIT 5",
      "INSERT INTO f_scratch VALUES (%ID%, 'x', [1, 2])",
      "UPSERT INTO f_scratch VALUES (%ID%, 'y', [2, 1])",
      "DELETE FROM f_scratch WHERE id = %ID%",
      "INSERT INTO f_scratch (id, v) SELECT id + 100000, [0, 0] FROM f_docs WHERE id < 3",
      "CREATE TABLE IF NOT EXISTS f_new%ID% (id BIGINT PRIMARY KEY, v VECTOR(3)) WITH (shards = 2)",
      "CREATE INDEX IF NOT EXISTS f_scratch_v ON f_scratch USING HNSW (v) WITH (m = 8)",
      "ALTER TABLE f_scratch ADD PARTITION p%ID%",
      "SHOW TABLES", "SHOW INDEXES FROM f_docs", "SHOW SEGMENTS FROM f_ivf",
      "SHOW PARTITIONS FROM f_docs", "SHOW CHANNELS FROM f_docs", "DESCRIBE f_docs",
      "SHOW ef_search", "SHOW ALL", "SET ef_search = 40", "RESET ALL", "SHOW USERS",
      "SELECT * FROM sys.tables", "SELECT * FROM sys.settings", "SELECT * FROM sys.segments",
      "FLUSH TABLE f_scratch", "LOAD TABLE f_docs", "CREATE ALIAS IF NOT EXISTS f_al FOR f_scratch",
      "SELECT id FROM f_docs ORDER BY id LIMIT 3 OFFSET 2",
      "SELECT id FROM f_docs WHERE ts > TIMESTAMP '2024-01-01 00:00:00' AND score <> 0.5");

  private static final String[] ABSURD_NUMBERS = {
      "0", "-1", "-0", "1.5", "0.0", "1e10", "-1e10", "1e308", "1e309", "-1e309", "1e-400",
      "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
      "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
      "99999999999999999999999999999999999999", "1" + "0".repeat(400), "0.000000000001",
      "NULL", "'NaN'", "'Infinity'", "'-Infinity'", "CAST('NaN' AS DOUBLE)", "'abc'", "''",
      "TRUE", "TIMESTAMP '2020-01-01 00:00:00'", "[1, 2]", "?", "1 / 0", "-(-(-1))", "0x10",
      "1e", ".", "1..2", "+", "CAST(1e40 AS REAL)", "POWER(10, 400)", "'1'", "' 1 '"};

  private static final String[] ABSURD_STRINGS = {
      "''", "'x'", "'%'", "'_'", "'\\'", "'it''s'", "'\u4e2d\u6587'", "'\ud83d\ude00'",
      "'\u202e\u0041'", "'a\u0000b'", "'\u00e9\u0301'", "U&'\\0041'", "N'n'", "X'00'",
      "'[1,2,3,4]'", "'[NaN,1,1,1]'", "'[1e40,1,1,1]'", "'[]'", "'['", "'1d'", "'--'", "'/*'",
      "'; DROP TABLE f_docs; --'"};

  private static final String[] WEIRD_NAMES = {
      "\"sys\"", "\"\"", "\"..\"", "\"\u0000\"", "\"a\"\"b\"", "\"\u4e2d\"", "\"\ud83d\ude00\"",
      "sys.tables", "sys.users", "metadata.tables", "\"public\".\"f_docs\"", "f_docs.f_docs",
      "\"F_DOCS\"", "nope", "x" + "y".repeat(300), "select", "\"select\"", "_", "\"a b\"",
      "\"\\\"", "f_scratch", "f_keys"};

  private static final String[] KEYWORDS = {
      "SELECT", "FROM", "WHERE", "ORDER BY", "LIMIT", "(", ")", ",", "'", "\"", "?", "*", "[",
      "]", "<->", "/*+", "*/", "--", ";", "NULL", "AS OF", "JOIN", "GROUP BY", "UNION", "NOT",
      "EXPLAIN PLAN FOR", "VECTOR(0)", "=", "||", "::", "$1", "@", "{fn now()}", "\\"};

  private static final String[] SETTERS = {
      "setString", "setLong", "setInt", "setDouble", "setTimestamp", "setBoolean", "setNull",
      "setBigDecimal", "setFloatArray", "setBytes", "setDate", "setObjectString"};

  private final Random random;
  private final Path files;
  private int ids;

  /**
   * @param seed the seed that reproduces a run
   * @param files a directory of files for COPY tricks ({@link FuzzBench#writeCopyFiles})
   */
  public HostileStatements(long seed, Path files) {
    this.random = new Random(seed);
    this.files = files;
  }

  public Hostile next() {
    int kind = random.nextInt(100);
    if (kind < 22) {
      return Hostile.plain(mutate(pick(VALID)));
    }
    if (kind < 34) {
      return Hostile.plain(absurdValue());
    }
    if (kind < 42) {
      return Hostile.plain(deep());
    }
    if (kind < 48) {
      return Hostile.plain(huge());
    }
    if (kind < 62) {
      return withParameters();
    }
    if (kind < 70) {
      return Hostile.plain(copy());
    }
    if (kind < 75) {
      return Hostile.plain(systemWrite());
    }
    if (kind < 83) {
      return Hostile.plain(ddl());
    }
    if (kind < 89) {
      return Hostile.plain(setting());
    }
    if (kind < 93) {
      return Hostile.plain(timeTravel());
    }
    if (kind < 97) {
      return Hostile.plain(hint());
    }
    return Hostile.plain("EXPLAIN PLAN FOR " + next().sql());
  }

  /** A valid statement with one to three random edits. */
  String mutate(String sql) {
    String s = sql.replace("%ID%", Integer.toString(++ids));
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && !s.isEmpty(); i++) {
      int at = random.nextInt(s.length() + 1);
      int end = Math.min(s.length(), at + random.nextInt(12));
      s = switch (random.nextInt(7)) {
        case 0 -> s.substring(0, at) + s.substring(end);
        case 1 -> s.substring(0, at) + " " + pick(KEYWORDS) + " " + s.substring(at);
        case 2 -> s.substring(0, at) + pick(ABSURD_NUMBERS) + s.substring(end);
        case 3 -> s.substring(0, at) + pick(ABSURD_STRINGS) + s.substring(at);
        case 4 -> s.substring(0, at) + pick(WEIRD_NAMES) + s.substring(end);
        case 5 -> s.substring(0, at);
        default -> s.substring(0, at) + s.substring(at, end) + s.substring(at);
      };
    }
    return s;
  }

  private String absurdValue() {
    String n = pick(ABSURD_NUMBERS);
    String q = "[" + pick(ABSURD_NUMBERS) + ", 1, 1, 1]";
    return switch (random.nextInt(22)) {
      case 0 -> "SELECT id FROM f_docs LIMIT " + n;
      case 1 -> "SELECT id FROM f_ivf ORDER BY v <-> [1, 1, 1, 1] LIMIT " + n;
      case 2 -> "SELECT id FROM f_docs ORDER BY v <-> [1, 1, 1, 1] LIMIT 5 OFFSET " + n;
      case 3 -> "SELECT id FROM f_docs WHERE id = " + n;
      case 4 -> "SELECT id FROM f_docs WHERE n = " + n + " OR small = " + pick(ABSURD_NUMBERS);
      case 5 -> "INSERT INTO f_docs (id, title, n, small, v) VALUES (" + n + ", 'z', "
          + pick(ABSURD_NUMBERS) + ", " + pick(ABSURD_NUMBERS) + ", [1, 1, 1, 1])";
      case 6 -> "SELECT CAST(" + pick(ABSURD_STRINGS) + " AS " + pick(new String[] {"BIGINT",
          "INTEGER", "TINYINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "DATE", "VECTOR(4)",
          "DECIMAL(3, 1)", "VARCHAR(1)", "REAL"}) + ")";
      case 7 -> "SELECT CAST(" + n + " AS " + pick(new String[] {"BIGINT", "INTEGER",
          "TINYINT", "SMALLINT", "REAL", "DECIMAL(2, 1)", "VARCHAR(1)", "TIMESTAMP"}) + ")";
      case 8 -> "SELECT id FROM f_docs ORDER BY v <-> " + q + " LIMIT 3";
      case 9 -> "SELECT " + n + " + " + pick(ABSURD_NUMBERS) + ", " + n + " * "
          + pick(ABSURD_NUMBERS) + ", " + n + " / " + pick(ABSURD_NUMBERS);
      case 10 -> "SELECT MOD(" + n + ", " + pick(ABSURD_NUMBERS) + "), ABS(" + n + "), SQRT("
          + n + "), LN(" + n + "), EXP(" + n + ")";
      case 11 -> "SELECT id FROM f_docs WHERE v <-> " + q + " < " + n;
      case 12 -> "SELECT SUBSTRING('abc' FROM " + n + " FOR " + pick(ABSURD_NUMBERS) + "), "
          + "REPEAT('x', " + n + "), LPAD('x', " + n + ")";
      case 13 -> "SELECT id FROM f_docs WHERE title = " + n + " OR ts = " + pick(ABSURD_STRINGS);
      case 14 -> "DELETE FROM f_docs WHERE id = " + pick(ABSURD_STRINGS);
      case 15 -> "DELETE FROM f_docs WHERE id = " + n + " AND title = 'never'";
      case 16 -> "UPSERT INTO f_docs (id, v) VALUES (" + n + ", " + q + ")";
      case 17 -> "SELECT vector_norm(" + pick(ABSURD_STRINGS) + "), vector_dims(" + q + ")";
      case 18 -> "SELECT id FROM f_docs WHERE id = " + pick(ABSURD_STRINGS);
      case 19 -> "SELECT id FROM f_docs FETCH FIRST " + n + " ROWS ONLY";
      case 20 -> "SELECT TIMESTAMPADD(YEAR, " + n + ", ts) FROM f_docs";
      default -> "SELECT id FROM f_keys WHERE k = " + n;
    };
  }

  private String deep() {
    int depth = pow(3000);
    return switch (random.nextInt(9)) {
      case 0 -> "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth);
      case 1 -> "SELECT " + "ABS(".repeat(depth) + "-1" + ")".repeat(depth);
      case 2 -> "SELECT " + join("1", " + ", depth);
      case 3 -> "SELECT id FROM f_docs WHERE " + join("n = 1", " OR ", depth);
      case 4 -> "SELECT id FROM f_docs WHERE " + join("NOT ", "", depth) + "flag";
      case 5 -> "SELECT " + "(SELECT ".repeat(Math.min(depth, 400)) + "1"
          + ")".repeat(Math.min(depth, 400));
      case 6 -> "SELECT " + "CASE WHEN TRUE THEN ".repeat(depth) + "1"
          + " END".repeat(depth);
      case 7 -> "SELECT " + "(".repeat(depth) + "1";
      default -> "SELECT " + join("'a'", " || ", depth);
    };
  }

  private String huge() {
    int n = pow(70_000);
    return switch (random.nextInt(9)) {
      case 0 -> "SELECT id FROM f_docs ORDER BY v <-> " + vector(n) + " LIMIT 1";
      case 1 -> "SELECT id FROM f_docs WHERE id IN (" + join("7", ", ", n) + ")";
      case 2 -> "SELECT id FROM f_docs WHERE title LIKE '" + "%a".repeat(n) + "'";
      case 3 -> "SELECT '" + "x".repeat(n * 4) + "'";
      case 4 -> "INSERT INTO f_scratch VALUES (" + (++ids) + ", '" + "w".repeat(n) + "', [1, 1])";
      case 5 -> "SELECT \"" + "q".repeat(n) + "\" FROM f_docs";
      case 6 -> "INSERT INTO f_docs (id, v) VALUES " + join("(1, [1, 1, 1, 1])", ", ", n);
      case 7 -> "SELECT id FROM f_keys WHERE k IN (" + join("'k'", ", ", n) + ")";
      default -> "SELECT 1 " + "-- c\n".repeat(n);
    };
  }

  private Hostile withParameters() {
    String sql = pick(new String[] {
        "SELECT id FROM f_docs WHERE id = ?",
        "SELECT id FROM f_docs WHERE n = ? AND title = ?",
        "SELECT id FROM f_docs ORDER BY v <-> ? LIMIT 3",
        "SELECT id FROM f_ivf ORDER BY v <-> ? LIMIT ?",
        "SELECT id FROM f_docs LIMIT ?",
        "SELECT id FROM f_docs WHERE ts < ?",
        "SELECT id FROM f_docs FOR SYSTEM_TIME AS OF CAST(? AS TIMESTAMP)",
        "DELETE FROM f_docs WHERE id = ? AND title = 'never'",
        "INSERT INTO f_docs (id, n, v) VALUES (?, ?, ?)",
        "UPSERT INTO f_docs (id, v) VALUES (?, ?)",
        "SELECT ?", "SELECT ? + ?", "VALUES (?)", "SELECT vector_norm(?)",
        "SELECT id FROM f_keys WHERE k = ?",
        "SELECT id FROM f_docs WHERE id IN (?, ?, ?)",
        "SELECT id FROM f_docs WHERE flag = ?",
        "SET ef_search = ?"});
    int marks = (int) sql.chars().filter(c -> c == '?').count();
    List<Binding> bindings = new ArrayList<>();
    int bound = random.nextInt(5) == 0 ? random.nextInt(marks + 1) : marks;
    for (int i = 1; i <= bound; i++) {
      String setter = pick(SETTERS);
      bindings.add(new Binding(random.nextInt(30) == 0 ? marks + 2 : i, setter, value(setter)));
    }
    return new Hostile(sql, bindings, true);
  }

  private Object value(String setter) {
    return switch (setter) {
      case "setString", "setObjectString" -> pick(new String[] {"8.5", "x", "", "9",
          "[1,2,3,4]", "[1,2]", "[NaN,0,0,0]", "2020-01-01 00:00:00", "9223372036854775808",
          "true", "\u4e2d", "[1e40,0,0,0]", " 3 "});
      case "setLong" -> pick(new Long[] {0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 3L});
      case "setInt" -> pick(new Integer[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 5});
      case "setDouble" -> pick(new Double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1.5,
          1e300});
      case "setTimestamp" -> pick(new Long[] {9L, 0L, -62135596800000L, 253402300799000L});
      case "setBoolean" -> random.nextBoolean();
      case "setBigDecimal" -> pick(new String[] {"1e400", "0.5", "-3", "12345678901234567890"});
      case "setFloatArray" -> pick(new float[][] {{1, 2, 3, 4}, {}, {Float.NaN, 0, 0, 0},
          new float[70_000], {1}});
      case "setBytes" -> new byte[] {0, 1, 2};
      case "setDate" -> 0L;
      default -> null;
    };
  }

  private String copy() {
    String path = pick(new String[] {
        "/nonexistent/dir/x.csv", "~/x.csv", "", ".", "/", "/tmp", "..", "../../etc/passwd",
        "/etc/shadow", "/proc/self/status", "/dev/null", "x\u0000y.csv", "no_such_file.csv",
        "no_such_file.npy", "no_such_file.fvecs", "no_such_file.parquet", "file.unknown",
        files.resolve("bad.npy").toString(), files.resolve("bad.fvecs").toString(),
        files.resolve("bad.csv").toString(), files.resolve("bad.parquet").toString(),
        files.resolve("empty.csv").toString(), files.resolve("dir").toString(),
        files.resolve("dir.csv").toString(), files.resolve("good.csv").toString(),
        files.resolve("wrongdim.fvecs").toString(), "\u4e2d.csv", "x".repeat(5000) + ".csv"});
    String options = pick(new String[] {"", " WITH (format = 'npy')", " WITH (format = 'nope')",
        " WITH (header = 'maybe')", " WITH (delimiter = '')", " WITH (batch_rows = 0)",
        " WITH (batch_rows = -1)", " WITH (batch_rows = 99999999999)", " WITH (id_start = 'x')",
        " WITH (on_error = 'skip')", " WITH (on_error = 'explode')", " WITH (bogus = 1)",
        " WITH (format = 'csv', format = 'csv')", " WITH (delimiter = 'ab')"});
    String quoted = "'" + path.replace("'", "''") + "'";
    return switch (random.nextInt(6)) {
      case 0, 1 -> "COPY f_scratch FROM " + quoted + options;
      case 2 -> "COPY f_scratch (v) FROM " + quoted + options;
      case 3 -> "COPY f_docs FROM " + quoted + options;
      case 4 -> "COPY f_docs TO '" + pick(new String[] {"/nonexistent/dir/out.csv",
          "/proc/quiver-fuzz.csv", "", "x\u0000y.csv", files.resolve("dir").toString(),
          files.resolve("dir.csv").toString(), files.resolve("out.fvecs").toString(),
          files.resolve("out.unknown").toString(), files.resolve("out.npy").toString(),
          files.resolve("bad.csv").resolve("below.csv").toString()}) + "'" + options;
      default -> "COPY (SELECT " + pick(new String[] {"v", "id", "1 / 0", "v <-> [1]"})
          + " FROM f_docs) TO '" + files.resolve("query.fvecs") + "'" + options;
    };
  }

  private String systemWrite() {
    String table = pick(new String[] {"sys.users", "sys.tables", "sys.settings", "sys.columns",
        "sys.segments", "sys.tasks", "sys.aliases", "sys.nope", "metadata.tables"});
    return switch (random.nextInt(9)) {
      case 0 -> "DELETE FROM " + table;
      case 1 -> "INSERT INTO " + table + " VALUES ('mallory', 'admin', '')";
      case 2 -> "DROP TABLE " + table;
      case 3 -> "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)";
      case 4 -> "CREATE INDEX i ON " + table + " USING HNSW (v)";
      case 5 -> "UPSERT INTO " + table + " VALUES ('x')";
      case 6 -> "COPY " + table + " TO '/nonexistent/dir/sys.csv'";
      case 7 -> "FLUSH TABLE " + table;
      default -> "RELEASE TABLE " + table;
    };
  }

  private String ddl() {
    String name = pick(WEIRD_NAMES);
    String n = pick(ABSURD_NUMBERS);
    return switch (random.nextInt(18)) {
      case 0 -> "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, v VECTOR(" + n + "))";
      case 1 -> "CREATE TABLE f_bad (id BIGINT PRIMARY KEY, s VARCHAR(" + n + "))";
      case 2 -> "CREATE TABLE f_bad (id BIGINT PRIMARY KEY) WITH (" + pick(new String[] {
          "shards", "consistency_level", "auto_id", "ttl_seconds", "bogus"}) + " = " + n + ")";
      case 3 -> "CREATE TABLE f_bad (" + pick(new String[] {"id DOUBLE PRIMARY KEY",
          "id BIGINT", "id BIGINT PRIMARY KEY, id BIGINT", "a BIGINT, b BIGINT, PRIMARY KEY (a, b)",
          "id BIGINT PRIMARY KEY, d DATE", "id BIGINT PRIMARY KEY, x NOPE", "",
          "id BIGINT PRIMARY KEY, v VECTOR", "id VARCHAR(0) PRIMARY KEY"}) + ")";
      case 4 -> "CREATE INDEX f_i ON f_docs USING " + pick(new String[] {"HNSW", "IVF_FLAT",
          "IVF_PQ", "FLAT", "BTREE", "\"\""}) + " (" + pick(new String[] {"v", "n", "nope",
          "title"}) + ") WITH (" + pick(new String[] {"m", "ef_construction", "nlist", "nprobe",
          "nbits", "metric", "ef_search", "bogus"}) + " = " + n + ")";
      case 5 -> "DROP TABLE " + nameOutsideFixture(name);
      case 6 -> "DROP INDEX " + name;
      case 7 -> "ALTER TABLE f_docs " + pick(new String[] {"ADD PARTITION", "DROP PARTITION"})
          + " " + name;
      case 8 -> pick(new String[] {"LOAD", "RELEASE"}) + " TABLE f_docs PARTITION " + name;
      case 9 -> "CREATE ALIAS " + name + " FOR " + pick(WEIRD_NAMES);
      case 10 -> "ALTER ALIAS " + name + " FOR " + pick(WEIRD_NAMES);
      case 11 -> "DROP ALIAS " + name;
      case 12 -> "CREATE USER " + name + " PASSWORD " + pick(new String[] {"''", "'p'", "NULL",
          "1"}) + " ROLE " + pick(new String[] {"bogus", "superuser", "\"admin\"", "''"});
      case 13 -> "DROP USER " + pick(new String[] {"nobody_here", "\"\"", "sys"});
      case 14 -> "GRANT " + pick(new String[] {"SELECT", "UPDATE", "BOGUS", "ALL"}) + " ON "
          + name + " TO nobody_here";
      case 15 -> pick(new String[] {"FLUSH", "COMPACT", "LOAD", "DESCRIBE", "SHOW SEGMENTS FROM",
          "SHOW INDEXES FROM", "SHOW PARTITIONS FROM", "SHOW CHANNELS FROM"})
          + (random.nextBoolean() ? " TABLE " : " ") + name;
      case 16 -> "CANCEL STATEMENT " + n;
      default -> pick(new String[] {"", " ", ";", ";;", "-- nothing", "/* */", "\n\t",
          "SELECT 1; SELECT 2", "UPDATE f_docs SET n = 1", "MERGE INTO f_docs USING f_ivf ON TRUE "
          + "WHEN MATCHED THEN DELETE", "TRUNCATE TABLE f_docs", "ALTER SYSTEM SET ef_search = 1",
          "BEGIN", "COMMIT", "ROLLBACK", "CALL f()", "DROP SCHEMA sys", "CREATE SCHEMA s",
          "CREATE VIEW vv AS SELECT 1", "CREATE FUNCTION f() RETURNS INT"});
    };
  }

  private String setting() {
    String name = pick(new String[] {"ef_search", "nprobe", "search_mode", "statement_timeout",
        "consistency_level", "bounded_staleness_ms", "colour", "\"\"", "x".repeat(200)});
    String value = random.nextBoolean() ? pick(ABSURD_NUMBERS) : pick(ABSURD_STRINGS);
    return switch (random.nextInt(5)) {
      case 0, 1 -> "SET " + name + " = " + value;
      case 2 -> "ALTER SESSION SET " + name + " = " + value;
      case 3 -> "RESET " + name;
      default -> "SHOW " + name;
    };
  }

  private String timeTravel() {
    String time = pick(new String[] {"TIMESTAMP '9999-12-31 23:59:59'",
        "TIMESTAMP '0001-01-01 00:00:00'", "TIMESTAMP '2025-13-45 00:00:00'", "'abc'", "NULL",
        "1", "CURRENT_TIMESTAMP", "TIMESTAMP '1970-01-01 00:00:00'", "DATE '2020-01-01'",
        "TIMESTAMP '-1-01-01 00:00:00'", "(SELECT MAX(ts) FROM f_docs)", "1e400"});
    return pick(new String[] {"SELECT id FROM f_docs FOR SYSTEM_TIME AS OF " + time,
        "SELECT id FROM f_docs FOR SYSTEM_TIME AS OF " + time + " ORDER BY v <-> [1, 1, 1, 1] "
            + "LIMIT 2",
        "DELETE FROM f_docs FOR SYSTEM_TIME AS OF " + time + " WHERE id = 1",
        "SELECT id FROM sys.tables FOR SYSTEM_TIME AS OF " + time});
  }

  private String hint() {
    String value = random.nextBoolean() ? pick(ABSURD_NUMBERS) : pick(ABSURD_STRINGS);
    String key = pick(new String[] {"ef", "ef_search", "nprobe", "search_mode", "bogus", "k"});
    return switch (random.nextInt(5)) {
      case 0 -> "SELECT /*+ search(" + key + " = " + value + ") */ id FROM f_docs ORDER BY v "
          + "<-> [1, 1, 1, 1] LIMIT 3";
      case 1 -> "SELECT /*+ search(" + key + " = " + value + ") */ id FROM f_ivf ORDER BY v "
          + "<-> [1, 1, 1, 1] LIMIT 3";
      case 2 -> "SELECT id FROM f_docs /*+ partitions(" + pick(new String[] {"", "nope",
          "_default, _default", "\"\"", "1"}) + ") */";
      case 3 -> "INSERT INTO f_docs /*+ partitions(" + pick(new String[] {"", "nope",
          "_default, p1"}) + ") */ (id, v) VALUES (1, [1, 1, 1, 1])";
      default -> "SELECT /*+ " + pick(new String[] {"bogus", "search", "search(", "search()",
          "partitions", "index(f_docs)"}) + " */ id FROM f_docs";
    };
  }

  private String vector(int n) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    for (int i = 0; i < n; i++) {
      j.add(Integer.toString(i % 10));
    }
    return j.toString();
  }

  private static String join(String item, String separator, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(item);
    }
    return sb.toString();
  }

  /** Sizes spread over orders of magnitude: small ones often, up to {@code max} sometimes. */
  private int pow(int max) {
    return 1 + (int) Math.pow(max, random.nextDouble());
  }

  /**
   * {@code name}, or another weird name when it names a fixture table: {@code DROP TABLE
   * "public"."f_docs"} is a valid statement that would take the fixture away from the rest of the
   * run, which is not what the fuzz is after.
   */
  private String nameOutsideFixture(String name) {
    while (name.toLowerCase(Locale.ROOT).matches(".*\\bf_(docs|ivf|keys)\\b.*")) {
      name = pick(WEIRD_NAMES);
    }
    return name;
  }

  private <T> T pick(T[] items) {
    return items[random.nextInt(items.length)];
  }

  private String pick(List<String> items) {
    return items.get(random.nextInt(items.size()));
  }
}
