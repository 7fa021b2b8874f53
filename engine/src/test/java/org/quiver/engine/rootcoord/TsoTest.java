package org.quiver.engine.rootcoord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.kv.RocksKvStore;

class TsoTest {
  /** Where the oracle persists the end of its window: a persisted name, pinned here on purpose. */
  private static final String WINDOW_KEY = "tso/window_end";

  @TempDir Path dir;

  @Test
  void timestampsIncreaseStrictlyOnOneThread() {
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      Tso tso = new Tso(kv);
      long previous = tso.next();
      for (int i = 0; i < 300_000; i++) {
        long ts = tso.next();
        assertTrue(ts > previous, "call " + i + ": " + ts + " after " + previous);
        previous = ts;
      }
    }
  }

  @Test
  void timestampsAreUniqueAndIncreasingPerThreadAcrossFourThreads() throws Exception {
    int threads = 4;
    int perThread = 100_000;
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      Tso tso = new Tso(kv);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Callable<long[]>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          jobs.add(() -> {
            long[] out = new long[perThread];
            for (int i = 0; i < perThread; i++) {
              out[i] = tso.next();
            }
            return out;
          });
        }
        long[] all = new long[threads * perThread];
        int at = 0;
        for (Future<long[]> f : pool.invokeAll(jobs)) {
          long[] mine = f.get();
          for (int i = 1; i < mine.length; i++) {
            assertTrue(mine[i] > mine[i - 1], "thread-local order broken at " + i);
          }
          System.arraycopy(mine, 0, all, at, mine.length);
          at += mine.length;
        }
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
          assertTrue(all[i] > all[i - 1], "timestamp issued twice: " + all[i]);
        }
        long after = tso.next();
        assertTrue(after > all[all.length - 1], "a later call must exceed every earlier one");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void firstTimestampAfterReopenExceedsTheLastBefore() {
    long last;
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      Tso tso = new Tso(kv);
      last = 0;
      for (int i = 0; i < 10_000; i++) {
        last = tso.next();
      }
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      long first = new Tso(kv).next();
      assertTrue(first > last, "after reopen " + first + " <= " + last);
    }
  }

  /**
   * A previous run whose clock was ahead (or a clock stepped back) leaves a window end in the
   * future. The wall clock alone would then repeat timestamps; the persisted window must not.
   */
  @Test
  void reopenStaysAboveTimestampsIssuedAheadOfTheWallClock() {
    long ahead = System.currentTimeMillis() + 60_000;
    long last;
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      kv.put(WINDOW_KEY, ByteBuffer.allocate(Long.BYTES).putLong(ahead).array());
      Tso tso = new Tso(kv);
      long first = tso.next();
      assertTrue(Tso.physicalMillis(first) >= ahead,
          "must start at the saved window end " + ahead + ", got " + Tso.physicalMillis(first));
      last = first;
      for (int i = 0; i < 1_000; i++) {
        last = tso.next();
      }
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      long first = new Tso(kv).next();
      assertTrue(first > last, "after reopen " + first + " <= " + last);
    }
  }

  @Test
  void physicalPartFollowsTheWallClock() throws Exception {
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      Tso tso = new Tso(kv);
      for (int i = 0; i < 5; i++) {
        long before = System.currentTimeMillis();
        long ts = tso.next();
        long after = System.currentTimeMillis();
        long physical = Tso.physicalMillis(ts);
        assertTrue(physical >= before && physical <= after,
            "physical " + physical + " outside [" + before + ", " + after + "]");
        Thread.sleep(3);
      }
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      // After a restart the oracle may start at the persisted window end, at most one window ahead.
      long now = System.currentTimeMillis();
      long physical = Tso.physicalMillis(new Tso(kv).next());
      assertTrue(physical >= now && physical <= now + Tso.WINDOW_MS + 1_000,
          "physical " + physical + " vs wall clock " + now);
    }
  }

  @Test
  void composeAndPhysicalMillisAreInverse() {
    long physical = 1_763_000_000_000L;
    long ts = Tso.compose(physical, 12_345);
    assertEquals(physical, Tso.physicalMillis(ts));
    assertEquals(12_345, ts & ((1L << Tso.LOGICAL_BITS) - 1));
  }

  /**
   * Sixteen threads; besides uniqueness, a value must exceed every value whose call had returned
   * (to any thread) before the call that issued it began: the allocator is linearizable.
   */
  @Test
  void sixteenThreadsGetUniqueValuesAboveEveryValueIssuedBefore() throws Exception {
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      Tso allocator = new Tso(kv);
      assertLinearizable(allocator::next, 16, 20000);
    }
  }

  static void assertLinearizable(LongSupplier next, int threads, int perThread) throws Exception {
    AtomicLong highestReturned = new AtomicLong(Long.MIN_VALUE);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<long[]>> jobs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        jobs.add(() -> {
          long[] out = new long[perThread];
          for (int i = 0; i < perThread; i++) {
            long floor = highestReturned.get();
            out[i] = next.getAsLong();
            assertTrue(out[i] > floor, out[i] + " issued after " + floor + " had been returned");
            highestReturned.accumulateAndGet(out[i], Math::max);
          }
          return out;
        });
      }
      long[] all = new long[threads * perThread];
      int at = 0;
      for (Future<long[]> f : pool.invokeAll(jobs)) {
        long[] mine = f.get();
        System.arraycopy(mine, 0, all, at, mine.length);
        at += mine.length;
      }
      Arrays.sort(all);
      for (int i = 1; i < all.length; i++) {
        assertTrue(all[i] > all[i - 1], "value issued twice: " + all[i]);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
