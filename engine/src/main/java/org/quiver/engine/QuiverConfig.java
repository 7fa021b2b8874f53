package org.quiver.engine;

import java.nio.file.Path;

/**
 * How an engine instance runs.
 *
 * @param dataDirectory where meta/, mq/ and segments/ live
 * @param sealRows a growing segment is sealed and flushed when it holds this many rows
 * @param sealBytes ... or when its rows take this many bytes in memory
 * @param retentionMs how far back {@code FOR SYSTEM_TIME AS OF} may read; compaction keeps every
 *     row version and delete younger than this
 * @param timeTickMs the longest an idle channel's tSafe stands still (ticks are event driven)
 * @param autoCompaction whether the automatic compaction policy runs (COMPACT TABLE always works)
 */
public record QuiverConfig(Path dataDirectory, int sealRows, long sealBytes, long retentionMs,
    long timeTickMs, boolean autoCompaction) {
  public static final int DEFAULT_SEAL_ROWS = 100_000;
  public static final long DEFAULT_SEAL_BYTES = 64L << 20;
  public static final long DEFAULT_RETENTION_MS = 3_600_000;
  public static final long DEFAULT_TIME_TICK_MS = 200;

  public QuiverConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be >= 1, got " + sealRows);
    }
    if (sealBytes < 1) {
      throw new IllegalArgumentException("sealBytes must be >= 1, got " + sealBytes);
    }
    if (retentionMs < 0) {
      throw new IllegalArgumentException("retentionMs must be >= 0, got " + retentionMs);
    }
    if (timeTickMs < 1) {
      throw new IllegalArgumentException("timeTickMs must be >= 1, got " + timeTickMs);
    }
  }

  public QuiverConfig(Path dataDirectory, int sealRows, long sealBytes) {
    this(dataDirectory, sealRows, sealBytes, DEFAULT_RETENTION_MS, DEFAULT_TIME_TICK_MS, true);
  }

  /** This configuration with another retention window for time travel. */
  public QuiverConfig withRetentionMs(long newRetentionMs) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, newRetentionMs, timeTickMs,
        autoCompaction);
  }

  /** This configuration with the automatic compaction policy on or off (benchmarks turn it off). */
  public QuiverConfig withAutoCompaction(boolean on) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, retentionMs, timeTickMs, on);
  }

  public QuiverConfig(Path dataDirectory, int sealRows) {
    this(dataDirectory, sealRows, DEFAULT_SEAL_BYTES);
  }

  public static QuiverConfig at(Path dataDirectory) {
    return new QuiverConfig(dataDirectory, DEFAULT_SEAL_ROWS);
  }
}
