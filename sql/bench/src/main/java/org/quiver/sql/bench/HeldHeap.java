package org.quiver.sql.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much heap a piece of work keeps alive: while it runs, a full collection every
 * {@link #EVERY_MS} ms and the heap in use right after it, less what was in use after one before
 * the work. What survives a full collection is what the work holds; a pool's peak, or the heap
 * after a young collection, would also count garbage the collector had not got round to, which
 * grows with the heap's size rather than with the work. The collections slow the work down, so
 * this is a pass of its own, not the timed one.
 */
final class HeldHeap implements AutoCloseable {
  static final long EVERY_MS = 100;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long baseline;
  private final AtomicLong most = new AtomicLong();
  private final Thread sampler;
  private volatile boolean done;

  /** Collects fully, takes the baseline, then samples until closed. */
  HeldHeap() {
    baseline = liveBytes();
    sampler = Thread.ofPlatform().name("held-heap").daemon().start(() -> {
      while (!done) {
        try {
          Thread.sleep(EVERY_MS);
        } catch (InterruptedException e) {
          return;
        }
        if (!done) {
          most.accumulateAndGet(liveBytes(), Math::max);
        }
      }
    });
  }

  private long liveBytes() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The most bytes held above the baseline at any sample so far. */
  long bytes() {
    return Math.max(0, most.get() - baseline);
  }

  @Override
  public void close() throws InterruptedException {
    done = true;
    sampler.interrupt();
    sampler.join();
  }
}
