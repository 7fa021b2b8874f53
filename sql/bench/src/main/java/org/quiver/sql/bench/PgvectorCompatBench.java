package org.quiver.sql.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How much of pgvector's own regression suite Quiver answers as pgvector does: each {@code .sql}
 * file of a pgvector checkout's {@code test/sql} runs statement by statement on a fresh embedded
 * engine, and each answer is held against pgvector's expected output ({@code test/expected}): an
 * error where pgvector errs, or the same rows. Values compare as numbers where both sides print
 * numbers, since Quiver prints {@code 1.0} where PostgreSQL prints {@code 1}. pgvector's files
 * are not part of this repository; point {@code --tests} at a checkout's {@code test} folder.
 */
@Command(name = "pgvector", description = "pgvector's regression files against an embedded "
    + "engine: per file, the statements answered as pgvector answers them; every difference on "
    + "standard error.")
public final class PgvectorCompatBench implements Callable<Integer> {
  private static final Pattern NUMBER =
      Pattern.compile("-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
  private static final Pattern TABLE_RULE = Pattern.compile("^-+(?:\\+-+)*$");
  private static final Pattern ROW_COUNT = Pattern.compile("^\\(\\d+ rows?\\)$");

  @Option(names = "--tests", paramLabel = "DIR", required = true,
      description = "a pgvector checkout's test folder (holding sql/ and expected/)")
  private Path tests;

  @Option(names = "--files", paramLabel = "NAME", split = ",",
      defaultValue = "vector_type,halfvec,bit,sparsevec,cast,hnsw_vector,hnsw_halfvec,hnsw_bit,"
          + "hnsw_sparsevec,ivfflat_vector,ivfflat_halfvec,ivfflat_bit,btree,copy",
      description = "the files to run, by name without .sql")
  private List<String> files;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println("file,statements,same,differ");
    for (String name : files) {
      run(name, out, err);
    }
    out.flush();
    err.flush();
    return 0;
  }

  /** A statement of a file, and pgvector's answer to it: an error, or rows. */
  private record Expected(String sql, boolean error, List<String> rows) {}

  private void run(String name, PrintWriter out, PrintWriter err) throws Exception {
    String sql = Files.readString(tests.resolve("sql").resolve(name + ".sql"));
    List<Expected> expected = expectations(statements(sql),
        Files.readString(tests.resolve("expected").resolve(name + ".out")));
    int same = 0;
    try (Connection c = DriverManager.getConnection("jdbc:quiver:mem:")) {
      for (int i = 0; i < expected.size(); i++) {
        Expected e = expected.get(i);
        List<String> rows = new ArrayList<>();
        String error = null;
        try (Statement s = c.createStatement()) {
          if (s.execute(e.sql())) {
            try (ResultSet rs = s.getResultSet()) {
              rows = rows(rs);
            }
          }
        } catch (SQLException ex) {
          error = ex.getSQLState() + " " + ex.getMessage().lines().findFirst().orElse("");
        }
        boolean agrees = e.error() ? error != null : error == null && sameRows(e.rows(), rows);
        if (agrees) {
          same++;
        } else {
          err.printf("%s #%d: %s%n  pgvector: %s%n  quiver:   %s%n", name, i,
              e.sql().replace('\n', ' '), e.error() ? "an error" : e.rows(),
              error != null ? "error " + error : rows);
        }
      }
    }
    out.printf("%s,%d,%d,%d%n", name, expected.size(), same, expected.size() - same);
  }

  /**
   * The statements of a psql script: each ends with a semicolon at the end of a line. psql's own
   * commands ({@code \copy ...}) are the client's, not SQL, and are left out.
   */
  private static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder statement = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (statement.isEmpty() && (line.isBlank() || line.startsWith("--")
          || line.startsWith("\\"))) {
        continue;
      }
      statement.append(statement.isEmpty() ? "" : "\n").append(line);
      if (line.stripTrailing().endsWith(";")) {
        statements.add(statement.toString());
        statement.setLength(0);
      }
    }
    return statements;
  }

  /**
   * Each statement with what psql printed after echoing it, up to the next statement's echo: an
   * {@code ERROR:} line, or a table whose rows lie between its rule and its row count.
   */
  private static List<Expected> expectations(List<String> statements, String out) {
    List<Expected> expected = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < statements.size(); i++) {
      String statement = statements.get(i);
      int start = out.indexOf(statement, at);
      if (start < 0) {
        throw new IllegalStateException("the expected output does not echo: " + statement);
      }
      int end = start + statement.length();
      int next = i + 1 < statements.size() ? out.indexOf(statements.get(i + 1), end) : -1;
      String printed = out.substring(end, next < 0 ? out.length() : next);
      at = end;
      boolean error = false;
      boolean inTable = false;
      List<String> rows = new ArrayList<>();
      for (String line : printed.split("\n")) {
        if (line.startsWith("ERROR:")) {
          error = true;
        } else if (TABLE_RULE.matcher(line).matches()) {
          inTable = true;
        } else if (inTable && ROW_COUNT.matcher(line).matches()) {
          inTable = false;
        } else if (inTable) {
          rows.add(cells(line));
        }
      }
      String sql = statement.substring(0, statement.length() - 1).strip();
      expected.add(new Expected(sql, error, rows));
    }
    return expected;
  }

  /** A result's rows as psql shows them: NULL empty, booleans {@code t} and {@code f}. */
  private static List<String> rows(ResultSet rs) throws SQLException {
    List<String> rows = new ArrayList<>();
    int columns = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int c = 1; c <= columns; c++) {
        String value = rs.getString(c);
        value = value == null ? "" : value.equals("true") ? "t" : value.equals("false") ? "f"
            : value;
        row.append(c > 1 ? "|" : "").append(value);
      }
      rows.add(cells(row.toString()));
    }
    return rows;
  }

  private static String cells(String row) {
    StringBuilder cells = new StringBuilder();
    String[] parts = row.split("\\|", -1);
    for (int i = 0; i < parts.length; i++) {
      cells.append(i > 0 ? "|" : "").append(parts[i].strip());
    }
    return cells.toString();
  }

  private static boolean sameRows(List<String> pgvector, List<String> quiver) {
    if (pgvector.size() != quiver.size()) {
      return false;
    }
    for (int i = 0; i < pgvector.size(); i++) {
      if (!sameRow(pgvector.get(i), quiver.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether two printed rows agree: the same text between their numbers, and numbers equal to
   * within a millionth (float sums may run in another order).
   */
  private static boolean sameRow(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    List<Double> numbersA = new ArrayList<>();
    List<Double> numbersB = new ArrayList<>();
    String shapeA = shape(a, numbersA);
    String shapeB = shape(b, numbersB);
    if (!shapeA.equals(shapeB)) {
      return false;
    }
    for (int i = 0; i < numbersA.size(); i++) {
      double x = numbersA.get(i);
      double y = numbersB.get(i);
      if (x != y && Math.abs(x - y) > 1e-6 * Math.max(Math.abs(x), Math.abs(y))) {
        return false;
      }
    }
    return true;
  }

  /** {@code row} with each number replaced by {@code #}, the numbers into {@code numbers}. */
  private static String shape(String row, List<Double> numbers) {
    Matcher m = NUMBER.matcher(row);
    StringBuilder shape = new StringBuilder();
    while (m.find()) {
      numbers.add(Double.parseDouble(m.group()));
      m.appendReplacement(shape, "#");
    }
    m.appendTail(shape);
    return shape.toString();
  }
}
