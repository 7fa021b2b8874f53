package org.quiver.storage.mq;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksMQ: a {@link MessageQueue} on an embedded RocksDB with group commit, consumer groups and
 * retention, composed of one part per job:
 *
 * <ul>
 *   <li>{@link QueueStore}: opening the database and its column families, synced writes;
 *   <li>{@link ChannelRegistry}: the channels, read back at open, created and destroyed;
 *   <li>{@link GroupCommit}: appends with group commit, and the message id allocator;
 *   <li>{@link MessageReader}: reads in id order;
 *   <li>{@link ConsumerGroups}: groups and their durable positions;
 *   <li>{@link ChannelFigures}: the figures behind {@code SHOW CHANNELS};
 *   <li>{@link Retention}: deleting what every group consumed and the policy lets go;
 *   <li>{@link MessageKeys}: the key codec.
 * </ul>
 *
 * <h2>Layout</h2>
 *
 * Four column families, so that a scan of one kind of key never meets another kind:
 *
 * <ul>
 *   <li>{@code messages}: key {@code <channel>/<id>}, the id as 19 zero-padded decimal digits so
 *       that the byte order of the keys is the numeric order of the ids; value the payload.
 *   <li>{@code channels}: {@code <channel>/begin_id} (the lowest id that may still be stored),
 *       {@code <channel>/end_id} (one past the last id produced) and {@code <channel>/stats}
 *       (message count and stored bytes), 8-byte big-endian longs. A channel exists while its
 *       {@code begin_id} key does.
 *   <li>{@code positions}: {@code <group>/<channel>/current_id}, the id of the last message the
 *       group consumed, an 8-byte big-endian long. A group exists on a channel while this key does.
 *   <li>{@code default}: {@code id_allocator/last_id}, the last message id given on any channel.
 * </ul>
 *
 * Channel and group names are non-empty and contain no {@code '/'}, which keeps those keys
 * unambiguous.
 *
 * <h2>Message ids</h2>
 *
 * Ids come from one allocator for all channels: {@code max(last + 1, clock ms << 18)}, so the high
 * bits are the produce time in milliseconds and the low 18 bits a counter within the millisecond.
 * Ids therefore increase within a channel (and across channels in commit order), and retention
 * reads a message's age from its id.
 *
 * <p>Thread-safe. Creating and destroying channels and closing the queue exclude all other
 * operations (the lifecycle lock); everything else runs concurrently. Commits, retention and
 * position moves that could go backwards (seek, savePosition, group creation) are serialized by
 * one commit lock, which the parts share.
 */
public final class RocksMessageQueue implements MessageQueue {

  /**
   * How a queue is opened.
   *
   * @param retentionAge messages consumed by every group and older than this are deleted; null for
   *     no age limit
   * @param retentionBytes a channel's consumed messages are deleted, oldest first, while the
   *     channel holds more than this many bytes; 0 for no size limit
   * @param retentionInterval how often retention runs in the background; null to run it only
   *     through {@link #retain()}
   * @param maxDiskBytes the most disk space the queue's files may take, after which produce fails
   *     (RocksDB's SstFileManager limit); 0 for no limit
   * @param clock the wall clock in milliseconds, for message ids and retention age
   */
  public record Settings(
      Duration retentionAge,
      long retentionBytes,
      Duration retentionInterval,
      long maxDiskBytes,
      LongSupplier clock) {

    public Settings {
      if (retentionBytes < 0 || maxDiskBytes < 0) {
        throw new IllegalArgumentException(
            "byte limits must be >= 0, got " + retentionBytes + " and " + maxDiskBytes);
      }
      Objects.requireNonNull(clock, "clock");
    }

    /** No retention, no disk limit, the system clock. */
    public static Settings defaults() {
      return new Settings(null, 0, null, 0, System::currentTimeMillis);
    }

    public Settings withRetention(Duration age, long bytes) {
      return new Settings(age, bytes, retentionInterval, maxDiskBytes, clock);
    }

    public Settings withRetentionInterval(Duration interval) {
      return new Settings(retentionAge, retentionBytes, interval, maxDiskBytes, clock);
    }

    public Settings withMaxDiskBytes(long bytes) {
      return new Settings(retentionAge, retentionBytes, retentionInterval, bytes, clock);
    }

    public Settings withClock(LongSupplier millis) {
      return new Settings(retentionAge, retentionBytes, retentionInterval, maxDiskBytes, millis);
    }
  }

  /** Low bits of a message id that count within one millisecond, as in the TSO. */
  public static final int COUNTER_BITS = 18;

  private static final Logger LOG = LoggerFactory.getLogger(RocksMessageQueue.class);

  private final QueueStore store;
  private final ChannelRegistry channels;
  private final GroupCommit commits;
  private final MessageReader reader;
  private final ConsumerGroups groups;
  private final ChannelFigures figures;
  private final Retention retention;

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private RocksMessageQueue(QueueStore store, Settings settings) {
    this.store = store;
    ReentrantLock commitLock = new ReentrantLock();
    this.channels = new ChannelRegistry(store);
    this.commits = new GroupCommit(store, channels, commitLock, settings.clock());
    this.reader = new MessageReader(store);
    this.groups = new ConsumerGroups(store, reader, commitLock);
    this.figures = new ChannelFigures(store, reader, commitLock);
    this.retention = new Retention(store, groups, commitLock, settings);
  }

  /** Opens the queue in {@code dir} with {@link Settings#defaults()}, creating it if needed. */
  public static RocksMessageQueue open(Path dir) {
    return open(dir, Settings.defaults());
  }

  /** Opens the queue in {@code dir}, creating it if it does not exist. */
  public static RocksMessageQueue open(Path dir, Settings settings) {
    QueueStore store = QueueStore.open(dir, settings.maxDiskBytes());
    RocksMessageQueue mq;
    try {
      mq = new RocksMessageQueue(store, settings);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    mq.retention.start(mq::retainQuietly);
    LOG.info("message queue opened dir={} channels={}", dir, mq.channels.size());
    return mq;
  }

  @Override
  public void createChannel(String channel) {
    MessageKeys.checkName("channel", channel);
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      checkOpen();
      channels.create(channel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void destroyChannel(String channel) {
    MessageKeys.checkName("channel", channel);
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      checkOpen();
      if (!channels.has(channel)) {
        return;
      }
      try (WriteBatch batch = new WriteBatch()) {
        channels.delete(channel, batch);
        groups.delete(channel, batch);
        store.write(batch);
      } catch (RocksDBException e) {
        throw store.failure("destroy channel " + channel, e);
      }
      channels.forget(channel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean hasChannel(String channel) {
    Lock lock = acquire();
    try {
      return channels.has(channel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Long> produce(String channel, List<byte[]> payloads) {
    for (byte[] p : payloads) {
      Objects.requireNonNull(p, "payload");
    }
    Lock lock = acquire();
    try {
      Channel ch = channels.get(channel);
      if (payloads.isEmpty()) {
        return List.of();
      }
      long first = commits.produce(ch, payloads);
      List<Long> ids = new ArrayList<>(payloads.size());
      for (int i = 0; i < payloads.size(); i++) {
        ids.add(first + i);
      }
      return ids;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Message> read(String channel, long afterId, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    Lock lock = acquire();
    try {
      return reader.read(channels.get(channel), afterId, max);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long lastId(String channel) {
    Lock lock = acquire();
    try {
      return channels.get(channel).lastId;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long beginId(String channel) {
    Lock lock = acquire();
    try {
      return channels.get(channel).beginId;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void createConsumerGroup(String group, String channel) {
    MessageKeys.checkName("group", group);
    Lock lock = acquire();
    try {
      groups.create(group, channels.get(channel));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void destroyConsumerGroup(String group, String channel) {
    MessageKeys.checkName("group", group);
    MessageKeys.checkName("channel", channel);
    Lock lock = acquire();
    try {
      groups.destroy(group, channel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Message> consume(String group, String channel, int max) {
    MessageKeys.checkName("group", group);
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    Lock lock = acquire();
    try {
      return groups.consume(group, channels.get(channel), max);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void seek(String group, String channel, long id) {
    MessageKeys.checkName("group", group);
    Lock lock = acquire();
    try {
      groups.seek(group, channels.get(channel), id);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the channel does not exist
   * @throws OutOfRetentionException if messages after {@code id} were deleted by retention
   */
  @Override
  public void savePosition(String group, String channel, long id) {
    MessageKeys.checkName("group", group);
    Lock lock = acquire();
    try {
      groups.savePosition(group, channels.get(channel), id);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long position(String group, String channel) {
    MessageKeys.checkName("group", group);
    MessageKeys.checkName("channel", channel);
    Lock lock = acquire();
    try {
      return groups.position(group, channel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<String, Long> positions(String channel) {
    Lock lock = acquire();
    try {
      channels.get(channel);
      return groups.positions(channel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<ChannelStats> channelStats() {
    Lock lock = acquire();
    try {
      return figures.of(channels.byName());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies the retention policy to every channel now (see {@link Retention}).
   *
   * @return how many messages were deleted
   */
  public long retain() {
    Lock lock = acquire();
    try {
      return retention.run(channels.all());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs retention in the background now (after a flush made more of the log deletable), if a
   * retention policy runs in the background at all.
   */
  @Override
  public void retainSoon() {
    retention.soon();
  }

  private void retainQuietly() {
    try {
      retain();
    } catch (IllegalStateException closing) {
      // The queue is closing; the executor is being shut down.
    } catch (RuntimeException e) {
      LOG.warn("event=mq_retention_failed dir={} error={}", store.dir, e.toString(), e);
    }
  }

  /**
   * How many synced writes this queue has made since it was opened: one per group commit, channel
   * creation or destruction, position write and retention deletion.
   */
  public long syncCount() {
    return store.syncCount();
  }

  /** Closes the queue; waits for running operations, later ones throw IllegalStateException. */
  @Override
  public void close() {
    retention.shutdown();
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      store.close();
      LOG.info("message queue closed dir={}", store.dir);
    } finally {
      lock.unlock();
    }
  }

  private Lock acquire() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
    } catch (IllegalStateException e) {
      lock.unlock();
      throw e;
    }
    return lock;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("message queue is closed: " + store.dir);
    }
  }
}
