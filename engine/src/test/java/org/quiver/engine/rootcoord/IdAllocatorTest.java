package org.quiver.engine.rootcoord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.kv.RocksKvStore;

class IdAllocatorTest {
  @TempDir Path dir;

  @Test
  void idsAreUniqueAcrossThreads() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      IdAllocator ids = new IdAllocator(kv);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Callable<long[]>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          jobs.add(() -> {
            long[] out = new long[perThread];
            for (int i = 0; i < perThread; i++) {
              out[i] = ids.next();
            }
            return out;
          });
        }
        Set<Long> seen = new HashSet<>();
        for (Future<long[]> f : pool.invokeAll(jobs)) {
          long[] mine = f.get();
          for (int i = 0; i < mine.length; i++) {
            if (i > 0) {
              assertTrue(mine[i] > mine[i - 1], "ids of one thread must increase at " + i);
            }
            assertTrue(mine[i] > 0, "ids are positive, got " + mine[i]);
            assertTrue(seen.add(mine[i]), "id allocated twice: " + mine[i]);
          }
        }
        assertEquals(threads * perThread, seen.size());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void idsAreNeverReusedAfterReopen() {
    Set<Long> issued = new HashSet<>();
    // Reopen after a few ids (inside the first window), after many (across windows), and with none.
    int[] counts = {3, 2_500, 0, 1, 1_001};
    for (int round = 0; round < counts.length; round++) {
      try (RocksKvStore kv = RocksKvStore.open(dir)) {
        IdAllocator ids = new IdAllocator(kv);
        for (int i = 0; i < counts[round]; i++) {
          long id = ids.next();
          assertTrue(issued.add(id), "round " + round + ": id " + id + " issued before a reopen");
        }
      }
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      long next = new IdAllocator(kv).next();
      long max = issued.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertTrue(next > max, "id " + next + " after reopen is not above every earlier id " + max);
    }
  }

  /** A block larger than the window is reserved whole, and a reopen starts above it. */
  @Test
  void blocksAreConsecutiveAndNeverReusedAfterReopen() {
    long first;
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      IdAllocator ids = new IdAllocator(kv);
      long single = ids.next();
      first = ids.allocate(2_500);
      assertEquals(single + 1, first);
      assertEquals(first + 2_500, ids.next());
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      long next = new IdAllocator(kv).allocate(3);
      assertTrue(next > first + 2_500, "block at " + next + " after reopen overlaps " + first);
    }
  }

  /**
   * Sixteen threads; besides uniqueness, a value must exceed every value whose call had returned
   * (to any thread) before the call that issued it began: the allocator is linearizable.
   */
  @Test
  void sixteenThreadsGetUniqueValuesAboveEveryValueIssuedBefore() throws Exception {
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      IdAllocator allocator = new IdAllocator(kv);
      assertLinearizable(allocator::next, 16, 5000);
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
