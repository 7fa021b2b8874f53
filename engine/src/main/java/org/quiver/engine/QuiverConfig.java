package org.quiver.engine;

import java.nio.file.Path;

/**
 * How an engine instance runs.
 *
 * @param dataDirectory where meta/, mq/ and segments/ live
 * @param sealRows a growing segment is sealed and flushed when it holds this many rows
 * @param sealBytes ... or when its rows take this many bytes in memory
 * @param sealAgeMillis ... or when it has been growing this long (the {@code seal_age} policy)
 */
public record QuiverConfig(Path dataDirectory, int sealRows, long sealBytes, long sealAgeMillis) {
  public static final int DEFAULT_SEAL_ROWS = 100_000;
  public static final long DEFAULT_SEAL_BYTES = 64L << 20;
  /** Ten minutes: bounds how much of the log a restart replays for an idle table. */
  public static final long DEFAULT_SEAL_AGE_MILLIS = 10 * 60_000L;

  public QuiverConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be >= 1, got " + sealRows);
    }
    if (sealBytes < 1) {
      throw new IllegalArgumentException("sealBytes must be >= 1, got " + sealBytes);
    }
    if (sealAgeMillis < 1) {
      throw new IllegalArgumentException("sealAgeMillis must be >= 1, got " + sealAgeMillis);
    }
  }

  public QuiverConfig(Path dataDirectory, int sealRows, long sealBytes) {
    this(dataDirectory, sealRows, sealBytes, DEFAULT_SEAL_AGE_MILLIS);
  }

  public QuiverConfig(Path dataDirectory, int sealRows) {
    this(dataDirectory, sealRows, DEFAULT_SEAL_BYTES);
  }

  public static QuiverConfig at(Path dataDirectory) {
    return new QuiverConfig(dataDirectory, DEFAULT_SEAL_ROWS);
  }
}
