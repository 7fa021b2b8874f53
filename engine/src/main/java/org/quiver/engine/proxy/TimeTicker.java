package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.rootcoord.MetaTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time ticks inside one process. A tick at {@code T} promises that every write below {@code T} is
 * in the log; the query node then applies the log and moves each channel's tSafe to {@code T}.
 *
 * <p>Ticks are event driven: every finished manipulation task wakes the ticker, which ticks at once
 * at the highest timestamp below which no manipulation is unfinished ({@link
 * TaskScheduler#tickTimestamp}). The interval only bounds how stale an idle channel's tSafe can
 * look. In one process the tick goes straight to the query node instead of through the log, so idle
 * channels cost no log writes.
 */
final class TimeTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimeTicker.class);

  private final TaskScheduler scheduler;
  private final MetaTable meta;
  private final QueryNode queryNode;
  private final long intervalMs;
  private final Object signal = new Object();
  /** Held while a tick is applied, so that {@link #pause} returns with no tick in progress. */
  private final Object tickLock = new Object();
  private final Thread worker;
  private boolean pending;
  private volatile boolean paused;
  private volatile boolean closed;

  TimeTicker(TaskScheduler scheduler, MetaTable meta, QueryNode queryNode, long intervalMs) {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("intervalMs must be >= 1, got " + intervalMs);
    }
    this.scheduler = scheduler;
    this.meta = meta;
    this.queryNode = queryNode;
    this.intervalMs = intervalMs;
    this.worker = Thread.ofPlatform().name("quiver-timetick").daemon().start(this::run);
  }

  /** Asks for a tick now (a manipulation task finished). */
  void wake() {
    synchronized (signal) {
      pending = true;
      signal.notifyAll();
    }
  }

  /**
   * Stops or resumes ticking; returns once no tick is in progress. For tests that observe what a
   * read sees while tSafe stands still.
   */
  void pause(boolean pause) {
    synchronized (tickLock) {
      paused = pause;
    }
    if (!pause) {
      wake();
    }
  }

  private void run() {
    while (!closed) {
      synchronized (signal) {
        if (!pending) {
          try {
            signal.wait(intervalMs);
          } catch (InterruptedException e) {
            return;
          }
        }
        pending = false;
      }
      synchronized (tickLock) {
        if (!paused && !closed) {
          tick();
        }
      }
    }
  }

  private void tick() {
    long ts = scheduler.tickTimestamp();
    for (CollectionInfo info : meta.collections()) {
      if (!queryNode.isLoaded(info.id())) {
        continue;
      }
      try {
        queryNode.advanceTSafe(info, ts);
      } catch (RuntimeException e) {
        // A table dropped or released meanwhile; the next tick sees the catalog as it is.
        LOG.debug("event=time_tick_skipped table={} error={}", info.name(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
