package org.quiver.sql.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.quiver.grammar.StatementKind;
import org.quiver.sql.bench.HostileStatements.Binding;
import org.quiver.sql.bench.HostileStatements.Hostile;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.QuiverServer;
import org.quiver.storage.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench fuzz}: runs {@link HostileStatements} against a door and checks that the
 * engine stays trustworthy: no crash (the door still answers), no hang (each statement within
 * {@link #STATEMENT_TIMEOUT_S} s), every error a SQLException with a proper five-character
 * SQLSTATE and no Java class names or plan dumps in its message, internal errors (XX000) rare,
 * and no change to the fixture tables from a statement that failed.
 */
@Command(name = "fuzz", description = "Hostile statements against the embedded and remote doors: "
    + "prints the seed, every problem and internal error, and a summary per door; exits 1 on a "
    + "problem.")
public final class FuzzBench implements Callable<Integer> {
  /** Seconds a statement may take before the run counts it as a hang. */
  public static final int STATEMENT_TIMEOUT_S = 30;
  /** Internal errors allowed, as a fraction of all errors. */
  public static final double MAX_INTERNAL_FRACTION = 0.005;

  private static final Pattern SQLSTATE = Pattern.compile("[0-9A-Z]{5}");
  /** What a message must not show: Java class names, stack frames and Calcite plans. */
  private static final Pattern INTERNALS = Pattern.compile(
      "\\b(?:java|javax|jdk|sun|org\\.apache|org\\.quiver|com\\.google)\\.[\\w.$]*[A-Z]"
          + "|\\w+(?:Exception|Error)\\b(?!_)|\\tat |\\brel#\\d|\\b(?:Logical|Enumerable)[A-Z]\\w+\\(");
  private static final List<String> FIXTURE = List.of("f_docs", "f_ivf", "f_keys");

  /** What a run found. */
  public static final class Report {
    public final long seed;
    public int statements;
    public int errors;
    public int internal;
    public final Map<String, Integer> states = new TreeMap<>();
    /** Defects: crashes, hangs, bad SQLSTATEs, internals in messages, data changes. */
    public final List<String> problems = new ArrayList<>();
    /** Every XX000, with its statement. */
    public final List<String> internalErrors = new ArrayList<>();

    Report(long seed) {
      this.seed = seed;
    }

    public boolean internalWithinLimit() {
      return internal <= errors * MAX_INTERNAL_FRACTION;
    }

    public String summary() {
      return String.format(Locale.ROOT, "fuzz seed=%d statements=%d errors=%d internal=%d "
          + "problems=%d states=%s", seed, statements, errors, internal, problems.size(), states);
    }
  }

  /** Opens connections to the door under test. */
  @FunctionalInterface
  public interface Door {
    Connection connect() throws SQLException;
  }

  @Option(names = "--statements", paramLabel = "N", defaultValue = "10000",
      description = "statements per door")
  private int statements;

  @Option(names = "--seed", paramLabel = "N",
      description = "the seed that reproduces a run (default: the clock)")
  private Long seedOption;

  @Option(names = "--door", paramLabel = "embedded|remote|both", defaultValue = "both",
      description = "the doors to fuzz")
  private String doors;

  /** Fuzzes the doors the options name; exit 1 when it found a problem. */
  @Override
  public Integer call() throws Exception {
    long seed = seedOption != null ? seedOption : System.nanoTime();
    boolean failed = false;
    Path root = Files.createTempDirectory("quiver-fuzz");
    try {
      if (!doors.equals("remote")) {
        Path data = root.resolve("embedded");
        Report r = run(() -> DriverManager.getConnection("jdbc:quiver:file:" + data), root,
            seed, statements, System.out);
        failed |= !r.problems.isEmpty() || !r.internalWithinLimit();
      }
      if (!doors.equals("embedded")) {
        Report r = runRemote(root.resolve("server"), root, seed, statements, System.out);
        failed |= !r.problems.isEmpty() || !r.internalWithinLimit();
      }
    } finally {
      FileTrees.deleteRecursively(root);
    }
    return failed ? 1 : 0;
  }

  /**
   * {@link #run} through Quiver's thin driver against a server on {@code data}. The server has a
   * user, as a deployed one does: on an open server a generated CREATE USER (a valid statement)
   * would switch authentication on and lock the fuzz out.
   */
  public static Report runRemote(Path data, Path files, long seed, int statements,
      PrintStream out) throws SQLException, IOException {
    new UserStore(data).add("fuzz", Role.ADMIN, "fuzz-secret".toCharArray());
    Properties login = new Properties();
    login.setProperty("user", "fuzz");
    login.setProperty("password", "fuzz-secret");
    try (QuiverServer server = QuiverServer.start(data, "127.0.0.1", 0)) {
      return run(() -> DriverManager.getConnection(server.url(), login), files, seed, statements,
          out);
    }
  }

  /**
   * Creates the fixture, runs {@code statements} generated statements from {@code seed} on one
   * connection (a new one after a connection error) and reports what it found on {@code out}.
   *
   * @param files a scratch directory for the COPY files
   */
  public static Report run(Door door, Path files, long seed, int statements, PrintStream out)
      throws SQLException, IOException {
    out.println("fuzz seed=" + seed + " statements=" + statements
        + " (repeat with -Dquiver.fuzz.seed=" + seed + ")");
    Path copyFiles = files.resolve("copy-files");
    writeCopyFiles(copyFiles);
    HostileStatements generator = new HostileStatements(seed, copyFiles);
    Report report = new Report(seed);
    ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(null, r, "fuzz-statement", 64L << 20);
      t.setDaemon(true);
      return t;
    });
    Connection c = door.connect();
    try {
      createFixture(c);
      String checksum = checksum(c);
      for (int i = 0; i < statements; i++) {
        Hostile h = generator.next();
        report.statements++;
        Connection current = c;
        Future<Throwable> outcome = runner.submit(() -> execute(current, h));
        Throwable error;
        try {
          error = outcome.get(STATEMENT_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          problem(report, out, "hang", h, "no answer within " + STATEMENT_TIMEOUT_S + " s");
          outcome.cancel(true);
          break;
        } catch (ExecutionException | InterruptedException e) {
          error = e.getCause();
        }
        if (error == null) {
          if (!isQuery(h.sql())) {
            checksum = checksum(c);
          }
          continue;
        }
        report.errors++;
        if (!(error instanceof SQLException e)) {
          problem(report, out, "not a SQLException", h, describe(error));
          continue;
        }
        String state = e.getSQLState();
        report.states.merge(String.valueOf(state), 1, Integer::sum);
        if (state == null || !SQLSTATE.matcher(state).matches() || state.equals("00000")
            || state.startsWith("01") || state.startsWith("02")) {
          problem(report, out, "bad SQLSTATE " + state, h, e.getMessage());
        } else if (state.equals("XX000")) {
          report.internal++;
          String line = "XX000 " + abbreviate(h.sql()) + " -> " + e.getMessage();
          report.internalErrors.add(line);
          out.println("fuzz internal error: " + line);
        } else if (state.equals("58030")) {
          problem(report, out, "I/O error class for a statement", h, e.getMessage());
        }
        if (e.getMessage() != null && INTERNALS.matcher(e.getMessage()).find()) {
          problem(report, out, "internals in the message (" + state + ")", h, e.getMessage());
        }
        if (state != null && state.startsWith("08") || c.isClosed()) {
          c.close();
          c = door.connect();
        }
        // A statement that did not parse (42601) ran nothing: its checksum is skipped for speed.
        if (!isQuery(h.sql()) && !"42601".equals(state)) {
          String after = checksum(c);
          if (!after.equals(checksum)) {
            problem(report, out, "data changed by a failed statement", h, state);
            checksum = after;
          }
        }
      }
      try (Connection probe = door.connect(); Statement s = probe.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM f_docs")) {
        rs.next();
      } catch (SQLException e) {
        report.problems.add("crash: the door no longer answers: " + e.getMessage());
      }
    } finally {
      runner.shutdownNow();
      try {
        c.close();
      } catch (SQLException e) {
        report.problems.add("crash: closing the connection failed: " + e.getMessage());
      }
    }
    out.println(report.summary());
    return report;
  }

  /** Runs one statement; returns what it threw, or null. */
  private static Throwable execute(Connection c, Hostile h) {
    try {
      if (!h.prepared()) {
        try (Statement s = c.createStatement()) {
          s.setQueryTimeout(STATEMENT_TIMEOUT_S / 2);
          drain(s, s.execute(h.sql()));
        }
        return null;
      }
      try (PreparedStatement p = c.prepareStatement(h.sql())) {
        p.setQueryTimeout(STATEMENT_TIMEOUT_S / 2);
        for (Binding b : h.bindings()) {
          bind(p, b);
        }
        drain(p, p.execute());
      }
      return null;
    } catch (SQLException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      return e;
    }
  }

  private static void bind(PreparedStatement p, Binding b) throws SQLException {
    int i = b.index();
    Object v = b.value();
    switch (b.setter()) {
      case "setString" -> p.setString(i, (String) v);
      case "setObjectString" -> p.setObject(i, v);
      case "setLong" -> p.setLong(i, (Long) v);
      case "setInt" -> p.setInt(i, (Integer) v);
      case "setDouble" -> p.setDouble(i, (Double) v);
      case "setTimestamp" -> p.setTimestamp(i, new Timestamp((Long) v));
      case "setBoolean" -> p.setBoolean(i, (Boolean) v);
      case "setBigDecimal" -> p.setBigDecimal(i, new BigDecimal((String) v));
      case "setFloatArray" -> p.setObject(i, v);
      case "setBytes" -> p.setBytes(i, (byte[]) v);
      case "setDate" -> p.setDate(i, new Date((Long) v));
      default -> p.setNull(i, java.sql.Types.VARCHAR);
    }
  }

  private static void drain(Statement s, boolean hasResult) throws SQLException {
    if (!hasResult) {
      return;
    }
    try (ResultSet rs = s.getResultSet()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
      }
    }
  }

  /** Statements that cannot change data: their failures need no checksum. */
  private static boolean isQuery(String sql) {
    return StatementKind.of(sql).readOnly();
  }

  /** The fixture: three tables of every column type, with an HNSW and an IVF_FLAT index. */
  public static void createFixture(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE f_docs (id BIGINT PRIMARY KEY, title VARCHAR(20), n INTEGER, "
          + "small TINYINT, ts TIMESTAMP, flag BOOLEAN, score DOUBLE, v VECTOR(4))");
      s.execute("CREATE TABLE f_ivf (id BIGINT PRIMARY KEY, v VECTOR(4))");
      s.execute("CREATE TABLE f_keys (k VARCHAR(10) PRIMARY KEY, v VECTOR(2))");
      s.execute("CREATE TABLE f_scratch (id BIGINT PRIMARY KEY, title VARCHAR(10), "
          + "v VECTOR(2))");
      StringBuilder docs = new StringBuilder("INSERT INTO f_docs VALUES ");
      StringBuilder ivf = new StringBuilder("INSERT INTO f_ivf VALUES ");
      for (int i = 1; i <= 40; i++) {
        String sep = i > 1 ? ", " : "";
        docs.append(sep).append(String.format(Locale.ROOT, "(%d, 't%d', %d, %d, TIMESTAMP "
            + "'2024-01-%02d 00:00:00', %s, %d.5, [%d, %d, 1, 0])", i, i, i % 7, i % 100,
            1 + i % 28, i % 2 == 0 ? "TRUE" : "FALSE", i, i, 40 - i));
        ivf.append(sep).append(String.format(Locale.ROOT, "(%d, [%d, %d, %d, 1])", i, i % 5,
            i % 3, i));
      }
      s.execute(docs.toString());
      s.execute(ivf.toString());
      s.execute("INSERT INTO f_keys VALUES ('a', [1, 0]), ('b', [0, 1]), ('t3', [1, 1])");
      s.execute("CREATE INDEX f_docs_v ON f_docs USING HNSW (v) WITH (m = 8)");
      s.execute("FLUSH TABLE f_ivf");
      s.execute("CREATE INDEX f_ivf_v ON f_ivf USING IVF_FLAT (v) WITH (nlist = 4)");
    }
  }

  /**
   * A checksum of the fixture's rows and of the catalog's tables, indexes and aliases (or of the
   * error that reading them gives).
   */
  static String checksum(Connection c) {
    CRC32C crc = new CRC32C();
    for (String query : List.of("SELECT * FROM f_docs ORDER BY id",
        "SELECT * FROM f_ivf ORDER BY id", "SELECT * FROM f_keys ORDER BY k",
        "SELECT table_name FROM sys.tables WHERE table_name LIKE 'f\\_%' ESCAPE '\\' "
            + "AND table_name <> 'f_scratch' ORDER BY 1",
        "SELECT table_name, index_name FROM sys.indexes ORDER BY 1, 2")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) {
            crc.update(String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8));
            crc.update(0);
          }
        }
      } catch (SQLException e) {
        crc.update(String.valueOf(e.getSQLState()).getBytes(StandardCharsets.UTF_8));
      }
    }
    return Long.toHexString(crc.getValue());
  }

  /** Files for COPY's tricks: malformed .npy, .fvecs, .csv and .parquet, an empty file, a folder. */
  static void writeCopyFiles(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("dir"));
    Files.createDirectories(dir.resolve("dir.csv"));
    Files.write(dir.resolve("bad.npy"), "\u0093NUMPY garbage".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("bad.fvecs"), new byte[] {7, 0, 0, 0, 1, 2});
    ByteBuffer wrongDim = ByteBuffer.allocate(4 + 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    wrongDim.putInt(3).putFloat(1).putFloat(2).putFloat(3);
    Files.write(dir.resolve("wrongdim.fvecs"), wrongDim.array());
    Files.writeString(dir.resolve("bad.csv"), "id,title,v\n1,x,[1,2\n\"unterminated\n2,,,,\n");
    Files.writeString(dir.resolve("good.csv"), "id,title,v\n900001,g,\"[1,2]\"\n");
    Files.write(dir.resolve("bad.parquet"), "PAR1 not really PAR1".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("empty.csv"), new byte[0]);
  }

  private static void problem(Report report, PrintStream out, String what, Hostile h,
      String detail) {
    String line = what + ": " + abbreviate(h.sql()) + (h.prepared() ? " " + h.bindings() : "")
        + " -> " + abbreviate(String.valueOf(detail));
    report.problems.add(line);
    out.println("fuzz problem: " + line);
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 250) + " ... " + s.substring(s.length() - 250)
        + " (" + s.length() + " chars)";
  }
}
