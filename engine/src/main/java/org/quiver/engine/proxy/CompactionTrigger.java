package org.quiver.engine.proxy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic compaction policy: every few seconds, compacts a table when one of its channels
 * holds many small sealed segments (at least {@link #SMALL_SEGMENTS} below half the seal size), or
 * when its delete records exceed {@link #DELETED_RATIO} of its rows. A table whose deletes are all
 * younger than the retention window keeps them, so the delete rule fires again for it only once
 * its segments changed or a retention window has passed. Tables with fewer than {@code minRows} rows
 * (or, for the delete rule, fewer deletes) are left alone: merging them gains nothing measurable.
 */
public final class CompactionTrigger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompactionTrigger.class);
  static final int SMALL_SEGMENTS = 8;
  static final double DELETED_RATIO = 0.2;

  private final Proxy proxy;
  private final int smallRows;
  private final long minRows;
  private final long retentionMs;
  private final long intervalMs;
  /** Per collection: the segments it had after its last delete-driven compaction, and when. */
  private final Map<Long, Set<Long>> lastSegments = new HashMap<>();
  private final Map<Long, Long> lastAt = new HashMap<>();
  private final Thread worker;
  private volatile boolean closed;

  public CompactionTrigger(Proxy proxy, int sealRows, long minRows, long retentionMs,
      long intervalMs) {
    this.proxy = proxy;
    this.smallRows = Math.max(1, sealRows / 2);
    this.minRows = minRows;
    this.retentionMs = retentionMs;
    this.intervalMs = intervalMs;
    this.worker = Thread.ofPlatform().name("quiver-compaction").daemon().start(this::run);
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        return;
      }
      try {
        proxy.purgeDroppedTables();
      } catch (RuntimeException e) {
        LOG.debug("event=purge_skipped error={}", e.toString());
      }
      for (CollectionInfo info : proxy.collections()) {
        if (closed) {
          return;
        }
        try {
          if (due(info)) {
            proxy.compact(info.name());
            lastSegments.put(info.id(), ids(proxy.segments(info.name())));
            lastAt.put(info.id(), System.currentTimeMillis());
          }
        } catch (RuntimeException e) {
          // Dropped meanwhile, or closing: the next round sees the catalog as it is.
          LOG.debug("event=compaction_skipped table={} error={}", info.name(), e.toString());
        }
      }
    }
  }

  /** Whether the policy asks for a compaction of the table now. */
  boolean due(CollectionInfo info) {
    List<SegmentInfo> segments = proxy.segments(info.name());
    Map<String, Integer> small = new HashMap<>();
    long rows = 0;
    long deletes = 0;
    for (SegmentInfo s : segments) {
      if (s.rowCount() < smallRows) {
        small.merge(s.channel(), 1, Integer::sum);
      }
      rows += s.rowCount();
      deletes += s.deleteCount();
    }
    if (rows < minRows) {
      return false;
    }
    if (small.values().stream().anyMatch(n -> n >= SMALL_SEGMENTS)) {
      return true;
    }
    if (deletes == 0 || deletes < minRows * DELETED_RATIO || deletes <= DELETED_RATIO * rows) {
      return false;
    }
    Long at = lastAt.get(info.id());
    return at == null || !ids(segments).equals(lastSegments.get(info.id()))
        || System.currentTimeMillis() - at > retentionMs;
  }

  private static Set<Long> ids(List<SegmentInfo> segments) {
    Set<Long> ids = new HashSet<>();
    segments.forEach(s -> ids.add(s.id()));
    return ids;
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
