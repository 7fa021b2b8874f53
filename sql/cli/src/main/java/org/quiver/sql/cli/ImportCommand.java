package org.quiver.sql.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.copy.CopyIn;
import org.quiver.sql.copy.CopyOptions;
import org.quiver.sql.error.SqlErrors;
import org.quiver.sql.jdbc.EngineRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quiver import TABLE FILE}: loads a csv, fvecs or npy file with a progress bar on stderr
 * (rows, rows/s, ETA). On a data directory it loads in this process; with {@code --url} it runs
 * COPY on the server, which then reads the file from its own file system.
 */
@Command(name = "import", description = "Loads a csv, fvecs, npy or parquet file into a table, "
    + "in this process on a data directory, or with --url by COPY on the server (which reads the "
    + "file from its own file system; the password from QUIVER_PASSWORD).")
final class ImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TABLE", description = "the table to load into")
  private String table;

  @Parameters(index = "1", paramLabel = "FILE", description = "the file to load")
  private Path file;

  @Mixin
  private DatabaseOptions database;

  @Option(names = "--format", paramLabel = "csv|fvecs|npy|parquet",
      description = "the file's format (default: from its extension)")
  private String format;

  @Option(names = "--id-start", paramLabel = "N",
      description = "the first generated id, for fvecs and npy files (default: 0)")
  private Long idStart;

  @Option(names = "--on-error", paramLabel = "stop|skip",
      description = "skip: leaves out rows with bad values and lists the first of them "
          + "(default: stop)")
  private String onError;

  @Option(names = "--batch", paramLabel = "N", description = "rows per durable write (default: "
      + CopyOptions.DEFAULT_BATCH_ROWS + ")")
  private Integer batchRows;

  @Option(names = "--delimiter", paramLabel = "C", description = "the CSV delimiter (default: ,)")
  private String delimiter;

  @Option(names = "--header", paramLabel = "true|false",
      description = "whether the CSV file starts with a header line (default: true)")
  private String header;

  @Override
  public Integer call() {
    Path absolute = file.toAbsolutePath().normalize();
    Map<String, String> options = new LinkedHashMap<>();
    put(options, "format", format);
    put(options, "id_start", idStart);
    put(options, "on_error", onError);
    put(options, "batch_rows", batchRows);
    put(options, "delimiter", delimiter);
    put(options, "header", header);
    if (!Files.isRegularFile(absolute)) {
      System.err.println("quiver import: no such file: " + absolute);
      return 1;
    }
    long start = System.nanoTime();
    try {
      if (database.url != null) {
        return remote(database.url, database.user, table, absolute, options, start);
      }
      Path directory = database.data.data.toAbsolutePath().normalize();
      ProgressBar bar = new ProgressBar(System.err);
      CopyIn.Result result;
      try (EngineRegistry.Handle engine = EngineRegistry.acquire("file:" + directory)) {
        result = CopyIn.load(engine.engine(), table, null, absolute, options, bar);
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

  private static void put(Map<String, String> options, String key, Object value) {
    if (value != null) {
      options.put(key, value.toString());
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
