package org.quiver.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.Message;
import org.quiver.storage.mq.RocksMessageQueue;

/**
 * Kills a child JVM with SIGKILL at random points while it produces messages or runs KV
 * transactions, reopens the data, and checks that nothing acknowledged was lost or duplicated.
 *
 * <p>The kill point of each round is the number of acknowledgements the test waits for, drawn from
 * a seeded random; the seed is printed and {@code -Dquiver.seed=<seed>} replays it.
 */
class StorageCrashTest {
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  private static long seed() {
    long seed = Long.getLong("quiver.seed", new Random().nextLong());
    System.out.println("StorageCrashTest seed=" + seed + " (replay with -Dquiver.seed=" + seed + ")");
    return seed;
  }

  @Test
  void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() {
    long seed = seed();
    Random random = new Random(seed);
    Map<String, Long> acknowledged = new HashMap<>();
    long lastIdBefore = -1;
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + ", round " + round;
      int killAfter = random.nextInt(2_000);
      long firstIdThisRound = Long.MAX_VALUE;
      try (ChildJvm child = ChildJvm.start(StorageCrashChild.class, "mq", dir.toString(), "r" + round)) {
        assertEquals("ready", child.readLine(), where);
        int acks = 0;
        String line;
        while (acks < killAfter && (line = child.readLine()) != null) {
          long id = record(line, acknowledged, where);
          firstIdThisRound = Math.min(firstIdThisRound, id);
          acks++;
        }
        child.kill();
        // Lines already in the pipe were acknowledged before the kill: they count too.
        while ((line = child.readLine()) != null) {
          firstIdThisRound = Math.min(firstIdThisRound, record(line, acknowledged, where));
        }
      }
      if (firstIdThisRound != Long.MAX_VALUE) {
        assertTrue(firstIdThisRound > lastIdBefore,
            where + ": id " + firstIdThisRound + " given again after restart (last " + lastIdBefore + ")");
      }
      try (RocksMessageQueue mq = RocksMessageQueue.open(dir)) {
        List<Message> stored = mq.read("ch", -1, Integer.MAX_VALUE);
        Set<String> payloads = new HashSet<>();
        for (int i = 0; i < stored.size(); i++) {
          Message m = stored.get(i);
          String text = new String(m.payload(), StandardCharsets.UTF_8);
          assertTrue(payloads.add(text), where + ": message stored twice: " + text);
          if (i > 0) {
            assertTrue(m.id() > stored.get(i - 1).id(), where + ": ids not increasing at " + i);
          }
          Long ackedId = acknowledged.get(text);
          if (ackedId != null) {
            assertEquals(ackedId, m.id(), where + ": " + text + " stored under another id");
          }
        }
        for (String text : acknowledged.keySet()) {
          assertTrue(payloads.contains(text), where + ": acknowledged message lost: " + text);
        }
        lastIdBefore = mq.lastId("ch");
      }
    }
  }

  private static long record(String line, Map<String, Long> acknowledged, String where) {
    String[] parts = line.split(" ");
    assertEquals("ack", parts[0], where + ": unexpected line " + line);
    long id = Long.parseLong(parts[1]);
    assertEquals(null, acknowledged.put(parts[2], id), where + ": acknowledged twice: " + line);
    return id;
  }

  @Test
  void kvTransactionsAreAllOrNothingAcrossSigkill() {
    long seed = seed();
    Random random = new Random(seed);
    Set<String> markers = new HashSet<>();
    long counter = 0;
    long snapshot = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + ", round " + round;
      int killAfter = random.nextInt(600);
      try (ChildJvm child = ChildJvm.start(StorageCrashChild.class, "kv", dir.toString(), "r" + round)) {
        assertEquals("ready", child.readLine(), where);
        int acks = 0;
        String line;
        while (acks < killAfter && (line = child.readLine()) != null) {
          acks++;
          long[] seen = record(line, markers);
          counter = Math.max(counter, seen[0]);
          snapshot = Math.max(snapshot, seen[1]);
        }
        child.kill();
        while ((line = child.readLine()) != null) {
          long[] seen = record(line, markers);
          counter = Math.max(counter, seen[0]);
          snapshot = Math.max(snapshot, seen[1]);
        }
      }
      try (RocksKvStore kv = RocksKvStore.open(dir)) {
        long sum = 0;
        for (int i = 0; i < StorageCrashChild.ACCOUNTS; i++) {
          sum += StorageCrashChild.balance(kv, i);
        }
        assertEquals(StorageCrashChild.TOTAL, sum, where + ": a transfer was torn");
        for (String marker : markers) {
          assertNotNull(kv.get(marker), where + ": acknowledged transaction lost: " + marker);
        }
        byte[] stored = kv.get("counter");
        long value = stored == null ? 0 : Long.parseLong(new String(stored, StandardCharsets.UTF_8));
        assertTrue(value >= counter && value <= counter + 1,
            where + ": counter " + value + " after acknowledged " + counter);
        byte[] version = kv.loadAt("snap", Long.MAX_VALUE);
        long latest = version == null ? 0 : Long.parseLong(new String(version, StandardCharsets.UTF_8));
        assertTrue(latest >= snapshot && latest <= snapshot + 1,
            where + ": version " + latest + " after acknowledged " + snapshot);
        if (snapshot > 0) {
          assertEquals(Long.toString(snapshot),
              new String(kv.loadAt("snap", snapshot), StandardCharsets.UTF_8), where);
        }
        counter = value;
        snapshot = latest;
      }
    }
  }

  /** Returns {counter, snapshot ts} acknowledged by the line (0 where it says nothing). */
  private static long[] record(String line, Set<String> markers) {
    String[] parts = line.split(" ");
    return switch (parts[0]) {
      case "txn" -> {
        markers.add(parts[1]);
        yield new long[] {0, 0};
      }
      case "cas" -> new long[] {Long.parseLong(parts[1]), 0};
      case "snap" -> new long[] {0, Long.parseLong(parts[1])};
      default -> throw new AssertionError("unexpected line " + line);
    };
  }
}
