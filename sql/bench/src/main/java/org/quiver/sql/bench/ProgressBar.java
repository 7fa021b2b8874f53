package org.quiver.sql.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on standard error for the long parts of a benchmark run (loading, index builds,
 * sweeps): {@code label [#########.........]  45%  12 s, ~15 s left}, redrawn in place at most
 * five times a second, so the CSV on standard output stays clean.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private long lastDraw;

  ProgressBar(String label, long total) {
    this(System.err, label, total);
  }

  ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
  }

  /** Shows that {@code done} of the total are done; cheap when called often. */
  void update(long done) {
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS && done < total) {
      return;
    }
    lastDraw = now;
    out.print('\r' + line(done, (now - start) / 1e9));
    out.flush();
  }

  /** Draws the bar full and ends its line. */
  void finish() {
    out.println('\r' + line(total, (System.nanoTime() - start) / 1e9));
  }

  /** The text of the bar, e.g. for {@code done = 45} of 100 after 12 s. */
  String line(long done, double seconds) {
    double share = Math.min(1, Math.max(0, done / (double) total));
    int filled = (int) Math.round(share * WIDTH);
    String left = share > 0 && share < 1
        ? String.format(Locale.ROOT, ", ~%.0f s left", seconds / share * (1 - share)) : "";
    return String.format(Locale.ROOT, "  %s [%s%s] %3.0f%%  %.0f s%s", label,
        "#".repeat(filled), ".".repeat(WIDTH - filled), share * 100, seconds, left);
  }
}
