package org.quiver.engine;

import java.nio.file.Path;

/**
 * How an engine instance runs.
 *
 * @param dataDirectory where meta/, mq/ and segments/ live
 * @param sealRows a growing segment is sealed and flushed when it holds this many rows
 */
public record QuiverConfig(Path dataDirectory, int sealRows) {
  public static final int DEFAULT_SEAL_ROWS = 100_000;

  public QuiverConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be >= 1, got " + sealRows);
    }
  }

  public static QuiverConfig at(Path dataDirectory) {
    return new QuiverConfig(dataDirectory, DEFAULT_SEAL_ROWS);
  }
}
