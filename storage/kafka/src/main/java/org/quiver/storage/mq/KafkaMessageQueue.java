package org.quiver.storage.mq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.quiver.storage.StorageException;
import org.quiver.storage.kv.KvStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable log on Apache Kafka, for a cluster: one topic per channel, message id = Kafka offset,
 * consumer-group positions in a {@link KvStore}.
 *
 * <h2>Channels and topics</h2>
 *
 * <p>A channel is one topic with a single partition, so that offsets (the message ids) are one
 * total order per channel, as the contract asks. The topic's name is {@code
 * <namespace>-<encoded channel>-<generation>}:
 *
 * <ul>
 *   <li>the namespace (ASCII letters and digits only, so the first '-' ends it and two namespaces
 *       never make the same topic name) separates engines or tests sharing a broker;
 *   <li>the channel name keeps ASCII letters, digits and '-' and spells every other UTF-8 byte as
 *       {@code _} and two lower-case hex digits ({@code dml_0} is {@code dml_5f0}), so any name
 *       gives a legal topic name, two names never give the same one, and no topic name has a '.':
 *       Kafka refuses topics whose names differ only by '.' against '_' (their metrics collide);
 *   <li>the generation is a counter in the KV store that grows with every channel creation.
 *       Kafka deletes topics asynchronously, so a channel destroyed and created again gets a new
 *       topic rather than racing the deletion of the old one under the same name.
 * </ul>
 *
 * <p>The mapping from channel to topic is stored in the KV store ({@code
 * <kvPrefix>channel/<channel>}), which is the authority on which channels exist; a topic name
 * longer than Kafka's 249 characters is refused at creation.
 *
 * <h2>Producing</h2>
 *
 * <p>One shared, idempotent producer with {@code acks=all}: {@link #produce} returns the offsets
 * of the acknowledged records, only after every record of the call is acknowledged by the
 * in-sync replicas. The idempotent producer keeps each call's records in order and never
 * writes one twice on a retry. Topics get {@code min.insync.replicas} = replicas − 1 (at least 1),
 * so an acknowledged write is on at least two brokers when there are three. With a single replica
 * replication cannot make a write durable, so such topics get {@code flush.messages=1}: the broker
 * fsyncs before it acknowledges, as RocksMQ does. When the brokers are unreachable, produce fails
 * with a {@link StorageException} that says so, never with ids: within {@link Settings#timeout}
 * when the producer knows the topic's leader (a record expires after {@code delivery.timeout.ms}),
 * and within twice that at worst (first {@code max.block.ms} waiting for metadata). A failed call
 * may still have written some of its records; a caller that retries may store them twice.
 *
 * <h2>Reading</h2>
 *
 * <p>Reads use a small fixed pool of consumers ({@link Settings#consumers}), each assigned to the
 * one partition and seeked for the call, never subscribed: there is no Kafka consumer group and no
 * rebalancing. {@link #beginId} is the partition's log start offset and {@link #lastId} its end
 * offset (high watermark) − 1, so only acknowledged messages are visible.
 *
 * <h2>Consumer groups</h2>
 *
 * <p>Positions live in the KV store ({@code <kvPrefix>position/<channel>/<group>}), not in Kafka's
 * group coordinator: in the cluster the KV store is etcd, and a node's positions must be written in
 * the same atomic step as its catalog. Concurrent consumes of one group in this process are
 * serialized per group; two processes consuming the same group are not coordinated.
 *
 * <h2>Retention</h2>
 *
 * <p>Kafka's own: {@link Settings#retention} becomes the topic's {@code retention.ms} at creation.
 * Unlike RocksMQ, Kafka deletes by age (and by size if the broker's default
 * {@code retention.bytes} says so) whether or not every group consumed the messages;
 * reading, seeking or saving a position below the retained range then throws {@link
 * OutOfRetentionException}.
 */
public final class KafkaMessageQueue implements MessageQueue {
  /**
   * The largest message the log takes: Kafka's topic and producer limits are raised to it from
   * their default of 1 MB, because the engine writes one statement's rows for a channel as one
   * message (a batch of 1,000 rows of 768 dimensions is 3 MB). A larger message fails to produce,
   * saying so; it is never split, which would make the statement's write non-atomic.
   */
  public static final int MAX_MESSAGE_BYTES = 32 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(KafkaMessageQueue.class);
  /** Kafka's longest topic name. */
  static final int MAX_TOPIC_LENGTH = 249;
  private static final int PARTITION = 0;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /**
   * How to reach Kafka and how to make topics.
   *
   * @param bootstrapServers the brokers, {@code host:port,host:port}
   * @param namespace the first part of every topic name and of every KV key, so that engines or
   *     tests can share a broker and a KV store; ASCII letters and digits
   * @param replicationFactor replicas of every new topic; 0 means min(3, brokers in the cluster)
   * @param retention how long Kafka keeps a message ({@code retention.ms}); null leaves the
   *     broker's default
   * @param timeout the bound on one call's wait for the brokers: a produce that is not
   *     acknowledged fails after this long (twice this at worst, see the class comment), and so do
   *     reads and topic changes
   * @param consumers the size of the consumer pool that serves reads
   */
  public record Settings(
      String bootstrapServers,
      String namespace,
      int replicationFactor,
      Duration retention,
      Duration timeout,
      int consumers) {
    public Settings {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(timeout, "timeout");
      if (namespace.isEmpty()
          || !namespace.chars().allMatch(c -> c != '-' && KafkaMessageQueue.plain(c))) {
        throw new IllegalArgumentException(
            "namespace must be ASCII letters and digits, got '" + namespace + "'");
      }
      if (replicationFactor < 0 || replicationFactor > Short.MAX_VALUE) {
        throw new IllegalArgumentException("replication factor " + replicationFactor);
      }
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException("timeout below 100 ms: " + timeout);
      }
      if (consumers < 1) {
        throw new IllegalArgumentException("consumers must be at least 1, got " + consumers);
      }
    }

    /** Namespace {@code quiver}, replicas min(3, brokers), the broker's retention, 30 s, 4 consumers. */
    public static Settings defaults(String bootstrapServers) {
      return new Settings(bootstrapServers, "quiver", 0, null, Duration.ofSeconds(30), 4);
    }

    public Settings withNamespace(String value) {
      return new Settings(bootstrapServers, value, replicationFactor, retention, timeout, consumers);
    }

    public Settings withReplicationFactor(int value) {
      return new Settings(bootstrapServers, namespace, value, retention, timeout, consumers);
    }

    public Settings withRetention(Duration value) {
      return new Settings(bootstrapServers, namespace, replicationFactor, value, timeout, consumers);
    }

    public Settings withTimeout(Duration value) {
      return new Settings(bootstrapServers, namespace, replicationFactor, retention, value, consumers);
    }

    public Settings withConsumers(int value) {
      return new Settings(bootstrapServers, namespace, replicationFactor, retention, timeout, value);
    }
  }

  private final Settings settings;
  private final KvStore kv;
  private final String kvPrefix;
  private final String clientId;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  /** Idle consumers; {@link #created} counts all, so at most {@link Settings#consumers} exist. */
  private final BlockingQueue<KafkaConsumer<byte[], byte[]>> idle;
  private final AtomicInteger created = new AtomicInteger();
  private final Map<String, ReentrantLock> groupLocks = new ConcurrentHashMap<>();
  /** Serializes channel creation and destruction, which read and bump the generation. */
  private final ReentrantLock channelLock = new ReentrantLock();
  private volatile boolean closed;

  /**
   * Connects to Kafka. The queue does not own {@code kv}: the caller closes it after the queue.
   *
   * @param kv where channels and consumer-group positions are kept, under {@code
   *     mq/<namespace>/}
   */
  public KafkaMessageQueue(Settings settings, KvStore kv) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.kv = Objects.requireNonNull(kv, "kv");
    this.kvPrefix = "mq/" + settings.namespace() + "/";
    this.clientId = "quiver-mq-" + settings.namespace() + "-" + INSTANCES.incrementAndGet();
    this.idle = new ArrayBlockingQueue<>(settings.consumers());
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
    Properties adminConfig = new Properties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(50, timeoutMs / 2));
    this.admin = Admin.create(adminConfig);
    try {
      this.producer = new KafkaProducer<>(producerConfig(timeoutMs));
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
  }

  private Properties producerConfig(int timeoutMs) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A produce call waits for its acknowledgement, so lingering only adds latency; one
    // millisecond still lets concurrent callers share a request.
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    // The bound on a produce when the brokers are away: send() blocks at most max.block.ms for
    // metadata or buffer space, and a sent record fails after delivery.timeout.ms, which must
    // cover linger.ms + request.timeout.ms.
    int requestMs = Math.max(50, timeoutMs / 2 - 1);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestMs);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, requestMs + 1));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    // A message up to MAX_MESSAGE_BYTES must fit one request and the producer's buffer.
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_MESSAGE_BYTES);
    return p;
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(int number) {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-reader-" + number);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // No group.id: positions are ours (in the KV store), not the group coordinator's.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A fetch below the log start offset must fail (as OutOfRetentionException), not skip ahead.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(50, timeoutMs / 2));
    // A read fetches only offsets it knows exist (below the end offset it just looked up), so the
    // broker need not hold a fetch for more data. And after returning records the consumer sends
    // the next fetch ahead; with a wait, that fetch would hold this consumer's next read for it.
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 0);
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return new KafkaConsumer<>(p);
  }

  // ---------------------------------------------------------------- channels

  @Override
  public void createChannel(String channel) {
    checkName("channel", channel);
    checkOpen();
    channelLock.lock();
    try {
      if (kv.get(channelKey(channel)) != null) {
        return;
      }
      long generation = nextGeneration();
      String topic = topicName(settings.namespace(), channel, generation);
      if (topic.length() > MAX_TOPIC_LENGTH) {
        throw new IllegalArgumentException(
            "channel name too long for a Kafka topic (" + topic.length() + " > "
                + MAX_TOPIC_LENGTH + " characters): " + channel);
      }
      // The counter moves first, so a crash after creating the topic never reuses its name.
      kv.put(kvPrefix + "generation", Long.toString(generation + 1).getBytes(StandardCharsets.UTF_8));
      createTopic(topic);
      kv.put(channelKey(channel), topic.getBytes(StandardCharsets.UTF_8));
    } finally {
      channelLock.unlock();
    }
  }

  private long nextGeneration() {
    byte[] value = kv.get(kvPrefix + "generation");
    return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.UTF_8));
  }

  private void createTopic(String topic) {
    int replicas = replicationFactor();
    Map<String, String> config = new HashMap<>();
    config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.max(1, replicas - 1)));
    // One statement's rows for a channel are one message (so that it is one atomic write), which
    // passes Kafka's default 1 MB for a batch of wide vectors.
    config.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    if (replicas == 1) {
      config.put(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, "1");
    }
    if (settings.retention() != null) {
      config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis()));
    }
    NewTopic newTopic = new NewTopic(topic, 1, (short) replicas).configs(config);
    try {
      admin.createTopics(List.of(newTopic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw failure("create topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      throw interrupted("create topic " + topic, e);
    }
  }

  private int replicationFactor() {
    if (settings.replicationFactor() > 0) {
      return settings.replicationFactor();
    }
    return Math.max(1, Math.min(3, brokers()));
  }

  /**
   * How many brokers the cluster has, asked of Kafka: a round trip that fails within the timeout
   * when no broker answers, which is how an opener learns that the log is reachable.
   */
  public int brokers() {
    checkOpen();
    try {
      return admin.describeCluster().nodes().get().size();
    } catch (ExecutionException e) {
      throw failure("count the brokers", e.getCause());
    } catch (InterruptedException e) {
      throw interrupted("count the brokers", e);
    }
  }

  /**
   * Forgets the channel and its groups' positions in one KV write, then deletes its topic. If the
   * deletion fails the topic stays behind, unused: the KV store no longer names it.
   */
  @Override
  public void destroyChannel(String channel) {
    checkName("channel", channel);
    checkOpen();
    channelLock.lock();
    try {
      byte[] topic = kv.get(channelKey(channel));
      if (topic == null) {
        return;
      }
      List<String> removes = new ArrayList<>(kv.scanPrefix(positionPrefix(channel)).keySet());
      removes.add(channelKey(channel));
      kv.multiSave(Map.of(), removes);
      String name = new String(topic, StandardCharsets.UTF_8);
      try {
        admin.deleteTopics(List.of(name)).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw failure("delete topic " + name + " of destroyed channel " + channel, e.getCause());
        }
      } catch (InterruptedException e) {
        throw interrupted("delete topic " + name, e);
      }
    } finally {
      channelLock.unlock();
    }
  }

  @Override
  public boolean hasChannel(String channel) {
    checkOpen();
    return kv.get(channelKey(channel)) != null;
  }

  /** The topic of an existing channel. */
  private TopicPartition partition(String channel) {
    checkName("channel", channel);
    checkOpen();
    byte[] topic = kv.get(channelKey(channel));
    if (topic == null) {
      throw new IllegalArgumentException("channel " + channel + " does not exist");
    }
    return new TopicPartition(new String(topic, StandardCharsets.UTF_8), PARTITION);
  }

  /** The topic name of a channel of a namespace in a generation (see the class comment). */
  static String topicName(String namespace, String channel, long generation) {
    StringBuilder name = new StringBuilder(namespace).append('-');
    for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
      if (plain(b & 0xff)) {
        name.append((char) b);
      } else {
        name.append('_').append(Character.forDigit((b >> 4) & 0xf, 16))
            .append(Character.forDigit(b & 0xf, 16));
      }
    }
    return name.append('-').append(generation).toString();
  }

  private static boolean plain(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  // ---------------------------------------------------------------- the log

  @Override
  public List<Long> produce(String channel, List<byte[]> payloads) {
    TopicPartition tp = partition(channel);
    if (payloads.isEmpty()) {
      return List.of();
    }
    long deadline = System.nanoTime() + 2 * settings.timeout().toNanos();
    List<Future<RecordMetadata>> sent = new ArrayList<>(payloads.size());
    try {
      for (byte[] payload : payloads) {
        sent.add(producer.send(new ProducerRecord<>(tp.topic(), PARTITION, null, payload)));
      }
      List<Long> ids = new ArrayList<>(sent.size());
      for (Future<RecordMetadata> f : sent) {
        long left = Math.max(0, deadline - System.nanoTime());
        ids.add(f.get(left, TimeUnit.NANOSECONDS).offset());
      }
      return ids;
    } catch (ExecutionException e) {
      throw produceFailure(channel, tp, e.getCause());
    } catch (TimeoutException | KafkaException e) {
      throw produceFailure(channel, tp, e);
    } catch (InterruptedException e) {
      throw interrupted("produce to " + channel, e);
    }
  }

  @Override
  public List<Message> read(String channel, long afterId, int max) {
    TopicPartition tp = partition(channel);
    if (max <= 0 || afterId == Long.MAX_VALUE) {
      return List.of();
    }
    return withConsumer(channel, consumer -> read(consumer, channel, tp, afterId, max));
  }

  private List<Message> read(
      KafkaConsumer<byte[], byte[]> consumer, String channel, TopicPartition tp, long afterId, int max) {
    List<TopicPartition> tps = List.of(tp);
    long begin = consumer.beginningOffsets(tps).get(tp);
    long end = consumer.endOffsets(tps).get(tp);
    long from = afterId + 1;
    if (from < begin) {
      throw new OutOfRetentionException(channel, from, begin);
    }
    long stop = from >= end ? from : from + Math.min(max, end - from);
    if (from >= stop) {
      return List.of();
    }
    consumer.assign(tps);
    try {
      consumer.seek(tp, from);
      List<Message> out = new ArrayList<>((int) Math.min(stop - from, 10_000));
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      while (consumer.position(tp) < stop) {
        if (System.nanoTime() > deadline) {
          throw new StorageException(
              "read of " + channel + " (topic " + tp.topic() + ") got to offset "
                  + consumer.position(tp) + " of " + stop + " within " + settings.timeout(),
              null);
        }
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100)).records(tp)) {
            if (r.offset() >= from && r.offset() < stop) {
              out.add(new Message(r.offset(), r.value()));
            }
          }
        } catch (OffsetOutOfRangeException e) {
          // Retention deleted the messages between the offsets lookup and the fetch.
          throw new OutOfRetentionException(
              channel, consumer.position(tp), consumer.beginningOffsets(tps).get(tp));
        }
      }
      return out;
    } finally {
      consumer.unsubscribe();
    }
  }

  @Override
  public long lastId(String channel) {
    TopicPartition tp = partition(channel);
    return withConsumer(channel, c -> c.endOffsets(List.of(tp)).get(tp)) - 1;
  }

  @Override
  public long beginId(String channel) {
    TopicPartition tp = partition(channel);
    return withConsumer(channel, c -> c.beginningOffsets(List.of(tp)).get(tp));
  }

  private interface ConsumerWork<T> {
    T apply(KafkaConsumer<byte[], byte[]> consumer);
  }

  /**
   * Runs work on a consumer of the pool: an idle one, a new one while fewer than {@link
   * Settings#consumers} exist, or else the next to come back. KafkaConsumer is not thread-safe, so
   * each is used by one call at a time.
   */
  private <T> T withConsumer(String channel, ConsumerWork<T> work) {
    KafkaConsumer<byte[], byte[]> consumer = idle.poll();
    try {
      if (consumer == null) {
        int number = created.incrementAndGet();
        if (number <= settings.consumers()) {
          try {
            consumer = newConsumer(number);
          } catch (RuntimeException e) {
            created.decrementAndGet();
            throw failure("create a consumer to read " + channel, e);
          }
        } else {
          created.decrementAndGet();
          consumer = idle.poll(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
          if (consumer == null) {
            throw new StorageException(
                "no Kafka consumer free within " + settings.timeout() + " to read " + channel, null);
          }
        }
      }
    } catch (InterruptedException e) {
      throw interrupted("wait for a consumer to read " + channel, e);
    }
    boolean healthy = false;
    try {
      checkOpen();
      T result = work.apply(consumer);
      healthy = true;
      return result;
    } catch (OutOfRetentionException | IllegalArgumentException | StorageException e) {
      healthy = true;
      throw e;
    } catch (KafkaException e) {
      throw failure("read " + channel, e);
    } finally {
      if (healthy) {
        idle.add(consumer);
        if (closed) {
          closeIdleConsumers();
        }
      } else {
        // A consumer that failed may hold a half-done fetch: replace it rather than reuse it.
        created.decrementAndGet();
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      }
    }
  }

  // ---------------------------------------------------------------- consumer groups

  @Override
  public void createConsumerGroup(String group, String channel) {
    checkName("group", group);
    partition(channel);
    ReentrantLock lock = groupLock(group, channel);
    lock.lock();
    try {
      if (kv.get(positionKey(group, channel)) == null) {
        writePosition(group, channel, beginId(channel) - 1);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void destroyConsumerGroup(String group, String channel) {
    checkName("group", group);
    checkName("channel", channel);
    checkOpen();
    ReentrantLock lock = groupLock(group, channel);
    lock.lock();
    try {
      kv.delete(positionKey(group, channel));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Message> consume(String group, String channel, int max) {
    checkName("group", group);
    partition(channel);
    ReentrantLock lock = groupLock(group, channel);
    lock.lock();
    try {
      long position = existingPosition(group, channel);
      List<Message> batch = read(channel, position, max);
      if (!batch.isEmpty()) {
        writePosition(group, channel, batch.getLast().id());
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void seek(String group, String channel, long id) {
    checkName("group", group);
    TopicPartition tp = partition(channel);
    ReentrantLock lock = groupLock(group, channel);
    lock.lock();
    try {
      existingPosition(group, channel);
      long[] range =
          withConsumer(
              channel,
              c -> new long[] {
                c.beginningOffsets(List.of(tp)).get(tp), c.endOffsets(List.of(tp)).get(tp)
              });
      if (id < range[0]) {
        throw new OutOfRetentionException(channel, id, range[0]);
      }
      if (id > range[1]) {
        throw new IllegalArgumentException(
            "cannot seek " + group + " on " + channel + " to id " + id + ": past the end id "
                + range[1]);
      }
      writePosition(group, channel, id - 1);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void savePosition(String group, String channel, long id) {
    checkName("group", group);
    partition(channel);
    ReentrantLock lock = groupLock(group, channel);
    lock.lock();
    try {
      long begin = beginId(channel);
      if (id < begin - 1) {
        throw new OutOfRetentionException(channel, id + 1, begin);
      }
      writePosition(group, channel, id);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long position(String group, String channel) {
    checkOpen();
    byte[] value = kv.get(positionKey(group, channel));
    return value == null ? -1 : decodeLong(value);
  }

  @Override
  public Map<String, Long> positions(String channel) {
    checkOpen();
    String prefix = positionPrefix(channel);
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : kv.scanPrefix(prefix).entrySet()) {
      out.put(e.getKey().substring(prefix.length()), decodeLong(e.getValue()));
    }
    return out;
  }

  private long existingPosition(String group, String channel) {
    byte[] value = kv.get(positionKey(group, channel));
    if (value == null) {
      throw new IllegalArgumentException(
          "consumer group " + group + " does not exist on channel " + channel);
    }
    return decodeLong(value);
  }

  private void writePosition(String group, String channel, long id) {
    kv.put(positionKey(group, channel), ByteBuffer.allocate(Long.BYTES).putLong(id).array());
  }

  private static long decodeLong(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }

  private ReentrantLock groupLock(String group, String channel) {
    return groupLocks.computeIfAbsent(channel + "/" + group, k -> new ReentrantLock());
  }

  // ---------------------------------------------------------------- figures

  /**
   * Counts from the partition offsets; bytes from the brokers' log directories (the leader's copy:
   * the size of the retained record batches, headers included, which is also what is on disk
   * apart from the offset indexes).
   */
  @Override
  public List<ChannelStats> channelStats() {
    checkOpen();
    SortedMap<String, byte[]> channels = kv.scanPrefix(kvPrefix + "channel/");
    if (channels.isEmpty()) {
      return List.of();
    }
    Map<String, TopicPartition> byChannel = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : channels.entrySet()) {
      byChannel.put(
          e.getKey().substring((kvPrefix + "channel/").length()),
          new TopicPartition(new String(e.getValue(), StandardCharsets.UTF_8), PARTITION));
    }
    Collection<TopicPartition> tps = byChannel.values();
    Map<TopicPartition, Long> begins = new HashMap<>();
    Map<TopicPartition, Long> ends = new HashMap<>();
    withConsumer("every channel", c -> {
      begins.putAll(c.beginningOffsets(tps));
      ends.putAll(c.endOffsets(tps));
      return null;
    });
    Map<TopicPartition, Long> sizes = logSizes();
    List<ChannelStats> out = new ArrayList<>();
    for (Map.Entry<String, TopicPartition> e : byChannel.entrySet()) {
      long begin = begins.get(e.getValue());
      long end = ends.get(e.getValue());
      long count = end - begin;
      long size = sizes.getOrDefault(e.getValue(), 0L);
      out.add(
          new ChannelStats(
              e.getKey(), count, count == 0 ? 0 : size, size, count == 0 ? -1 : begin, begin,
              end - 1));
    }
    return out;
  }

  private Map<TopicPartition, Long> logSizes() {
    try {
      List<Integer> brokers = new ArrayList<>();
      for (Node node : admin.describeCluster().nodes().get()) {
        brokers.add(node.id());
      }
      Map<TopicPartition, Long> sizes = new HashMap<>();
      for (Map<String, LogDirDescription> dirs :
          admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (LogDirDescription dir : dirs.values()) {
          for (Map.Entry<TopicPartition, ReplicaInfo> r : dir.replicaInfos().entrySet()) {
            sizes.merge(r.getKey(), r.getValue().size(), Math::max);
          }
        }
      }
      return sizes;
    } catch (ExecutionException e) {
      throw failure("describe the brokers' log directories", e.getCause());
    } catch (InterruptedException e) {
      throw interrupted("describe the brokers' log directories", e);
    }
  }

  // ---------------------------------------------------------------- life cycle

  /**
   * Closes the producer (waiting up to the timeout for records in flight), the consumers and the
   * admin client, which stops their network threads. The KV store stays open: its owner closes it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      producer.close(settings.timeout());
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka producer failed", e);
    }
    closeIdleConsumers();
    try {
      admin.close(settings.timeout());
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka admin client failed", e);
    }
  }

  /** Closes the idle consumers; one in use closes when its call returns it after {@link #close}. */
  private void closeIdleConsumers() {
    KafkaConsumer<byte[], byte[]> consumer;
    while ((consumer = idle.poll()) != null) {
      try {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      } catch (RuntimeException e) {
        LOG.warn("closing a Kafka consumer failed", e);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the message queue is closed");
    }
  }

  private String channelKey(String channel) {
    return kvPrefix + "channel/" + channel;
  }

  private String positionPrefix(String channel) {
    return kvPrefix + "position/" + channel + "/";
  }

  private String positionKey(String group, String channel) {
    return positionPrefix(channel) + group;
  }

  /** Refuses a name that would make the KV keys ambiguous, as RocksMQ does. */
  private static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          what + " name must be non-empty without '/', got '" + name + "'");
    }
  }

  /** Says that nothing of the call is known to be written, and the bound it waited. */
  private StorageException produceFailure(String channel, TopicPartition tp, Throwable cause) {
    return new StorageException(
        "Kafka did not acknowledge produce to " + channel + " (topic " + tp.topic() + ") within"
            + " the timeout of " + settings.timeout() + "; no id is returned and some of the"
            + " messages may or may not be stored: " + cause,
        cause);
  }

  private static StorageException failure(String what, Throwable cause) {
    return new StorageException("Kafka: cannot " + what + ": " + cause, cause);
  }

  private static StorageException interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new StorageException("interrupted while waiting to " + what, e);
  }
}
