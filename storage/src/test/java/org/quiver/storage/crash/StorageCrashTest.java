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
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + ", round " + round;
      int killAfter = random.nextInt(600);
      try (ChildJvm child = ChildJvm.start(StorageCrashChild.class, "kv", dir.toString(), "r" + round)) {
        assertEquals("ready", child.readLine(), where);
        int acks = 0;
        String line;
        while (acks < killAfter && (line = child.readLine()) != null) {
          acks++;
          markers.add(marker(line));
        }
        child.kill();
        while ((line = child.readLine()) != null) {
          markers.add(marker(line));
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
      }
    }
  }

  /** The transaction marker an acknowledgement line names. */
  private static String marker(String line) {
    String[] parts = line.split(" ");
    assertEquals("txn", parts[0], "unexpected line " + line);
    return parts[1];
  }
}
