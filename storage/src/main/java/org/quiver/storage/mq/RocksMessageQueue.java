package org.quiver.storage.mq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.quiver.storage.StorageException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksMQ: a {@link MessageQueue} on an embedded RocksDB with group commit.
 *
 * <h2>Layout</h2>
 *
 * Three column families (RocksDB's mandatory {@code default} one stays empty), so that a scan of
 * one kind of key never meets another kind:
 *
 * <ul>
 *   <li>{@code messages}: key {@code <channel>/<id>}, the id as 19 zero-padded decimal digits so
 *       that the byte order of the keys is the numeric order of the ids; value the payload.
 *   <li>{@code channels}: {@code <channel>/begin_id} (the first id that may still be stored) and
 *       {@code <channel>/end_id} (the next id to give, one past the last produced message), both
 *       8-byte big-endian longs. A channel exists while its {@code begin_id} key does.
 *   <li>{@code positions}: {@code <group>/<channel>/current_id}, the id of the last message the
 *       group consumed, an 8-byte big-endian long.
 * </ul>
 *
 * Channel and group names are non-empty and contain no {@code '/'}, which keeps those keys
 * unambiguous. Ids start at 0 in a new channel; a channel destroyed and created again starts at 0.
 *
 * <h2>Group commit</h2>
 *
 * {@link #produce} queues its request; the producer at the head of the queue (the leader) takes
 * the queued requests (up to 16 MiB of payload), gives ids, and writes all messages and the new
 * end ids in one synced WriteBatch, then wakes the producers whose requests it wrote and the next
 * head. Producers that arrive during a sync therefore share the next one (as in LevelDB's writer
 * queue). {@link #syncCount()} counts the synced writes.
 *
 * <p>Thread-safe. Creating and destroying channels and closing the queue exclude all other
 * operations; everything else runs concurrently.
 */
public final class RocksMessageQueue implements MessageQueue {

  static {
    RocksDB.loadLibrary();
  }

  private static final Logger LOG = LoggerFactory.getLogger(RocksMessageQueue.class);
  private static final byte[] MESSAGES = "messages".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHANNELS = "channels".getBytes(StandardCharsets.UTF_8);
  private static final byte[] POSITIONS = "positions".getBytes(StandardCharsets.UTF_8);
  /** Decimal digits of Long.MAX_VALUE: every non-negative id fits. */
  private static final int ID_DIGITS = 19;
  /** A group commit stops taking requests past this many payload bytes, bounding batch memory. */
  private static final long MAX_GROUP_BYTES = 16L << 20;

  private static final String BEGIN_ID = "/begin_id";
  private static final String END_ID = "/end_id";
  private static final String CURRENT_ID = "/current_id";

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions syncWrite;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle messages;
  private final ColumnFamilyHandle channelMeta;
  private final ColumnFamilyHandle positions;

  /** Channels by name; changed only under the write side of {@link #lifecycle}. */
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /** Guards {@link #writers} and the done flags of the requests in it. */
  private final ReentrantLock queueLock = new ReentrantLock();

  /** Produce requests in arrival order; the first one's thread is the commit leader. */
  private final ArrayDeque<ProduceRequest> writers = new ArrayDeque<>();
  private final AtomicLong syncs = new AtomicLong();

  /** The id state of one channel. */
  private static final class Channel {
    final String name;

    /** The next id to give; advanced only by the commit leader, read by anyone. */
    volatile long nextId;

    Channel(String name, long nextId) {
      this.name = name;
      this.nextId = nextId;
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
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      WriteOptions syncWrite,
      RocksDB db,
      List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.syncWrite = syncWrite;
    this.db = db;
    this.handles = handles;
    this.messages = handles.get(1);
    this.channelMeta = handles.get(2);
    this.positions = handles.get(3);
  }

  /** Opens the queue in {@code dir}, creating it if it does not exist. */
  public static RocksMessageQueue open(Path dir) {
    DBOptions dbOptions =
        new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    WriteOptions syncWrite = new WriteOptions().setSync(true);
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
            new ColumnFamilyDescriptor(MESSAGES, cfOptions),
            new ColumnFamilyDescriptor(CHANNELS, cfOptions),
            new ColumnFamilyDescriptor(POSITIONS, cfOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      try (dbOptions;
          cfOptions;
          syncWrite) {
        throw new StorageException("cannot open message queue dir=" + dir, e);
      }
    }
    RocksMessageQueue mq = new RocksMessageQueue(dir, dbOptions, cfOptions, syncWrite, db, handles);
    try {
      mq.loadChannels();
    } catch (RuntimeException e) {
      mq.close();
      throw e;
    }
    LOG.info("message queue opened dir={} channels={}", dir, mq.channels.size());
    return mq;
  }

  private void loadChannels() {
    Map<String, Long> ends = new HashMap<>();
    List<String> existing = new ArrayList<>();
    try (RocksIterator it = db.newIterator(channelMeta)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        if (key.endsWith(END_ID)) {
          ends.put(key.substring(0, key.length() - END_ID.length()), decodeLong(it.value()));
        } else if (key.endsWith(BEGIN_ID)) {
          existing.add(key.substring(0, key.length() - BEGIN_ID.length()));
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("cannot read channel meta dir=" + dir, e);
    }
    for (String name : existing) {
      Long end = ends.get(name);
      if (end == null) {
        throw new StorageException("channel " + name + " has no end id dir=" + dir, null);
      }
      channels.put(name, new Channel(name, end));
    }
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
        write(batch);
      } catch (RocksDBException e) {
        throw failure("create channel " + channel, e);
      }
      channels.put(channel, new Channel(channel, 0));
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
        for (byte[] key : positionKeysOf(channel)) {
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

  private List<byte[]> positionKeysOf(String channel) throws RocksDBException {
    String suffix = "/" + channel + CURRENT_ID;
    List<byte[]> keys = new ArrayList<>();
    // Positions are few (groups x channels), so a full scan is cheaper than a second index.
    try (RocksIterator it = db.newIterator(positions)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        if (key.endsWith(suffix) && key.indexOf('/') == key.length() - suffix.length()) {
          keys.add(it.key());
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

  /**
   * Gives ids to a group of requests and writes them in one synced batch; only the leader runs it,
   * so one commit runs at a time.
   *
   * <p>The requests' channels cannot vanish meanwhile: each producer holds the read side of the
   * lifecycle lock until its request is done, and destroyChannel needs the write side.
   */
  private void commit(List<ProduceRequest> group) {
    Map<Channel, Long> ends = new HashMap<>();
    Exception failure = null;
    boolean written = false;
    try (WriteBatch batch = new WriteBatch()) {
      for (ProduceRequest r : group) {
        long id = ends.getOrDefault(r.channel, r.channel.nextId);
        r.firstId = id;
        for (byte[] payload : r.payloads) {
          batch.put(messages, messageKey(r.channel.name, id++), payload);
        }
        ends.put(r.channel, id);
      }
      for (Map.Entry<Channel, Long> e : ends.entrySet()) {
        batch.put(channelMeta, metaKey(e.getKey().name, END_ID), encodeLong(e.getValue()));
      }
      write(batch);
      written = true;
    } catch (RocksDBException e) {
      failure = e;
    } finally {
      // Ids are spent even when the write fails: the batch may have reached the log before the
      // error, and an id once possibly stored must never be given to another message.
      for (Map.Entry<Channel, Long> e : ends.entrySet()) {
        e.getKey().nextId = e.getValue();
      }
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
      channel(channel);
      List<Message> result = new ArrayList<>(Math.min(max, 1024));
      if (max == 0 || afterId == Long.MAX_VALUE) {
        return result;
      }
      try (Slice upper = new Slice(channelEnd(channel));
          ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(messages, options)) {
        int idStart = channelStart(channel).length;
        for (it.seek(messageKey(channel, Math.max(afterId + 1, 0)));
            it.isValid() && result.size() < max;
            it.next()) {
          byte[] key = it.key();
          long id =
              Long.parseLong(
                  new String(key, idStart, key.length - idStart, StandardCharsets.US_ASCII));
          result.add(new Message(id, it.value()));
        }
        it.status();
      } catch (RocksDBException e) {
        throw failure("read from " + channel, e);
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long lastId(String channel) {
    Lock lock = acquire();
    try {
      return channel(channel).nextId - 1;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the channel does not exist
   */
  @Override
  public void savePosition(String group, String channel, long id) {
    checkName("group", group);
    Lock lock = acquire();
    try {
      channel(channel);
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(positions, positionKey(group, channel), encodeLong(id));
        write(batch);
      } catch (RocksDBException e) {
        throw failure("save position of " + group + " on " + channel, e);
      }
    } finally {
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

  /**
   * How many synced writes this queue has made since it was opened: one per group commit, channel
   * creation or destruction, and position save.
   */
  public long syncCount() {
    return syncs.get();
  }

  /** Closes the queue; waits for running operations, later ones throw IllegalStateException. */
  @Override
  public void close() {
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

  private static long decodeLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }

  private StorageException failure(String op, Exception e) {
    return new StorageException("message queue " + op + " failed dir=" + dir, e);
  }
}
