package org.quiver.sql.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.quiver.engine.error.QuiverException;
import org.quiver.sql.copy.CopyIn;
import org.quiver.sql.error.SqlErrors;
import org.quiver.sql.jdbc.EngineRegistry;

/**
 * {@code quiver import TABLE FILE}: loads a csv, fvecs or npy file with a progress bar on stderr
 * (rows, rows/s, ETA). On a data directory it loads in this process; with {@code --url} it runs
 * COPY on the server, which then reads the file from its own file system.
 */
final class ImportCommand {
  private ImportCommand() {}

  static int run(List<String> args, String usage) {
    if (args.size() < 2 || args.get(0).startsWith("--") || args.get(1).startsWith("--")) {
      System.err.print("quiver import: expected a table and a file\n" + usage);
      return 2;
    }
    String table = args.get(0);
    Path file = Path.of(args.get(1)).toAbsolutePath().normalize();
    Main.Options o = new Main.Options(args.subList(2, args.size()));
    Map<String, String> options = new LinkedHashMap<>();
    put(options, "format", o.value("--format", null));
    put(options, "id_start", o.value("--id-start", null));
    put(options, "on_error", o.value("--on-error", null));
    put(options, "batch_rows", o.value("--batch", null));
    put(options, "delimiter", o.value("--delimiter", null));
    put(options, "header", o.value("--header", null));
    if (!Files.isRegularFile(file)) {
      System.err.println("quiver import: no such file: " + file);
      return 1;
    }
    String url = o.value("--url", null);
    long start = System.nanoTime();
    try {
      if (url != null) {
        return remote(url, o.value("--user", null), table, file, options, start);
      }
      Path data = Path.of(o.value("--data", "quiver-data")).toAbsolutePath().normalize();
      ProgressBar bar = new ProgressBar(System.err);
      CopyIn.Result result;
      try (EngineRegistry.Handle engine = EngineRegistry.acquire("file:" + data)) {
        result = CopyIn.load(engine.engine().proxy(), table, null, file, options, bar);
      } finally {
        bar.finish();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "imported %,d rows into %s in %.1f s (%,.0f rows/s)%n",
          result.rows(), table, seconds, result.rows() / Math.max(seconds, 1e-9));
      if (result.skipped() > 0) {
        System.out.printf(Locale.ROOT, "skipped %,d bad rows; the first of them:%n",
            result.skipped());
        result.skippedRows().forEach(m -> System.out.println("  " + m));
      }
      return 0;
    } catch (QuiverException e) {
      SQLException sql = SqlErrors.translate(new SQLException(e.getMessage(), null, e));
      System.err.println("quiver import: ERROR " + sql.getSQLState() + ": " + sql.getMessage()
          + "\nnothing was imported");
      return 1;
    } catch (SQLException e) {
      System.err.println("quiver import: ERROR " + e.getSQLState() + ": " + e.getMessage()
          + "\nnothing was imported");
      return 1;
    } catch (RuntimeException e) {
      System.err.println("quiver import: " + e.getMessage());
      return 1;
    }
  }

  private static void put(Map<String, String> options, String key, String value) {
    if (value != null) {
      options.put(key, value);
    }
  }

  private static int remote(String url, String user, String table, Path file,
      Map<String, String> options, long start) throws SQLException {
    Properties info = new Properties();
    if (user != null) {
      info.setProperty("user", user);
      info.setProperty("password", System.getenv().getOrDefault("QUIVER_PASSWORD", ""));
    }
    StringBuilder sql = new StringBuilder("COPY \"" + table.replace("\"", "\"\"") + "\" FROM '"
        + file.toString().replace("'", "''") + "'");
    if (!options.isEmpty()) {
      sql.append(" WITH (");
      String sep = "";
      for (Map.Entry<String, String> e : options.entrySet()) {
        sql.append(sep).append(e.getKey()).append(" = '")
            .append(e.getValue().replace("'", "''")).append('\'');
        sep = ", ";
      }
      sql.append(')');
    }
    System.err.println("quiver import: the server reads " + file + " (it must be on the "
        + "server's machine); no progress is reported over the wire");
    try (Connection c = DriverManager.getConnection(url, info);
        Statement s = c.createStatement()) {
      s.execute(sql.toString());
    }
    System.out.printf(Locale.ROOT, "imported %s into %s in %.1f s%n", file.getFileName(), table,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** {@code [#####.....]  45%  1,234,567 rows  250,000 rows/s  ETA 0:12}, redrawn in place. */
  static final class ProgressBar implements CopyIn.Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDrawn;
    private boolean drawn;

    ProgressBar(PrintStream out) {
      this.out = out;
    }

    @Override
    public void update(long rows, long bytesRead, long bytesTotal) {
      long now = System.nanoTime();
      if (drawn && now - lastDrawn < 200_000_000L && bytesRead < bytesTotal) {
        return;
      }
      lastDrawn = now;
      drawn = true;
      double seconds = Math.max((now - start) / 1e9, 1e-9);
      if (bytesTotal <= 0 || bytesRead < 0) {
        // The reader cannot tell how far it is (Parquet): rows and rate only.
        out.printf(Locale.ROOT, "\r%,d rows  %,.0f rows/s ", rows, rows / seconds);
        out.flush();
        return;
      }
      double fraction = Math.min(1, (double) bytesRead / bytesTotal);
      int filled = (int) Math.round(fraction * WIDTH);
      long eta = fraction <= 0 ? 0 : Math.round(seconds / fraction - seconds);
      out.printf(Locale.ROOT, "\r[%s%s] %3d%%  %,d rows  %,.0f rows/s  ETA %d:%02d ",
          "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(fraction * 100), rows,
          rows / seconds, eta / 60, eta % 60);
      out.flush();
    }

    void finish() {
      if (drawn) {
        out.println();
        out.flush();
      }
    }
  }
}
