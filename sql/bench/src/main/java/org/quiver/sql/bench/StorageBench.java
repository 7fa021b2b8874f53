package org.quiver.sql.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.quiver.fixtures.LocalEtcd;
import org.quiver.fixtures.LocalKafka;
import org.quiver.storage.FileTrees;
import org.quiver.storage.kv.EtcdKvStore;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.KafkaMessageQueue;
import org.quiver.storage.mq.Message;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.mq.RocksMessageQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the storage layer and prints CSV: durable produce throughput of 1 KB messages with 1, 4
 * and 16 producers (each call one message, acknowledged after its fsync), the speed-up group commit
 * gives over one sync per message, consume throughput of a consumer group, on RocksMQ and on a
 * Kafka broker on this machine (one replica, fsync before acknowledging), and the latency of a KV
 * transaction (multiSave of three keys) on RocksDB and on etcd.
 *
 * <p>The data goes to a temporary directory under {@code --dir}, removed at the end. etcd is
 * started from {@code /usr/bin/etcd} when it is installed; otherwise its row says it was skipped.
 */
@Command(name = "storage", description = "The log's durable produce (1, 4 and 16 producers) and "
    + "consume on RocksMQ and Kafka, and KV transactions on RocksDB and etcd.")
public final class StorageBench implements Callable<Integer> {
  private static final int MESSAGE_BYTES = 1024;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
      description = "where the temporary data directory goes")
  private Path base;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
      description = "measuring time per producer count")
  private double seconds;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory(base, "quiver-bench-");
    System.out.println("bench,target,threads,ops,seconds,ops_per_s,mb_per_s,syncs_per_op,"
        + "p50_us,p99_us,speedup_vs_1");
    try {
      try (RocksMessageQueue mq = RocksMessageQueue.open(dir.resolve("mq"))) {
        produceAndConsume("rocksmq", mq, mq::syncCount, seconds);
      }
      try (LocalKafka kafka = LocalKafka.start();
          RocksKvStore positions = RocksKvStore.open(dir.resolve("kafka-positions"));
          KafkaMessageQueue mq = new KafkaMessageQueue(
              KafkaMessageQueue.Settings.defaults(kafka.bootstrapServers()), positions)) {
        produceAndConsume("kafka", mq, null, seconds);
      }
      try (RocksKvStore kv = RocksKvStore.open(dir.resolve("kv"))) {
        kvLatency("rocksdb", kv, 1_000);
      }
      if (Files.isExecutable(LocalEtcd.binary())) {
        try (LocalEtcd etcd = LocalEtcd.start();
            EtcdKvStore kv = EtcdKvStore.connect(List.of(etcd.endpoint()), "bench/")) {
          kvLatency("etcd", kv, 300);
        }
      } else {
        System.out.println("kv_txn,etcd,1,0,0,,,,,,skipped: no " + LocalEtcd.binary());
      }
    } finally {
      FileTrees.deleteRecursively(dir);
    }
    return 0;
  }

  /**
   * Durable produce with 1, 4 and 16 producers, then one consumer group reading it all back.
   *
   * @param syncs the log's count of synced writes (RocksMQ's), or null where the log does not
   *     say (Kafka: its broker fsyncs each acknowledged batch of a single-replica topic)
   */
  private static void produceAndConsume(String target, MessageQueue mq, LongSupplier syncs,
      double seconds) throws InterruptedException {
    byte[] payload = new byte[MESSAGE_BYTES];
    Arrays.fill(payload, (byte) 'x');
    double single = 0;
    for (int producers : new int[] {1, 4, 16}) {
      String channel = "bench_" + producers;
      mq.createChannel(channel);
      produce(mq, channel, payload, producers, 0.5);
      long syncsBefore = syncs == null ? 0 : syncs.getAsLong();
      long[] result = produce(mq, channel, payload, producers, seconds);
      long count = result[0];
      double secs = result[1] / 1e9;
      double rate = count / secs;
      if (producers == 1) {
        single = rate;
      }
      String syncsPerOp = syncs == null ? ""
          : String.format("%.3f", (syncs.getAsLong() - syncsBefore) / (double) count);
      System.out.printf("produce_1kb,%s,%d,%d,%.2f,%.0f,%.1f,%s,,,%.2f%n", target, producers,
          count, secs, rate, rate * MESSAGE_BYTES / 1e6, syncsPerOp, rate / single);
    }
    String channel = "bench_16";
    mq.createConsumerGroup("bench", channel);
    long start = System.nanoTime();
    long consumed = 0;
    List<Message> batch;
    while (!(batch = mq.consume("bench", channel, 1_000)).isEmpty()) {
      consumed += batch.size();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("consume_1kb,%s,1,%d,%.2f,%.0f,%.1f,,,,%n", target, consumed, secs,
        consumed / secs, consumed * MESSAGE_BYTES / secs / 1e6);
  }

  /** Runs producers for about {@code seconds}; returns {messages, elapsed nanos}. */
  private static long[] produce(MessageQueue mq, String channel, byte[] payload, int producers,
      double seconds) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong count = new AtomicLong();
    CountDownLatch done = new CountDownLatch(producers);
    List<byte[]> one = List.of(payload);
    long start = System.nanoTime();
    for (int p = 0; p < producers; p++) {
      Thread.ofPlatform().daemon().start(() -> {
        while (!stop.get()) {
          mq.produce(channel, one);
          count.incrementAndGet();
        }
        done.countDown();
      });
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    done.await();
    return new long[] {count.get(), System.nanoTime() - start};
  }

  private static void kvLatency(String target, KvStore kv, int transactions) {
    byte[] value = new byte[100];
    long[] nanos = new long[transactions];
    for (int i = -transactions / 10; i < transactions; i++) {
      Map<String, byte[]> puts = Map.of(
          "collection/" + i, value, "segment/" + i + "/1", value, "checkpoint/ch", value);
      long t = System.nanoTime();
      kv.multiSave(puts, List.of());
      if (i >= 0) {
        nanos[i] = System.nanoTime() - t;
      }
    }
    Arrays.sort(nanos);
    double total = Arrays.stream(nanos).sum() / 1e9;
    System.out.printf("kv_txn,%s,1,%d,%.2f,%.0f,,1.000,%.0f,%.0f,%n", target, transactions, total,
        transactions / total, nanos[transactions / 2] / 1e3, nanos[transactions * 99 / 100] / 1e3);
  }

}
