package org.quiver.storage.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link MessageQueue} must show; each implementation extends it. */
public abstract class MessageQueueContractTest {

  @TempDir Path dir;

  /** Opens the queue kept under {@code dir}; reopening the same directory must see the same log. */
  protected abstract MessageQueue open(Path dir);

  static List<byte[]> payloads(String... texts) {
    List<byte[]> list = new ArrayList<>();
    for (String t : texts) {
      list.add(t.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }

  static List<String> texts(List<Message> messages) {
    return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
  }

  static List<Long> ids(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }

  @Test
  void idsIncreaseAndReadsStartAfterAnId() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("dml_0");
      assertTrue(mq.hasChannel("dml_0"));
      assertEquals(-1, mq.lastId("dml_0"));
      List<Long> first = mq.produce("dml_0", payloads("a", "b", "c"));
      List<Long> second = mq.produce("dml_0", payloads("d"));
      assertEquals(4, first.size() + second.size());
      List<Long> all = new ArrayList<>(first);
      all.addAll(second);
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i) > all.get(i - 1), "ids must increase: " + all);
      }
      assertEquals(all.get(3), mq.lastId("dml_0"));

      List<Message> everything = mq.read("dml_0", -1, 100);
      assertEquals(List.of("a", "b", "c", "d"), texts(everything));
      assertEquals(all, ids(everything));
      assertEquals(List.of("c", "d"), texts(mq.read("dml_0", all.get(1), 100)));
      assertEquals(List.of("b"), texts(mq.read("dml_0", all.get(0), 1)));
      assertTrue(mq.read("dml_0", all.get(3), 100).isEmpty());
      assertTrue(mq.read("dml_0", -1, 0).isEmpty());
      assertEquals(List.of(), mq.produce("dml_0", List.of()));
    }
  }

  @Test
  void channelsAreIndependent() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("c");
      mq.createChannel("c2");
      mq.createChannel("b");
      mq.produce("c", payloads("c-1", "c-2"));
      mq.produce("c2", payloads("c2-1"));
      mq.produce("b", payloads("b-1"));
      assertEquals(List.of("c-1", "c-2"), texts(mq.read("c", -1, 10)));
      assertEquals(List.of("c2-1"), texts(mq.read("c2", -1, 10)));
      assertEquals(List.of("b-1"), texts(mq.read("b", -1, 10)));
    }
  }

  @Test
  void reopenKeepsMessagesAndNeverReusesIds() {
    List<Long> before;
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      before = mq.produce("ch", payloads("1", "2", "3"));
      mq.savePosition("querynode-1", "ch", before.get(1));
    }
    try (MessageQueue mq = open(dir)) {
      assertTrue(mq.hasChannel("ch"));
      assertEquals(before.get(2), mq.lastId("ch"));
      assertEquals(before.get(1), mq.position("querynode-1", "ch"));
      List<Long> after = mq.produce("ch", payloads("4"));
      assertTrue(after.get(0) > before.get(2), "id " + after + " reused after " + before);
      assertEquals(List.of("1", "2", "3", "4"), texts(mq.read("ch", -1, 10)));
    }
  }

  @Test
  void groupPositionsArePerGroupAndChannel() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("x");
      mq.createChannel("y");
      assertEquals(-1, mq.position("g1", "x"));
      mq.savePosition("g1", "x", 5);
      mq.savePosition("g2", "x", 7);
      mq.savePosition("g1", "y", 9);
      mq.savePosition("g1", "x", 6);
      assertEquals(6, mq.position("g1", "x"));
      assertEquals(7, mq.position("g2", "x"));
      assertEquals(9, mq.position("g1", "y"));
    }
  }

  @Test
  void destroyChannelRemovesMessagesMetaAndPositions() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("gone");
      mq.createChannel("gone2");
      mq.produce("gone", payloads("1", "2"));
      mq.produce("gone2", payloads("keep"));
      mq.savePosition("g", "gone", 1);
      mq.savePosition("g", "gone2", 0);
      mq.destroyChannel("gone");
      assertFalse(mq.hasChannel("gone"));
      assertThrows(IllegalArgumentException.class, () -> mq.read("gone", -1, 10));
      assertEquals(-1, mq.position("g", "gone"));
      assertEquals(0, mq.position("g", "gone2"));
      assertEquals(List.of("keep"), texts(mq.read("gone2", -1, 10)));
      mq.destroyChannel("gone");

      mq.createChannel("gone");
      assertEquals(-1, mq.lastId("gone"));
      assertTrue(mq.read("gone", -1, 10).isEmpty());
    }
    try (MessageQueue mq = open(dir)) {
      assertTrue(mq.read("gone", -1, 10).isEmpty());
      assertEquals(-1, mq.position("g", "gone"));
    }
  }

  @Test
  void produceToAnUnknownChannelFails() {
    try (MessageQueue mq = open(dir)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> mq.produce("nope", payloads("x")));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
  }

  @Test
  void concurrentProducersKeepEveryMessageOnceInOrder() throws Exception {
    int threads = 8;
    int perThread = 500;
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("even");
      mq.createChannel("odd");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          String channel = t % 2 == 0 ? "even" : "odd";
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      mq.produce(channel, payloads(thread + ":" + i));
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      Map<Integer, Integer> next = new HashMap<>();
      for (String channel : List.of("even", "odd")) {
        List<Message> messages = mq.read(channel, -1, Integer.MAX_VALUE);
        assertEquals(threads / 2 * perThread, messages.size(), channel);
        for (int i = 1; i < messages.size(); i++) {
          assertTrue(messages.get(i).id() > messages.get(i - 1).id(), "ids not increasing");
        }
        for (String text : texts(messages)) {
          int thread = Integer.parseInt(text.substring(0, text.indexOf(':')));
          int seq = Integer.parseInt(text.substring(text.indexOf(':') + 1));
          int expected = next.getOrDefault(thread, 0);
          assertEquals(expected, seq, "thread " + thread + " out of order in " + channel);
          next.put(thread, expected + 1);
        }
      }
      for (int t = 0; t < threads; t++) {
        assertEquals(perThread, next.get(t), "messages of thread " + t);
      }
      afterConcurrentProduce(mq, threads * perThread);
    }
  }

  @Test
  void beginAndEndIdsFrameTheChannel() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      assertEquals(0, mq.beginId("ch"));
      assertEquals(0, mq.endId("ch"));
      List<Long> ids = mq.produce("ch", payloads("a", "b"));
      assertEquals(0, mq.beginId("ch"), "nothing was deleted");
      assertEquals(ids.get(1) + 1, mq.endId("ch"));
    }
  }

  @Test
  void consumerGroupsConsumeInOrderEachFromItsOwnPosition() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      List<Long> ids = mq.produce("ch", payloads("1", "2", "3", "4", "5"));
      mq.createConsumerGroup("datanode", "ch");
      mq.createConsumerGroup("querynode", "ch");
      assertEquals(-1, mq.position("datanode", "ch"));
      assertEquals(List.of("1", "2"), texts(mq.consume("datanode", "ch", 2)));
      assertEquals(ids.get(1), mq.position("datanode", "ch"));
      assertEquals(List.of("3", "4", "5"), texts(mq.consume("datanode", "ch", 10)));
      assertTrue(mq.consume("datanode", "ch", 10).isEmpty());
      assertEquals(List.of("1"), texts(mq.consume("querynode", "ch", 1)));
      assertEquals(
          Map.of("datanode", ids.get(4), "querynode", ids.get(0)), mq.positions("ch"));

      mq.createConsumerGroup("datanode", "ch");
      assertEquals(ids.get(4), mq.position("datanode", "ch"), "creating again keeps the position");
      mq.produce("ch", payloads("6"));
      assertEquals(List.of("6"), texts(mq.consume("datanode", "ch", 10)));
      assertTrue(mq.consume("datanode", "ch", 0).isEmpty());
    }
  }

  @Test
  void consumerGroupsNeedToExistAndCanBeDestroyed() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      mq.produce("ch", payloads("x"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> mq.consume("ghost", "ch", 1));
      assertTrue(e.getMessage().contains("ghost"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> mq.createConsumerGroup("g", "nope"));
      mq.createConsumerGroup("g", "ch");
      mq.consume("g", "ch", 1);
      mq.destroyConsumerGroup("g", "ch");
      assertEquals(-1, mq.position("g", "ch"));
      assertEquals(Map.of(), mq.positions("ch"));
      assertThrows(IllegalArgumentException.class, () -> mq.consume("g", "ch", 1));
      mq.destroyConsumerGroup("g", "ch");
    }
  }

  @Test
  void seekMovesAGroupToAnIdWithinTheChannel() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      List<Long> ids = mq.produce("ch", payloads("a", "b", "c", "d"));
      mq.createConsumerGroup("g", "ch");
      mq.consume("g", "ch", 10);
      mq.seek("g", "ch", ids.get(1));
      assertEquals(List.of("b", "c"), texts(mq.consume("g", "ch", 2)));
      mq.seek("g", "ch", 0);
      assertEquals(List.of("a"), texts(mq.consume("g", "ch", 1)), "seek to the beginning");
      mq.seek("g", "ch", mq.endId("ch"));
      assertTrue(mq.consume("g", "ch", 10).isEmpty(), "seek to the end");
      mq.seek("g", "ch", ids.get(3));
      assertEquals(List.of("d"), texts(mq.consume("g", "ch", 10)));
      IllegalArgumentException past =
          assertThrows(IllegalArgumentException.class, () -> mq.seek("g", "ch", mq.endId("ch") + 1));
      assertTrue(past.getMessage().contains("end"), past.getMessage());
      assertThrows(IllegalArgumentException.class, () -> mq.seek("nobody", "ch", 0));
    }
  }

  @Test
  void groupPositionsSurviveReopen() {
    List<Long> ids;
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      ids = mq.produce("ch", payloads("1", "2", "3"));
      mq.createConsumerGroup("g", "ch");
      mq.consume("g", "ch", 2);
    }
    try (MessageQueue mq = open(dir)) {
      assertEquals(Map.of("g", ids.get(1)), mq.positions("ch"));
      assertEquals(List.of("3"), texts(mq.consume("g", "ch", 10)));
    }
  }

  @Test
  void channelStatsCountWhatIsRetained() {
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("b");
      mq.createChannel("a");
      List<Long> ids = mq.produce("a", payloads("x".repeat(100), "y".repeat(50)));
      List<ChannelStats> stats = mq.channelStats();
      assertEquals(List.of("a", "b"), stats.stream().map(ChannelStats::channel).toList());
      ChannelStats a = stats.get(0);
      assertEquals(2, a.messageCount());
      assertTrue(a.retainedBytes() >= 150, "bytes " + a.retainedBytes());
      assertTrue(a.diskBytes() >= 0, "disk bytes " + a.diskBytes());
      assertEquals(ids.get(0), a.oldestRetainedId());
      assertEquals(ids.get(1), a.lastId());
      ChannelStats b = stats.get(1);
      assertEquals(new ChannelStats("b", 0, 0, b.diskBytes(), -1, 0, -1), b);
    }
    try (MessageQueue mq = open(dir)) {
      assertEquals(2, mq.channelStats().get(0).messageCount(), "stats survive reopen");
    }
  }

  @Test
  void concurrentConsumersOfOneGroupShareTheMessagesWithoutOverlap() throws Exception {
    int total = 2_000;
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      List<byte[]> all = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        all.add(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
      }
      mq.produce("ch", all);
      mq.createConsumerGroup("g", "ch");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      Set<String> seen = new TreeSet<>();
      int received = 0;
      try {
        List<Callable<List<String>>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          jobs.add(() -> {
            List<String> mine = new ArrayList<>();
            List<Message> batch;
            while (!(batch = mq.consume("g", "ch", 7)).isEmpty()) {
              mine.addAll(texts(batch));
            }
            return mine;
          });
        }
        for (Future<List<String>> f : pool.invokeAll(jobs)) {
          List<String> mine = f.get();
          received += mine.size();
          seen.addAll(mine);
        }
      } finally {
        pool.shutdown();
      }
      assertEquals(total, received, "a message was delivered twice or lost");
      assertEquals(total, seen.size());
    }
  }

  /** Lets an implementation check more after {@code produceCalls} concurrent produce calls. */
  protected void afterConcurrentProduce(MessageQueue mq, int produceCalls) {}
}
