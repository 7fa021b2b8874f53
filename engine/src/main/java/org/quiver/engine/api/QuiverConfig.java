package org.quiver.engine.api;

import java.net.URI;
import java.nio.file.Path;

/**
 * How an engine instance runs.
 *
 * @param dataDirectory where meta/, mq/ and segments/ live
 * @param sealRows a growing segment is sealed and flushed when it holds this many rows
 * @param sealBytes ... or when its rows take this many bytes in memory
 * @param sealAgeMillis ... or when it has been growing this long (the {@code seal_age} policy)
 * @param retentionMs how far back {@code FOR SYSTEM_TIME AS OF} may read; compaction keeps every
 *     row version and delete younger than this
 * @param timeTickMs the longest an idle channel's tSafe stands still (ticks are event driven)
 * @param autoCompaction whether the automatic compaction policy runs (COMPACT TABLE always works)
 * @param catalog where the catalog, the clock's window, id windows and checkpoints live: null for
 *     RocksDB under {@code dataDirectory/meta}, or a shared store such as {@code
 *     etcd://host:2379/quiver/} (its module on the class path)
 * @param log where the write-ahead log lives: null for RocksMQ under {@code dataDirectory/mq}, or
 *     a shared log such as {@code kafka://host:9092/quiver} (its module on the class path), whose
 *     consumer positions are kept in the catalog store
 * @param segments where segment and index files live: null for the folders under {@code
 *     dataDirectory/segments} only, or an object store such as {@code
 *     s3://bucket/prefix?endpoint=...} (its module on the class path), of which those folders are
 *     then a cache
 * @param remoteQueryNodes whether reads go to query nodes in other processes (a cluster's
 *     coordinator) rather than to a query node in this one; needs all three shared services
 * @param coordinator where this process finds a cluster's coordinator whose engine it calls over
 *     Arrow Flight (a proxy: the SQL doors here, the engine there): its {@code host:port}, or the
 *     location of the cluster's catalog store ({@code etcd://host:2379/ROOT/}), where the
 *     coordinator registers the endpoint it serves (so a proxy follows a standby that takes
 *     over elsewhere); null for an engine in this process. A proxy holds no state of its own, so
 *     the service locations and {@code remoteQueryNodes} are the coordinator's and must not be
 *     set here
 */
public record QuiverConfig(Path dataDirectory, int sealRows, long sealBytes, long sealAgeMillis,
    long retentionMs, long timeTickMs, boolean autoCompaction, URI catalog, URI log,
    URI segments, boolean remoteQueryNodes, String coordinator) {
  public static final int DEFAULT_SEAL_ROWS = 100_000;
  public static final long DEFAULT_SEAL_BYTES = 64L << 20;
  /** Ten minutes: bounds how much of the log a restart replays for an idle table. */
  public static final long DEFAULT_SEAL_AGE_MILLIS = 10 * 60_000L;
  public static final long DEFAULT_RETENTION_MS = 3_600_000;
  public static final long DEFAULT_TIME_TICK_MS = 200;

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
    if (retentionMs < 0) {
      throw new IllegalArgumentException("retentionMs must be >= 0, got " + retentionMs);
    }
    if (timeTickMs < 1) {
      throw new IllegalArgumentException("timeTickMs must be >= 1, got " + timeTickMs);
    }
    requireServiceLocation("catalog", catalog);
    requireServiceLocation("log", log);
    requireServiceLocation("segments", segments);
    if (remoteQueryNodes && (catalog == null || log == null || segments == null)) {
      throw new IllegalArgumentException("query nodes in other processes read the catalog, the"
          + " log and the segments from shared services: give all three locations");
    }
    if (coordinator != null && (catalog != null || log != null || segments != null
        || remoteQueryNodes)) {
      throw new IllegalArgumentException("a proxy calls its coordinator's engine: the catalog, the"
          + " log, the segments and the query nodes are the coordinator's settings, not its own");
    }
    if (coordinator != null && !coordinator.matches("[^\\s/]+:\\d{1,5}")
        && !coordinator.matches("[a-z][a-z0-9+.-]*://[^\\s/]+(/\\S*)?")) {
      throw new IllegalArgumentException("a coordinator's location is host:port or the cluster's"
          + " catalog store (etcd://host:2379/ROOT/), got '" + coordinator + "'");
    }
  }

  /**
   * Checks that a shared service's location names a scheme and a server.
   *
   * @throws IllegalArgumentException naming {@code what} and the location otherwise
   */
  public static void requireServiceLocation(String what, URI location) {
    if (location != null && (location.getScheme() == null || location.getRawAuthority() == null)) {
      throw new IllegalArgumentException(
          what + " must be a URI such as scheme://host:port/path, got " + location);
    }
  }

  public QuiverConfig(Path dataDirectory, int sealRows, long sealBytes, long sealAgeMillis) {
    this(dataDirectory, sealRows, sealBytes, sealAgeMillis, DEFAULT_RETENTION_MS,
        DEFAULT_TIME_TICK_MS, true, null, null, null, false, null);
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

  /** This configuration with another row threshold for sealing growing segments. */
  public QuiverConfig withSealRows(int newSealRows) {
    return new QuiverConfig(dataDirectory, newSealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, catalog, log, segments, remoteQueryNodes, coordinator);
  }

  /** This configuration with another seal age for growing segments. */
  public QuiverConfig withSealAgeMillis(long newSealAgeMillis) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, newSealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, catalog, log, segments, remoteQueryNodes, coordinator);
  }

  /** This configuration with another retention window for time travel. */
  public QuiverConfig withRetentionMs(long newRetentionMs) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, newRetentionMs,
        timeTickMs, autoCompaction, catalog, log, segments, remoteQueryNodes, coordinator);
  }

  /** This configuration with the automatic compaction policy on or off (benchmarks turn it off). */
  public QuiverConfig withAutoCompaction(boolean on) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, on, catalog, log, segments, remoteQueryNodes, coordinator);
  }

  /** This configuration with its catalog in a shared store (null: RocksDB in the data folder). */
  public QuiverConfig withCatalog(URI newCatalog) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, newCatalog, log, segments, remoteQueryNodes, coordinator);
  }

  /** This configuration with its log in a shared service (null: RocksMQ in the data folder). */
  public QuiverConfig withLog(URI newLog) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, catalog, newLog, segments, remoteQueryNodes, coordinator);
  }

  /**
   * This configuration with its segment and index files in an object store (null: only in the
   * data folder).
   */
  public QuiverConfig withSegments(URI newSegments) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, catalog, log, newSegments, remoteQueryNodes, coordinator);
  }

  /**
   * This configuration with its searches and reads served by query nodes in other processes
   * (a cluster's, found through their sessions in the catalog store) rather than this one.
   */
  public QuiverConfig withRemoteQueryNodes(boolean remote) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, catalog, log, segments, remote, coordinator);
  }

  /**
   * This configuration as a proxy's: its engine is the coordinator's at {@code host:port}, called
   * over Arrow Flight (null: an engine in this process).
   */
  public QuiverConfig withCoordinator(String newCoordinator) {
    return new QuiverConfig(dataDirectory, sealRows, sealBytes, sealAgeMillis, retentionMs,
        timeTickMs, autoCompaction, catalog, log, segments, remoteQueryNodes, newCoordinator);
  }
}
