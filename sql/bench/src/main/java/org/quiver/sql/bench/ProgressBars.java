package org.quiver.sql.bench;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of the long parts of a benchmark run (loading, index builds, sweeps), drawn
 * by me.tongfei:progressbar on standard error, so that the CSV on standard output stays clean.
 */
final class ProgressBars {
  private ProgressBars() {}

  /** A bar for {@code total} steps, redrawn in place five times a second. */
  static ProgressBar start(String label, long total) {
    return new ProgressBarBuilder()
        .setTaskName(label)
        .setInitialMax(Math.max(1, total))
        // ASCII, so that a log of the run read later shows the same bar as the terminal did.
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  /**
   * Draws {@code bar} full and ends its line: the loops that feed a bar report the work started,
   * so their last report falls short of the total.
   */
  static void finish(ProgressBar bar) {
    bar.stepTo(bar.getMax());
    bar.close();
  }
}
