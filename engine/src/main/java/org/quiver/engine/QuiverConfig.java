package org.quiver.engine;

import java.nio.file.Path;

/**
 * How an engine instance runs.
 *
 * @param dataDirectory where meta/, mq/ and segments/ live
 * @param sealRows a growing segment is sealed and flushed when it holds this many rows
 * @param sealBytes ... or when its rows take this many bytes in memory
 */
public record QuiverConfig(Path dataDirectory, int sealRows, long sealBytes) {
  public static final int DEFAULT_SEAL_ROWS = 100_000;
  public static final long DEFAULT_SEAL_BYTES = 64L << 20;

  public QuiverConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be >= 1, got " + sealRows);
    }
    if (sealBytes < 1) {
      throw new IllegalArgumentException("sealBytes must be >= 1, got " + sealBytes);
    }
  }

  public QuiverConfig(Path dataDirectory, int sealRows) {
    this(dataDirectory, sealRows, DEFAULT_SEAL_BYTES);
  }

  public static QuiverConfig at(Path dataDirectory) {
    return new QuiverConfig(dataDirectory, DEFAULT_SEAL_ROWS);
  }
}
