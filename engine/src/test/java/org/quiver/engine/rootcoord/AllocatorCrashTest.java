package org.quiver.engine.rootcoord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.fixtures.ChildJvm;

/**
 * Kills a child JVM with SIGKILL while it allocates timestamps and ids, restarts it on the same KV
 * store, and checks that every value issued after the restart is above every value issued before.
 *
 * <p>The kill point of each round is how many values the test reads first, from a seeded random;
 * the seed is printed and {@code -Dquiver.seed=<seed>} replays it.
 */
class AllocatorCrashTest {
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void timestampsAndIdsStayStrictlyIncreasingAcrossSigkill() {
    long seed = Long.getLong("quiver.seed", new Random().nextLong());
    System.out.println("AllocatorCrashTest seed=" + seed + " (replay with -Dquiver.seed=" + seed + ")");
    Random random = new Random(seed);
    long[] maxBefore = {0, 0};
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + ", round " + round;
      int killAfter = 1 + random.nextInt(20_000);
      long[] last = {-1, -1};
      long[] max = maxBefore.clone();
      try (ChildJvm child = ChildJvm.start(AllocatorCrashChild.class, dir.toString())) {
        assertEquals("ready", child.readLine(), where);
        String line;
        int read = 0;
        boolean killed = false;
        while ((line = child.readLine()) != null) {
          String[] parts = line.split(" ");
          int kind = parts[0].equals("ts") ? 0 : 1;
          long value = Long.parseLong(parts[1]);
          long floor = last[kind] < 0 ? maxBefore[kind] : last[kind];
          assertTrue(value > floor,
              where + ": " + parts[0] + " " + value + " not above " + floor
                  + (last[kind] < 0 ? ", the highest issued before the restart" : ""));
          last[kind] = value;
          max[kind] = Math.max(max[kind], value);
          if (++read == killAfter && !killed) {
            child.kill();
            killed = true;
          }
        }
      }
      maxBefore = max;
    }
    assertTrue(maxBefore[0] > 0 && maxBefore[1] > 0, "both allocators issued values");
  }
}
