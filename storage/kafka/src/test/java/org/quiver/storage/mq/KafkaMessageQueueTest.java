package org.quiver.storage.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalKafka;
import org.quiver.storage.StorageException;
import org.quiver.storage.kv.EtcdKvStore;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.RocksKvStore;

/**
 * The message queue contract against a real Kafka broker started once for this class, plus what
 * is particular to Kafka: topic names, a killed broker, retention and clean shutdown.
 *
 * <p>Each test's temporary directory holds the KV store (channels and positions) and names the
 * topic namespace, so reopening the directory sees the same log and tests do not see each other.
 */
class KafkaMessageQueueTest extends MessageQueueContractTest {
  private static LocalKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = LocalKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static KafkaMessageQueue.Settings settings(String bootstrap, Path dir) {
    String namespace = "t" + dir.getFileName().toString().replaceAll("[^A-Za-z0-9]", "");
    return KafkaMessageQueue.Settings.defaults(bootstrap)
        .withNamespace(namespace)
        .withTimeout(Duration.ofSeconds(10));
  }

  @Override
  protected MessageQueue open(Path dir) {
    return open(settings(kafka.bootstrapServers(), dir), dir);
  }

  /** A queue on a KV store in {@code dir} that closes the store when it closes. */
  private static MessageQueue open(KafkaMessageQueue.Settings settings, Path dir) {
    KvStore kv = RocksKvStore.open(dir.resolve("kv"));
    KafkaMessageQueue mq;
    try {
      mq = new KafkaMessageQueue(settings, kv);
    } catch (RuntimeException e) {
      kv.close();
      throw e;
    }
    AtomicBoolean closed = new AtomicBoolean();
    return (MessageQueue)
        Proxy.newProxyInstance(
            MessageQueue.class.getClassLoader(),
            new Class<?>[] {MessageQueue.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(mq, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if (method.getName().equals("close") && closed.compareAndSet(false, true)) {
                  kv.close();
                }
              }
            });
  }

  @Test
  void channelNamesMapToLegalDistinctTopicNames() {
    assertEquals("ns-dml_5f0-3", KafkaMessageQueue.topicName("ns", "dml_0", 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaMessageQueue.Settings.defaults("localhost:9092").withNamespace("a-b"),
        "namespace a with channel b-x and namespace a-b with channel x would share a topic");
    assertEquals("ns-by-dev-rootcoord-0", KafkaMessageQueue.topicName("ns", "by-dev-rootcoord", 0));
    String dot = KafkaMessageQueue.topicName("ns", "a.b", 0);
    String underscore = KafkaMessageQueue.topicName("ns", "a_b", 0);
    assertEquals("ns-a_2eb-0", dot);
    assertEquals("ns-a_5fb-0", underscore);
    String accented = KafkaMessageQueue.topicName("ns", "ch\u00e9 1", 0);
    assertEquals("ns-ch_c3_a9_201-0", accented);
    for (String topic : List.of(dot, underscore, accented)) {
      assertTrue(topic.matches("[A-Za-z0-9_-]+"), topic);
    }

    try (MessageQueue mq = open(dir)) {
      mq.createChannel("a.b");
      mq.createChannel("a_b");
      mq.createChannel("ch\u00e9 1");
      mq.produce("a.b", payloads("dot"));
      mq.produce("a_b", payloads("underscore"));
      mq.produce("ch\u00e9 1", payloads("accent"));
      assertEquals(List.of("dot"), texts(mq.read("a.b", -1, 10)));
      assertEquals(List.of("underscore"), texts(mq.read("a_b", -1, 10)));
      assertEquals(List.of("accent"), texts(mq.read("ch\u00e9 1", -1, 10)));
      assertEquals(List.of(), mq.read("a.b", Long.MAX_VALUE, 10), "nothing after the largest id");
      assertEquals(List.of(), mq.read("a.b", Long.MAX_VALUE - 1, Integer.MAX_VALUE));
      IllegalArgumentException tooLong =
          assertThrows(IllegalArgumentException.class, () -> mq.createChannel("x".repeat(250)));
      assertTrue(tooLong.getMessage().contains("too long"), tooLong.getMessage());
      assertFalse(mq.hasChannel("x".repeat(250)));
      assertThrows(IllegalArgumentException.class, () -> mq.createChannel("a/b"));
    }
  }

  /**
   * The broker dies: produce must fail with an exception that says what failed within the
   * configured bound and never return ids, both on a queue whose producer knows the topic's
   * leader (delivery.timeout.ms) and on one that never produced (max.block.ms waiting for
   * metadata, then the delivery timeout). Once the broker is back, what was acknowledged before is
   * all there (the single replica fsyncs before it acknowledges) and produce works again.
   */
  @Test
  void produceFailsClearlyWithinTheTimeoutWhileTheBrokerIsDown() {
    Duration timeout = Duration.ofSeconds(2);
    KafkaMessageQueue.Settings settings =
        settings(kafka.bootstrapServers(), dir).withTimeout(timeout);
    try (KvStore kv = RocksKvStore.open(dir.resolve("kv"));
        KafkaMessageQueue mq = new KafkaMessageQueue(settings, kv);
        KafkaMessageQueue cold = new KafkaMessageQueue(settings, kv)) {
      mq.createChannel("ch");
      List<Long> acknowledged = mq.produce("ch", payloads("a", "b"));
      kafka.kill();
      try {
        for (KafkaMessageQueue queue : List.of(mq, mq, cold)) {
          long start = System.nanoTime();
          StorageException e =
              assertThrows(StorageException.class, () -> queue.produce("ch", payloads("lost")));
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          assertTrue(e.getMessage().contains("did not acknowledge produce to ch"), e.getMessage());
          assertTrue(
              took.compareTo(timeout.multipliedBy(2).plusSeconds(2)) < 0,
              "produce took " + took + " to fail with a timeout of " + timeout);
        }
      } finally {
        kafka.restart();
      }
      assertEquals(List.of("a", "b"), texts(mq.read("ch", -1, 10)));
      assertEquals(acknowledged, ids(mq.read("ch", -1, 10)));
      List<Long> after = mq.produce("ch", payloads("c"));
      assertTrue(after.get(0) > acknowledged.getLast(), "ids keep increasing: " + after);
      assertEquals(
          List.of("a", "b", "c"), texts(mq.read("ch", -1, 10)), "the failed produces wrote nothing");
    }
  }

  /** Every id produce returned, from concurrent callers, is there after a close and a reopen. */
  @Test
  void aReopenedQueueSeesEveryAcknowledgedMessage() throws Exception {
    List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
    List<String> sentTexts = Collections.synchronizedList(new ArrayList<>());
    try (MessageQueue mq = open(dir)) {
      mq.createChannel("ch");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < 100; i++) {
              List<String> batch = List.of(thread + ":" + i + "a", thread + ":" + i + "b");
              List<Long> ids =
                  mq.produce("ch", batch.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
              assertEquals(2, ids.size());
              assertTrue(ids.get(1) > ids.get(0));
              acknowledged.addAll(ids);
              sentTexts.addAll(batch);
            }
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }
    try (MessageQueue mq = open(dir)) {
      List<Message> all = mq.read("ch", -1, Integer.MAX_VALUE);
      List<Long> sorted = new ArrayList<>(acknowledged);
      Collections.sort(sorted);
      assertEquals(sorted, ids(all), "every acknowledged id once, in order");
      assertEquals(
          new java.util.TreeSet<>(sentTexts), new java.util.TreeSet<>(texts(all)));
      assertEquals(800, all.size());
      assertEquals(sorted.getLast(), mq.lastId("ch"));
    }
  }

  /**
   * Kafka's own retention deletes old messages whether consumed or not; reading, seeking or
   * saving a position below what is left throws OutOfRetentionException, as the contract says.
   */
  @Test
  void readsBelowWhatKafkaRetentionDeletedFailClearly() throws InterruptedException {
    try (MessageQueue mq =
        open(settings(kafka.bootstrapServers(), dir).withRetention(Duration.ofMillis(200)), dir)) {
      mq.createChannel("ch");
      List<Long> old = mq.produce("ch", payloads("o1", "o2", "o3"));
      mq.createConsumerGroup("g", "ch");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (mq.beginId("ch") <= old.getLast()) {
        assertTrue(System.nanoTime() < deadline, "Kafka never applied the retention");
        Thread.sleep(100);
      }
      long begin = mq.beginId("ch");
      assertEquals(old.getLast() + 1, begin);
      assertEquals(old.getLast(), mq.lastId("ch"), "ids are never reused");
      OutOfRetentionException read =
          assertThrows(OutOfRetentionException.class, () -> mq.read("ch", -1, 10));
      assertEquals(begin, read.beginId());
      assertTrue(read.getMessage().contains("retention"), read.getMessage());
      assertThrows(OutOfRetentionException.class, () -> mq.consume("g", "ch", 10));
      assertThrows(OutOfRetentionException.class, () -> mq.seek("g", "ch", old.get(0)));
      assertThrows(OutOfRetentionException.class, () -> mq.savePosition("g", "ch", old.get(0)));
      assertTrue(mq.read("ch", old.getLast(), 10).isEmpty());
      mq.seek("g", "ch", begin);
      List<Long> fresh = mq.produce("ch", payloads("n1"));
      assertEquals(begin, fresh.get(0));
      assertEquals(List.of("n1"), texts(mq.consume("g", "ch", 10)));
      ChannelStats stats = mq.channelStats().getFirst();
      assertEquals(begin, stats.beginId());
    }
  }

  /**
   * As in the cluster: positions live in etcd, under the namespace, and Kafka's group coordinator
   * knows no group; a second queue on the same etcd and broker sees the same channels and
   * positions.
   */
  @Test
  void positionsLiveInTheKvStoreNotInKafka() throws Exception {
    KafkaMessageQueue.Settings settings = settings(kafka.bootstrapServers(), dir);
    try (LocalEtcd etcd = LocalEtcd.start();
        KvStore kv = EtcdKvStore.connect(List.of(etcd.endpoint()), "cluster/")) {
      List<Long> ids;
      try (KafkaMessageQueue mq = new KafkaMessageQueue(settings, kv)) {
        mq.createChannel("dml_0");
        ids = mq.produce("dml_0", payloads("1", "2", "3"));
        mq.createConsumerGroup("datanode", "dml_0");
        assertEquals(List.of("1", "2"), texts(mq.consume("datanode", "dml_0", 2)));
      }
      String prefix = "mq/" + settings.namespace() + "/";
      assertEquals(
          ids.get(1),
          ByteBuffer.wrap(kv.get(prefix + "position/dml_0/datanode")).getLong());
      assertEquals(
          KafkaMessageQueue.topicName(settings.namespace(), "dml_0", 0),
          new String(kv.get(prefix + "channel/dml_0"), StandardCharsets.UTF_8));
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertEquals(List.of(), List.copyOf(admin.listGroups().all().get()));
      }
      try (KafkaMessageQueue again = new KafkaMessageQueue(settings, kv)) {
        assertEquals(Map.of("datanode", ids.get(1)), again.positions("dml_0"));
        assertEquals(List.of("3"), texts(again.consume("datanode", "dml_0", 10)));
      }
    }
  }

  /** Close stops every client thread the queue started; a closed queue refuses work. */
  @Test
  void closeStopsTheClientThreadsAndRefusesWork() {
    KafkaMessageQueue.Settings settings =
        settings(kafka.bootstrapServers(), dir).withNamespace("threads" + System.nanoTime());
    MessageQueue mq = open(settings, dir);
    mq.createChannel("ch");
    mq.produce("ch", payloads("x"));
    assertEquals(List.of("x"), texts(mq.read("ch", -1, 10)));
    assertFalse(clientThreads(settings.namespace()).isEmpty(), "the clients run threads");
    mq.close();
    assertEquals(List.of(), clientThreads(settings.namespace()));
    assertThrows(IllegalStateException.class, () -> mq.hasChannel("ch"));
    assertThrows(IllegalStateException.class, () -> mq.produce("ch", payloads("y")));
    mq.close();
  }

  private static List<String> clientThreads(String namespace) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.contains("quiver-mq-" + namespace + "-"))
        .toList();
  }
}
