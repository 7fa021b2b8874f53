package org.quiver.storage.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.quiver.storage.StorageException;

class RocksMessageQueueTest extends MessageQueueContractTest {

  private long syncsAtStart;
  /** The queue's wall clock in the tests that control time, in milliseconds. */
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  @Override
  protected MessageQueue open(Path dir) {
    RocksMessageQueue mq = RocksMessageQueue.open(dir);
    syncsAtStart = mq.syncCount();
    return mq;
  }

  private RocksMessageQueue openWith(Duration age, long bytes) {
    return RocksMessageQueue.open(
        dir, RocksMessageQueue.Settings.defaults().withRetention(age, bytes).withClock(clock::get));
  }

  @Override
  protected void afterConcurrentProduce(MessageQueue mq, int produceCalls) {
    // Two channel creations plus the produce group commits.
    long syncs = ((RocksMessageQueue) mq).syncCount() - syncsAtStart - 2;
    assertTrue(
        syncs < produceCalls,
        "group commit shared no sync: " + syncs + " syncs for " + produceCalls + " produce calls");
  }

  @Test
  void namesWithSlashesAreRejected() {
    try (MessageQueue mq = open(dir)) {
      assertThrows(IllegalArgumentException.class, () -> mq.createChannel("a/b"));
      assertThrows(IllegalArgumentException.class, () -> mq.createChannel(""));
      mq.createChannel("a");
      assertThrows(IllegalArgumentException.class, () -> mq.savePosition("g/1", "a", 0));
      assertThrows(IllegalArgumentException.class, () -> mq.createConsumerGroup("g/1", "a"));
    }
  }

  @Test
  void closedQueueRefusesWork() {
    MessageQueue mq = open(dir);
    mq.close();
    assertThrows(IllegalStateException.class, () -> mq.hasChannel("a"));
    mq.close();
  }

  @Test
  void idsCarryTheProduceTimeAndKeepIncreasingWhenTheClockGoesBack() {
    long t = clock.get();
    List<Long> ids = new ArrayList<>();
    try (RocksMessageQueue mq = openWith(null, 0)) {
      mq.createChannel("a");
      mq.createChannel("b");
      ids.addAll(mq.produce("a", MessageQueueContractTest.payloads("1", "2")));
      assertEquals(List.of(t << 18, (t << 18) + 1), ids, "time in the high bits, then a counter");
      clock.set(t - 60_000);
      ids.addAll(mq.produce("b", MessageQueueContractTest.payloads("3")));
      ids.addAll(mq.produce("a", MessageQueueContractTest.payloads("4")));
      clock.set(t + 5);
      ids.addAll(mq.produce("a", MessageQueueContractTest.payloads("5")));
      assertEquals((t + 5) << 18, ids.getLast(), "the clock moving on restarts the counter");
    }
    clock.set(t - 3_600_000);
    try (RocksMessageQueue mq = openWith(null, 0)) {
      ids.addAll(mq.produce("b", MessageQueueContractTest.payloads("6")));
    }
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i) > ids.get(i - 1), "ids must increase across channels and restarts: " + ids);
    }
  }

  @Test
  void retentionDeletesConsumedMessagesOlderThanTheAge() {
    long t = clock.get();
    try (RocksMessageQueue mq = openWith(Duration.ofMinutes(10), 0)) {
      mq.createChannel("ch");
      List<Long> old = mq.produce("ch", MessageQueueContractTest.payloads("o1", "o2", "o3"));
      clock.set(t + Duration.ofMinutes(20).toMillis());
      List<Long> fresh = mq.produce("ch", MessageQueueContractTest.payloads("n1", "n2"));
      mq.createConsumerGroup("g1", "ch");
      mq.createConsumerGroup("g2", "ch");
      mq.consume("g1", "ch", 4);
      mq.consume("g2", "ch", 2);
      assertEquals(2, mq.retain(), "only what both groups consumed and is old enough");
      assertEquals(old.get(1) + 1, mq.beginId("ch"));
      ChannelStats stats = mq.channelStats().get(0);
      assertEquals(3, stats.messageCount());
      assertEquals(old.get(2), stats.oldestRetainedId());

      mq.consume("g2", "ch", 10);
      assertEquals(1, mq.retain(), "o3 is now consumed by both; n1 and n2 are too young");
      assertEquals(List.of("n1", "n2"), texts(mq.read("ch", old.get(2), 10)));
      assertEquals(0, mq.retain());

      OutOfRetentionException read =
          assertThrows(OutOfRetentionException.class, () -> mq.read("ch", -1, 10));
      assertEquals(old.get(2) + 1, read.beginId());
      assertTrue(read.getMessage().contains("retention"), read.getMessage());
      assertThrows(OutOfRetentionException.class, () -> mq.seek("g1", "ch", old.get(0)));
      assertThrows(OutOfRetentionException.class, () -> mq.savePosition("g1", "ch", old.get(0)));
      mq.seek("g1", "ch", fresh.get(0));
      assertEquals(List.of("n1", "n2"), texts(mq.consume("g1", "ch", 10)));
      mq.createConsumerGroup("late", "ch");
      assertEquals(List.of("n1", "n2"), texts(mq.consume("late", "ch", 10)),
          "a new group starts at the oldest retained message");
    }
    try (RocksMessageQueue mq = openWith(Duration.ofMinutes(10), 0)) {
      assertEquals(2, mq.channelStats().get(0).messageCount(), "retention survives reopen");
      assertThrows(OutOfRetentionException.class, () -> mq.read("ch", -1, 10));
    }
  }

  @Test
  void retentionKeepsWhatAnyGroupHasNotConsumedAndChannelsWithoutGroups() {
    try (RocksMessageQueue mq = openWith(Duration.ofMinutes(1), 0)) {
      mq.createChannel("grouped");
      mq.createChannel("plain");
      mq.produce("grouped", MessageQueueContractTest.payloads("1", "2"));
      mq.produce("plain", MessageQueueContractTest.payloads("1", "2"));
      mq.createConsumerGroup("fast", "grouped");
      mq.createConsumerGroup("slow", "grouped");
      mq.consume("fast", "grouped", 10);
      clock.addAndGet(Duration.ofHours(1).toMillis());
      assertEquals(0, mq.retain());
      mq.consume("slow", "grouped", 1);
      assertEquals(1, mq.retain());
      assertEquals(2, mq.channelStats().get(1).messageCount(), "a channel with no group keeps all");
    }
  }

  @Test
  void retentionDeletesOldestConsumedMessagesBeyondTheSizeBudget() {
    byte[] kb = new byte[1000];
    try (RocksMessageQueue mq = openWith(null, 5_500)) {
      mq.createChannel("ch");
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.addAll(mq.produce("ch", List.of(kb)));
      }
      mq.createConsumerGroup("g", "ch");
      mq.consume("g", "ch", 3);
      assertEquals(3, mq.retain(), "only consumed messages go, however far over budget");
      mq.consume("g", "ch", 10);
      assertEquals(2, mq.retain(), "then the oldest until the channel fits the budget");
      ChannelStats stats = mq.channelStats().get(0);
      assertEquals(5, stats.messageCount());
      assertTrue(stats.retainedBytes() <= 5_500, "retained " + stats.retainedBytes());
      assertEquals(ids.get(5), stats.oldestRetainedId());
      assertEquals(ids.get(5), mq.beginId("ch"));
    }
  }

  @Test
  void aConsumedMessageGoesWhenItLeavesTheWindowWithoutWaitingForThePeriodicRound()
      throws InterruptedException {
    RocksMessageQueue.Settings settings = RocksMessageQueue.Settings.defaults()
        .withRetention(Duration.ofMillis(200), 0).withRetentionInterval(Duration.ofHours(1));
    try (RocksMessageQueue mq = RocksMessageQueue.open(dir, settings)) {
      mq.createChannel("ch");
      List<Long> ids = mq.produce("ch", MessageQueueContractTest.payloads("a", "b"));
      mq.createConsumerGroup("g", "ch");
      mq.consume("g", "ch", 10);
      // Asked for at once (as after a flush): both are consumed but still inside the window, so
      // this round deletes nothing and sets the next one for when the oldest leaves the window.
      mq.retainSoon();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (mq.beginId("ch") <= ids.getLast()) {
        assertTrue(System.nanoTime() < deadline, "the consumed messages were never deleted");
        Thread.sleep(20);
      }
      assertEquals(0, mq.channelStats().get(0).messageCount());
    }
  }

  @Test
  void groupPositionsListEveryGroupOfTheChannelOnly() {
    try (RocksMessageQueue mq = openWith(null, 0)) {
      mq.createChannel("x");
      mq.createChannel("xy");
      mq.savePosition("g", "x", 3);
      mq.savePosition("g", "xy", 4);
      mq.savePosition("h", "x", 5);
      assertEquals(Map.of("g", 3L, "h", 5L), mq.positions("x"));
      assertEquals(Map.of("g", 4L), mq.positions("xy"));
    }
  }

  /**
   * A full disk, simulated with RocksDB's own space limit: once a flush finds the limit reached,
   * produce fails with a StorageException, and what was acknowledged before is all there, once.
   */
  @Test
  void produceFailsCleanlyWhenTheDiskIsFull() {
    byte[] payload = new byte[1024];
    List<Long> acknowledged = new ArrayList<>();
    StorageException failure = null;
    try (RocksMessageQueue mq =
        RocksMessageQueue.open(dir, RocksMessageQueue.Settings.defaults().withMaxDiskBytes(512 << 10))) {
      mq.createChannel("ch");
      for (int i = 0; i < 20_000 && failure == null; i++) {
        try {
          acknowledged.addAll(mq.produce("ch", List.of(payload, payload, payload, payload)));
        } catch (StorageException e) {
          failure = e;
        }
      }
      assertTrue(failure != null, "the space limit was never reached");
      assertTrue(failure.getMessage().contains("produce to ch"), failure.getMessage());
      StorageException again =
          assertThrows(StorageException.class, () -> mq.produce("ch", List.of(payload)));
      assertTrue(again.getCause() != null, "the cause names RocksDB's error");
    }
    try (RocksMessageQueue mq = RocksMessageQueue.open(dir)) {
      List<Message> stored = mq.read("ch", -1, Integer.MAX_VALUE);
      List<Long> ids = stored.stream().map(Message::id).toList();
      assertEquals(acknowledged, ids.subList(0, acknowledged.size()), "acknowledged ids, once, in order");
      assertTrue(stored.size() - acknowledged.size() <= 4, "at most the failed batch is extra");
      assertTrue(stored.stream().allMatch(m -> Arrays.equals(payload, m.payload())));
      List<Long> after = mq.produce("ch", List.of(payload));
      assertTrue(after.get(0) > ids.getLast(), "ids keep increasing once space is back");
    }
  }
}
