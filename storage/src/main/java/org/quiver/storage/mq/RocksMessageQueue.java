package org.quiver.storage.mq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.quiver.storage.StorageException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.SstFileManager;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksMQ: a {@link MessageQueue} on an embedded RocksDB with group commit, consumer groups and
 * retention.
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
 * The allocator's last id is written in the same synced batch as the messages that use it, so it
 * costs no extra sync, and after a restart ids continue above it even if the clock went back.
 * Ids therefore increase within a channel (and across channels in commit order).
 *
 * <h2>Group commit</h2>
 *
 * {@link #produce} queues its request; the producer at the head of the queue (the leader) takes
 * the queued requests (up to 16 MiB of payload), gives ids, and writes all messages, end ids,
 * stats and the allocator in one synced WriteBatch, then wakes the producers whose requests it
 * wrote and the next head. Producers that arrive during a sync therefore share the next one (as
 * in LevelDB's writer queue). {@link #syncCount()} counts the synced writes.
 *
 * <h2>Retention</h2>
 *
 * {@link #retain()} (run every {@link Settings#retentionInterval()} when a policy is set) deletes,
 * per channel, the oldest messages that every consumer group of the channel has consumed and that
 * are older than the retention age (by the time in their id) or beyond the size budget. A channel
 * with no consumer group keeps everything. The deletion is one range delete, with the new begin id
 * and stats in the same batch; readers asking for a deleted id get an {@link
 * OutOfRetentionException}. A round deletes at most {@value #MAX_RETAIN_MESSAGES} messages per
 * channel (and runs again at once if it had more); after deleting, it compacts the deleted range
 * and flushes every column family, so that the bytes leave the disk rather than wait in older
 * files and write-ahead logs. {@link #retainSoon()} asks for a round at once.
 *
 * <p>Thread-safe. Creating and destroying channels and closing the queue exclude all other
 * operations; everything else runs concurrently. Commits, retention and position moves that could
 * go backwards (seek, savePosition, group creation) are serialized by one lock.
 */
public final class RocksMessageQueue implements MessageQueue {

  static {
    RocksDB.loadLibrary();
  }

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
  private static final byte[] MESSAGES = "messages".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHANNELS = "channels".getBytes(StandardCharsets.UTF_8);
  private static final byte[] POSITIONS = "positions".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAST_ID_KEY = "id_allocator/last_id".getBytes(StandardCharsets.UTF_8);
  /** Decimal digits of Long.MAX_VALUE: every non-negative id fits. */
  private static final int ID_DIGITS = 19;
  private static final long WRITE_BUFFER_BYTES = 16L << 20;
  private static final long MANIFEST_PREALLOCATION = 1L << 20;
  private static final long INFO_LOG_BYTES = 1L << 20;
  private static final int INFO_LOG_FILES = 3;
  /** A group commit stops taking requests past this many payload bytes, bounding batch memory. */
  private static final long MAX_GROUP_BYTES = 16L << 20;
  /**
   * The most messages one retention round deletes per channel, bounding the time it holds the
   * commit lock; a round that reaches it runs again at once.
   */
  static final int MAX_RETAIN_MESSAGES = 100_000;

  private static final String BEGIN_ID = "/begin_id";
  private static final String END_ID = "/end_id";
  private static final String STATS = "/stats";
  private static final String CURRENT_ID = "/current_id";

  private final Path dir;
  private final Settings settings;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final SstFileManager sstFiles;
  private final WriteOptions syncWrite;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle allocatorMeta;
  private final ColumnFamilyHandle messages;
  private final ColumnFamilyHandle channelMeta;
  private final ColumnFamilyHandle positions;

  /** Channels by name; changed only under the write side of {@link #lifecycle}. */
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * Serializes commits, retention, and the position writes that may move a group backwards, so
   * retention never deletes what a group is about to read; guards the id allocator and the stats.
   */
  private final ReentrantLock commitLock = new ReentrantLock();

  private long lastAllocated;

  /** One lock per group and channel, so concurrent consumes of a group take disjoint messages. */
  private final Map<String, ReentrantLock> groupLocks = new ConcurrentHashMap<>();

  /** Guards {@link #writers} and the done flags of the requests in it. */
  private final ReentrantLock queueLock = new ReentrantLock();

  /** Produce requests in arrival order; the first one's thread is the commit leader. */
  private final ArrayDeque<ProduceRequest> writers = new ArrayDeque<>();
  private final AtomicLong syncs = new AtomicLong();
  private final ScheduledExecutorService retention;
  /** The round {@link #expireAt} scheduled, and when it is due; guarded by this object. */
  private java.util.concurrent.ScheduledFuture<?> nextExpiry;
  private long nextExpiryMillis;

  /** The id range and size of one channel; written under {@link #commitLock}. */
  private static final class Channel {
    final String name;
    volatile long lastId;
    /** Raised before the deleting write, so a reader never misses a deletion it could see. */
    volatile long beginId;
    volatile long count;
    volatile long bytes;

    Channel(String name, long lastId, long beginId) {
      this.name = name;
      this.lastId = lastId;
      this.beginId = beginId;
    }
  }

  /** One produce call waiting for (or done by) a commit. */
  private static final class ProduceRequest {
    final Channel channel;
    final List<byte[]> payloads;
    final Condition wakeUp;
    long firstId;
    boolean done;
    Exception failure;

    ProduceRequest(Channel channel, List<byte[]> payloads, Condition wakeUp) {
      this.channel = channel;
      this.payloads = payloads;
      this.wakeUp = wakeUp;
    }
  }

  private RocksMessageQueue(
      Path dir,
      Settings settings,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      SstFileManager sstFiles,
      WriteOptions syncWrite,
      RocksDB db,
      List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.settings = settings;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.sstFiles = sstFiles;
    this.syncWrite = syncWrite;
    this.db = db;
    this.handles = handles;
    this.allocatorMeta = handles.get(0);
    this.messages = handles.get(1);
    this.channelMeta = handles.get(2);
    this.positions = handles.get(3);
    boolean policy = settings.retentionAge() != null || settings.retentionBytes() > 0;
    this.retention =
        policy && settings.retentionInterval() != null
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("quiver-mq-retention").daemon().factory())
            : null;
  }

  /** Opens the queue in {@code dir} with {@link Settings#defaults()}, creating it if needed. */
  public static RocksMessageQueue open(Path dir) {
    return open(dir, Settings.defaults());
  }

  /** Opens the queue in {@code dir}, creating it if it does not exist. */
  public static RocksMessageQueue open(Path dir, Settings settings) {
    // RocksDB's info log grows with every flush and compaction, which retention causes: it rolls
    // over at a size, and the oldest roll-overs go, so that it stays bounded like the messages.
    DBOptions dbOptions =
        new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
            .setManifestPreallocationSize(MANIFEST_PREALLOCATION)
            .setMaxLogFileSize(INFO_LOG_BYTES).setKeepLogFileNum(INFO_LOG_FILES);
    // The log's preallocation is 1.1 times the write buffer: bounded, so that opening the queue
    // does not take a small disk's last free space.
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setWriteBufferSize(WRITE_BUFFER_BYTES);
    WriteOptions syncWrite = new WriteOptions().setSync(true);
    SstFileManager sstFiles = null;
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      // With an SstFileManager RocksDB recovers by itself once a full disk has room again; without
      // one, a failed log write refuses every later write until the queue is reopened.
      sstFiles = new SstFileManager(Env.getDefault());
      dbOptions.setSstFileManager(sstFiles);
      if (settings.maxDiskBytes() > 0) {
        sstFiles.setMaxAllowedSpaceUsage(settings.maxDiskBytes());
        // A memtable larger than the budget would overshoot it before the first flush is checked.
        cfOptions.setWriteBufferSize(
            Math.clamp(settings.maxDiskBytes() / 4, 64L << 10, WRITE_BUFFER_BYTES));
      }
      List<ColumnFamilyDescriptor> descriptors =
          List.of(
              new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
              new ColumnFamilyDescriptor(MESSAGES, cfOptions),
              new ColumnFamilyDescriptor(CHANNELS, cfOptions),
              new ColumnFamilyDescriptor(POSITIONS, cfOptions));
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      try (dbOptions;
          cfOptions;
          syncWrite;
          SstFileManager s = sstFiles) {
        throw new StorageException("cannot open message queue dir=" + dir, dir, e);
      }
    }
    RocksMessageQueue mq =
        new RocksMessageQueue(dir, settings, dbOptions, cfOptions, sstFiles, syncWrite, db, handles);
    try {
      mq.load();
    } catch (RuntimeException e) {
      mq.close();
      throw e;
    }
    if (mq.retention != null) {
      long every = settings.retentionInterval().toMillis();
      mq.retention.scheduleWithFixedDelay(mq::retainQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    LOG.info("message queue opened dir={} channels={}", dir, mq.channels.size());
    return mq;
  }

  private void load() {
    Map<String, Long> ends = new HashMap<>();
    Map<String, Long> begins = new HashMap<>();
    Map<String, long[]> stats = new HashMap<>();
    try (RocksIterator it = db.newIterator(channelMeta)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        String name = key.substring(0, Math.max(key.lastIndexOf('/'), 0));
        if (key.endsWith(END_ID)) {
          ends.put(name, decodeLong(it.value()));
        } else if (key.endsWith(BEGIN_ID)) {
          begins.put(name, decodeLong(it.value()));
        } else if (key.endsWith(STATS)) {
          ByteBuffer b = ByteBuffer.wrap(it.value());
          stats.put(name, new long[] {b.getLong(), b.getLong()});
        }
      }
      it.status();
      byte[] last = db.get(allocatorMeta, LAST_ID_KEY);
      lastAllocated = last == null ? -1 : decodeLong(last);
    } catch (RocksDBException e) {
      throw new StorageException("cannot read channel meta dir=" + dir, e);
    }
    for (Map.Entry<String, Long> e : begins.entrySet()) {
      String name = e.getKey();
      Long end = ends.get(name);
      if (end == null) {
        throw new StorageException("channel " + name + " has no end id dir=" + dir, null);
      }
      Channel ch = new Channel(name, end - 1, e.getValue());
      long[] s = stats.get(name);
      if (s == null) {
        // Written by a version that kept no stats: count once.
        s = countStored(name);
      }
      ch.count = s[0];
      ch.bytes = s[1];
      channels.put(name, ch);
      lastAllocated = Math.max(lastAllocated, ch.lastId);
    }
  }

  private long[] countStored(String channel) {
    long count = 0;
    long bytes = 0;
    try (Slice upper = new Slice(channelEnd(channel));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(messages, options)) {
      for (it.seek(channelStart(channel)); it.isValid(); it.next()) {
        count++;
        bytes += it.key().length + it.value().length;
      }
      it.status();
    } catch (RocksDBException e) {
      throw failure("count messages of " + channel, e);
    }
    return new long[] {count, bytes};
  }

  @Override
  public void createChannel(String channel) {
    checkName("channel", channel);
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      checkOpen();
      if (channels.containsKey(channel)) {
        return;
      }
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(channelMeta, metaKey(channel, BEGIN_ID), encodeLong(0));
        batch.put(channelMeta, metaKey(channel, END_ID), encodeLong(0));
        batch.put(channelMeta, metaKey(channel, STATS), encodeStats(0, 0));
        write(batch);
      } catch (RocksDBException e) {
        throw failure("create channel " + channel, e);
      }
      channels.put(channel, new Channel(channel, -1, 0));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void destroyChannel(String channel) {
    checkName("channel", channel);
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      checkOpen();
      if (!channels.containsKey(channel)) {
        return;
      }
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(messages, channelStart(channel), channelEnd(channel));
        batch.delete(channelMeta, metaKey(channel, BEGIN_ID));
        batch.delete(channelMeta, metaKey(channel, END_ID));
        batch.delete(channelMeta, metaKey(channel, STATS));
        for (byte[] key : positionKeysOf(channel).values()) {
          batch.delete(positions, key);
        }
        write(batch);
      } catch (RocksDBException e) {
        throw failure("destroy channel " + channel, e);
      }
      channels.remove(channel);
    } finally {
      lock.unlock();
    }
  }

  /** The position keys of a channel's groups, by group name. */
  private Map<String, byte[]> positionKeysOf(String channel) throws RocksDBException {
    String suffix = "/" + channel + CURRENT_ID;
    Map<String, byte[]> keys = new TreeMap<>();
    // Positions are few (groups x channels), so a full scan is cheaper than a second index.
    try (RocksIterator it = db.newIterator(positions)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        int slash = key.indexOf('/');
        if (key.endsWith(suffix) && slash == key.length() - suffix.length()) {
          keys.put(key.substring(0, slash), it.key());
        }
      }
      it.status();
    }
    return keys;
  }

  @Override
  public boolean hasChannel(String channel) {
    Lock lock = acquire();
    try {
      return channels.containsKey(channel);
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
      Channel ch = channel(channel);
      if (payloads.isEmpty()) {
        return List.of();
      }
      ProduceRequest request =
          new ProduceRequest(ch, List.copyOf(payloads), queueLock.newCondition());
      List<ProduceRequest> group;
      queueLock.lock();
      try {
        writers.addLast(request);
        // Not interruptible: a waiter that left could not tell whether its messages were written.
        while (!request.done && writers.peekFirst() != request) {
          request.wakeUp.awaitUninterruptibly();
        }
        // The leader commits everything queued so far; it all stays queued until the commit is
        // done, so producers arriving during the sync wait behind it and form the next group.
        group = request.done ? null : leadingGroup();
      } finally {
        queueLock.unlock();
      }
      if (group != null) {
        try {
          commit(group);
        } finally {
          finishCommit(group);
        }
      }
      if (request.failure != null) {
        throw failure("produce to " + channel, request.failure);
      }
      List<Long> ids = new ArrayList<>(payloads.size());
      for (int i = 0; i < payloads.size(); i++) {
        ids.add(request.firstId + i);
      }
      return ids;
    } finally {
      lock.unlock();
    }
  }

  /** The head of {@link #writers} up to about {@link #MAX_GROUP_BYTES}; at least one request. */
  private List<ProduceRequest> leadingGroup() {
    List<ProduceRequest> group = new ArrayList<>();
    long bytes = 0;
    for (ProduceRequest r : writers) {
      if (!group.isEmpty() && bytes >= MAX_GROUP_BYTES) {
        break;
      }
      group.add(r);
      for (byte[] p : r.payloads) {
        bytes += p.length;
      }
    }
    return group;
  }

  /** Wakes the producers of a committed group and hands leadership to the next waiting one. */
  private void finishCommit(List<ProduceRequest> group) {
    queueLock.lock();
    try {
      for (ProduceRequest r : group) {
        writers.pollFirst();
        r.done = true;
        r.wakeUp.signal();
      }
      ProduceRequest next = writers.peekFirst();
      if (next != null) {
        next.wakeUp.signal();
      }
    } finally {
      queueLock.unlock();
    }
  }

  /** The next {@code n} message ids; called under {@link #commitLock}. */
  private long allocate(int n) {
    long first = Math.max(lastAllocated + 1, settings.clock().getAsLong() << COUNTER_BITS);
    lastAllocated = first + n - 1;
    return first;
  }

  /**
   * Gives ids to a group of requests and writes them in one synced batch; only the leader runs it.
   *
   * <p>The requests' channels cannot vanish meanwhile: each producer holds the read side of the
   * lifecycle lock until its request is done, and destroyChannel needs the write side.
   */
  private void commit(List<ProduceRequest> group) {
    Map<Channel, long[]> changes = new LinkedHashMap<>();
    Exception failure = null;
    boolean written = false;
    commitLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      for (ProduceRequest r : group) {
        long id = allocate(r.payloads.size());
        r.firstId = id;
        // Per channel: last id, count, bytes after this group.
        long[] c =
            changes.computeIfAbsent(
                r.channel, ch -> new long[] {ch.lastId, ch.count, ch.bytes});
        for (byte[] payload : r.payloads) {
          byte[] key = messageKey(r.channel.name, id);
          batch.put(messages, key, payload);
          c[0] = id++;
          c[1]++;
          c[2] += key.length + payload.length;
        }
      }
      for (Map.Entry<Channel, long[]> e : changes.entrySet()) {
        String name = e.getKey().name;
        long[] c = e.getValue();
        batch.put(channelMeta, metaKey(name, END_ID), encodeLong(c[0] + 1));
        batch.put(channelMeta, metaKey(name, STATS), encodeStats(c[1], c[2]));
      }
      batch.put(allocatorMeta, LAST_ID_KEY, encodeLong(lastAllocated));
      write(batch);
      written = true;
    } catch (RocksDBException e) {
      failure = e;
    } finally {
      for (Map.Entry<Channel, long[]> e : changes.entrySet()) {
        Channel ch = e.getKey();
        // Ids are spent even when the write fails: the batch may have reached the log before the
        // error, and an id once possibly stored must never be given to another message.
        ch.lastId = e.getValue()[0];
        if (written) {
          ch.count = e.getValue()[1];
          ch.bytes = e.getValue()[2];
        }
      }
      commitLock.unlock();
      // Followers must never wait for or trust a commit that a leader abandoned on an exception.
      if (!written && failure == null) {
        failure = new IllegalStateException("group commit aborted by the leader thread");
      }
      for (ProduceRequest r : group) {
        r.failure = written ? null : failure;
      }
    }
  }

  @Override
  public List<Message> read(String channel, long afterId, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    Lock lock = acquire();
    try {
      return readLocked(channel(channel), afterId, max);
    } finally {
      lock.unlock();
    }
  }

  private List<Message> readLocked(Channel ch, long afterId, int max) {
    List<Message> result = new ArrayList<>(Math.min(max, 1024));
    if (max == 0 || afterId == Long.MAX_VALUE) {
      return result;
    }
    try (Slice upper = new Slice(channelEnd(ch.name));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(messages, options)) {
      // The iterator pins what it reads before the begin id is checked; retention raises the
      // begin id before it deletes, so a deletion this iterator would miss is always reported.
      long begin = ch.beginId;
      if (afterId < begin - 1) {
        throw new OutOfRetentionException(ch.name, afterId + 1, begin);
      }
      int idStart = channelStart(ch.name).length;
      for (it.seek(messageKey(ch.name, Math.max(afterId + 1, 0)));
          it.isValid() && result.size() < max;
          it.next()) {
        result.add(new Message(idOf(it.key(), idStart), it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw failure("read from " + ch.name, e);
    }
    return result;
  }

  @Override
  public long lastId(String channel) {
    Lock lock = acquire();
    try {
      return channel(channel).lastId;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long beginId(String channel) {
    Lock lock = acquire();
    try {
      return channel(channel).beginId;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void createConsumerGroup(String group, String channel) {
    checkName("group", group);
    Lock lock = acquire();
    commitLock.lock();
    try {
      Channel ch = channel(channel);
      if (db.get(positions, positionKey(group, channel)) == null) {
        writePosition(group, channel, ch.beginId - 1);
      }
    } catch (RocksDBException e) {
      throw failure("create group " + group + " on " + channel, e);
    } finally {
      commitLock.unlock();
      lock.unlock();
    }
  }

  @Override
  public void destroyConsumerGroup(String group, String channel) {
    checkName("group", group);
    checkName("channel", channel);
    Lock lock = acquire();
    ReentrantLock groupLock = groupLock(group, channel);
    groupLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(positions, positionKey(group, channel));
      write(batch);
    } catch (RocksDBException e) {
      throw failure("destroy group " + group + " on " + channel, e);
    } finally {
      groupLock.unlock();
      lock.unlock();
    }
  }

  @Override
  public List<Message> consume(String group, String channel, int max) {
    checkName("group", group);
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    Lock lock = acquire();
    ReentrantLock groupLock = groupLock(group, channel);
    groupLock.lock();
    try {
      Channel ch = channel(channel);
      long position = existingPosition(group, channel);
      List<Message> batch = readLocked(ch, position, max);
      if (!batch.isEmpty()) {
        // Forward only, so it needs no commit lock: retention only deletes below every position.
        writePosition(group, channel, batch.getLast().id());
      }
      return batch;
    } catch (RocksDBException e) {
      throw failure("consume " + group + " on " + channel, e);
    } finally {
      groupLock.unlock();
      lock.unlock();
    }
  }

  @Override
  public void seek(String group, String channel, long id) {
    checkName("group", group);
    Lock lock = acquire();
    ReentrantLock groupLock = groupLock(group, channel);
    groupLock.lock();
    commitLock.lock();
    try {
      Channel ch = channel(channel);
      existingPosition(group, channel);
      if (id < ch.beginId) {
        throw new OutOfRetentionException(channel, id, ch.beginId);
      }
      if (id > ch.lastId + 1) {
        throw new IllegalArgumentException(
            "cannot seek " + group + " on " + channel + " to id " + id
                + ": past the end id " + (ch.lastId + 1));
      }
      writePosition(group, channel, id - 1);
    } catch (RocksDBException e) {
      throw failure("seek " + group + " on " + channel, e);
    } finally {
      commitLock.unlock();
      groupLock.unlock();
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
    checkName("group", group);
    Lock lock = acquire();
    ReentrantLock groupLock = groupLock(group, channel);
    groupLock.lock();
    commitLock.lock();
    try {
      Channel ch = channel(channel);
      if (id < ch.beginId - 1) {
        throw new OutOfRetentionException(channel, id + 1, ch.beginId);
      }
      writePosition(group, channel, id);
    } catch (RocksDBException e) {
      throw failure("save position of " + group + " on " + channel, e);
    } finally {
      commitLock.unlock();
      groupLock.unlock();
      lock.unlock();
    }
  }

  @Override
  public long position(String group, String channel) {
    checkName("group", group);
    checkName("channel", channel);
    Lock lock = acquire();
    try {
      byte[] value = db.get(positions, positionKey(group, channel));
      return value == null ? -1 : decodeLong(value);
    } catch (RocksDBException e) {
      throw failure("read position of " + group + " on " + channel, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<String, Long> positions(String channel) {
    Lock lock = acquire();
    try {
      channel(channel);
      return groupPositions(channel);
    } catch (RocksDBException e) {
      throw failure("read positions on " + channel, e);
    } finally {
      lock.unlock();
    }
  }

  private Map<String, Long> groupPositions(String channel) throws RocksDBException {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : positionKeysOf(channel).entrySet()) {
      byte[] value = db.get(positions, e.getValue());
      if (value != null) {
        out.put(e.getKey(), decodeLong(value));
      }
    }
    return out;
  }

  private long existingPosition(String group, String channel) throws RocksDBException {
    byte[] value = db.get(positions, positionKey(group, channel));
    if (value == null) {
      throw new IllegalArgumentException(
          "consumer group " + group + " does not exist on channel " + channel);
    }
    return decodeLong(value);
  }

  private void writePosition(String group, String channel, long id) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(positions, positionKey(group, channel), encodeLong(id));
      write(batch);
    }
  }

  private ReentrantLock groupLock(String group, String channel) {
    return groupLocks.computeIfAbsent(group + "/" + channel, k -> new ReentrantLock());
  }

  @Override
  public List<ChannelStats> channelStats() {
    Lock lock = acquire();
    try {
      List<ChannelStats> out = new ArrayList<>();
      for (Channel ch : new TreeMap<>(channels).values()) {
        long count;
        long bytes;
        long begin;
        long last;
        commitLock.lock();
        try {
          count = ch.count;
          bytes = ch.bytes;
          begin = ch.beginId;
          last = ch.lastId;
        } finally {
          commitLock.unlock();
        }
        out.add(new ChannelStats(ch.name, count, bytes, diskBytes(ch.name), oldestId(ch.name),
            begin, last));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private long diskBytes(String channel) {
    try (Slice start = new Slice(channelStart(channel));
        Slice end = new Slice(channelEnd(channel))) {
      return db.getApproximateSizes(messages, List.of(new Range(start, end)),
          SizeApproximationFlag.INCLUDE_FILES, SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
    }
  }

  private long oldestId(String channel) {
    try (Slice upper = new Slice(channelEnd(channel));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(messages, options)) {
      it.seek(channelStart(channel));
      if (it.isValid()) {
        return idOf(it.key(), channelStart(channel).length);
      }
      it.status();
      return -1;
    } catch (RocksDBException e) {
      throw failure("read oldest message of " + channel, e);
    }
  }

  /**
   * Applies the retention policy to every channel now.
   *
   * @return how many messages were deleted
   */
  public long retain() {
    Lock lock = acquire();
    try {
      long deleted = 0;
      boolean more = false;
      for (Channel ch : channels.values()) {
        long count = retain(ch);
        if (count > 0) {
          // Outside the commit lock: producers go on while the deleted range is rewritten.
          compact(ch.name, ch.beginId);
        }
        deleted += count;
        more |= count == MAX_RETAIN_MESSAGES;
      }
      if (deleted > 0) {
        releaseLogFiles();
      }
      if (more) {
        retainSoon();
      }
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs retention in the background now (after a flush made more of the log deletable), if a
   * retention policy runs in the background at all.
   */
  public void retainSoon() {
    if (retention != null && !retention.isShutdown()) {
      try {
        retention.execute(this::retainQuietly);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // The queue closed meanwhile.
      }
    }
  }

  /**
   * Runs a retention round at {@code millis} (by the settings' clock), unless one is due sooner:
   * a consumed message becomes deletable then, which may be long before the next periodic round.
   */
  private synchronized void expireAt(long millis) {
    if (retention == null || (nextExpiry != null && !nextExpiry.isDone()
        && nextExpiryMillis <= millis)) {
      return;
    }
    if (nextExpiry != null) {
      nextExpiry.cancel(false);
    }
    nextExpiryMillis = millis;
    try {
      nextExpiry = retention.schedule(this::retainQuietly,
          Math.max(0, millis - settings.clock().getAsLong()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // The queue closed meanwhile.
    }
  }

  /**
   * Rewrites a channel's deleted range below {@code beginId}, so that the files holding the
   * deleted messages and their range tombstone are replaced by files without them.
   */
  private void compact(String channel, long beginId) {
    try {
      db.compactRange(messages, channelStart(channel), messageKey(channel, beginId));
    } catch (RocksDBException e) {
      throw failure("compaction of " + channel, e);
    }
  }

  /**
   * Flushes every column family, so that no memory buffer still needs the write-ahead log files
   * written before: RocksDB deletes a log file only once every column family has flushed what it
   * holds, and the small ones (positions, channel figures) would otherwise keep every log file,
   * and the deleted messages in it, until they fill a buffer.
   */
  private void releaseLogFiles() {
    try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
      db.flush(wait, handles);
    } catch (RocksDBException e) {
      throw failure("flush after retention", e);
    }
  }

  private void retainQuietly() {
    try {
      retain();
    } catch (IllegalStateException closing) {
      // The queue is closing; the executor is being shut down.
    } catch (RuntimeException e) {
      LOG.warn("event=mq_retention_failed dir={} error={}", dir, e.toString(), e);
    }
  }

  private long retain(Channel ch) {
    Duration age = settings.retentionAge();
    long budget = settings.retentionBytes();
    if (age == null && budget == 0) {
      return 0;
    }
    commitLock.lock();
    try {
      Map<String, Long> groups = groupPositions(ch.name);
      if (groups.isEmpty()) {
        return 0;
      }
      long consumed = groups.values().stream().mapToLong(Long::longValue).min().orElseThrow();
      long expiredBelow =
          age == null
              ? Long.MIN_VALUE
              : (settings.clock().getAsLong() - age.toMillis()) << COUNTER_BITS;
      long cut = -1;
      long count = 0;
      long bytes = 0;
      try (Slice upper = new Slice(channelEnd(ch.name));
          ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(messages, options)) {
        int idStart = channelStart(ch.name).length;
        for (it.seek(channelStart(ch.name)); it.isValid(); it.next()) {
          long id = idOf(it.key(), idStart);
          boolean overBudget = budget > 0 && ch.bytes - bytes > budget;
          if (age != null && id <= consumed && id >= expiredBelow && !overBudget) {
            // Consumed but still young: the next round is due when it expires.
            expireAt((id >>> COUNTER_BITS) + age.toMillis() + 1);
          }
          if (id > consumed || (id >= expiredBelow && !overBudget)
              || count == MAX_RETAIN_MESSAGES) {
            break;
          }
          cut = id;
          count++;
          bytes += it.key().length + it.value().length;
        }
        it.status();
      }
      if (cut < 0) {
        return 0;
      }
      long oldBegin = ch.beginId;
      ch.beginId = cut + 1;
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(messages, channelStart(ch.name), messageKey(ch.name, cut + 1));
        batch.put(channelMeta, metaKey(ch.name, BEGIN_ID), encodeLong(cut + 1));
        batch.put(channelMeta, metaKey(ch.name, STATS), encodeStats(ch.count - count, ch.bytes - bytes));
        write(batch);
      } catch (RocksDBException | RuntimeException e) {
        ch.beginId = oldBegin;
        throw e;
      }
      ch.count -= count;
      ch.bytes -= bytes;
      LOG.info("event=mq_retention channel={} deleted={} bytes={} begin_id={}",
          ch.name, count, bytes, cut + 1);
      return count;
    } catch (RocksDBException e) {
      throw failure("retention of " + ch.name, e);
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * How many synced writes this queue has made since it was opened: one per group commit, channel
   * creation or destruction, position write and retention deletion.
   */
  public long syncCount() {
    return syncs.get();
  }

  /** Closes the queue; waits for running operations, later ones throw IllegalStateException. */
  @Override
  public void close() {
    if (retention != null) {
      retention.shutdown();
    }
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try (dbOptions;
          cfOptions;
          syncWrite;
          SstFileManager s = sstFiles;
          db) {
        for (ColumnFamilyHandle h : handles) {
          h.close();
        }
        LOG.info("message queue closed dir={}", dir);
      }
    } finally {
      lock.unlock();
    }
  }

  private void write(WriteBatch batch) throws RocksDBException {
    db.write(syncWrite, batch);
    syncs.incrementAndGet();
  }

  private Channel channel(String name) {
    Channel ch = channels.get(Objects.requireNonNull(name, "channel"));
    if (ch == null) {
      throw new IllegalArgumentException("channel does not exist: " + name);
    }
    return ch;
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
      throw new IllegalStateException("message queue is closed: " + dir);
    }
  }

  private static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          what + " name must be non-empty without '/', got '" + name + "'");
    }
  }

  private static long idOf(byte[] key, int idStart) {
    return Long.parseLong(new String(key, idStart, key.length - idStart, StandardCharsets.US_ASCII));
  }

  private static byte[] messageKey(String channel, long id) {
    byte[] prefix = channelStart(channel);
    byte[] key = Arrays.copyOf(prefix, prefix.length + ID_DIGITS);
    for (int i = key.length - 1; i >= prefix.length; i--) {
      key[i] = (byte) ('0' + id % 10);
      id /= 10;
    }
    return key;
  }

  private static byte[] channelStart(String channel) {
    return (channel + "/").getBytes(StandardCharsets.UTF_8);
  }

  /** The first key after every {@code <channel>/...} key: '0' follows '/' in ASCII. */
  private static byte[] channelEnd(String channel) {
    return (channel + "0").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] metaKey(String channel, String suffix) {
    return (channel + suffix).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] positionKey(String group, String channel) {
    return (group + "/" + channel + CURRENT_ID).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encodeLong(long v) {
    return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  private static byte[] encodeStats(long count, long bytes) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(count).putLong(bytes).array();
  }

  private static long decodeLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }

  private StorageException failure(String op, Exception e) {
    return new StorageException("message queue " + op + " failed dir=" + dir, dir, e);
  }
}
