package org.quiver.storage.mq;

import static org.quiver.storage.mq.MessageKeys.BEGIN_ID;
import static org.quiver.storage.mq.MessageKeys.END_ID;
import static org.quiver.storage.mq.MessageKeys.STATS;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.quiver.storage.StorageException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The queue's channels: read back from the {@code channels} column family when the queue opens,
 * and created and destroyed there. The caller excludes every other operation while it creates or
 * destroys one.
 */
final class ChannelRegistry {
  private final QueueStore store;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  /** Reads back the channels recorded in {@code store}. */
  ChannelRegistry(QueueStore store) {
    this.store = store;
    Map<String, Long> ends = new HashMap<>();
    Map<String, Long> begins = new HashMap<>();
    Map<String, long[]> stats = new HashMap<>();
    try (RocksIterator it = store.db.newIterator(store.channelMeta)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        String name = key.substring(0, Math.max(key.lastIndexOf('/'), 0));
        if (key.endsWith(END_ID)) {
          ends.put(name, MessageKeys.decodeLong(it.value()));
        } else if (key.endsWith(BEGIN_ID)) {
          begins.put(name, MessageKeys.decodeLong(it.value()));
        } else if (key.endsWith(STATS)) {
          ByteBuffer b = ByteBuffer.wrap(it.value());
          stats.put(name, new long[] {b.getLong(), b.getLong()});
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("cannot read channel meta dir=" + store.dir, e);
    }
    for (Map.Entry<String, Long> e : begins.entrySet()) {
      String name = e.getKey();
      Long end = ends.get(name);
      if (end == null) {
        throw new StorageException("channel " + name + " has no end id dir=" + store.dir, null);
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
    }
  }

  private long[] countStored(String channel) {
    long count = 0;
    long bytes = 0;
    try (Slice upper = new Slice(MessageKeys.channelEnd(channel));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = store.db.newIterator(store.messages, options)) {
      for (it.seek(MessageKeys.channelStart(channel)); it.isValid(); it.next()) {
        count++;
        bytes += it.key().length + it.value().length;
      }
      it.status();
    } catch (RocksDBException e) {
      throw store.failure("count messages of " + channel, e);
    }
    return new long[] {count, bytes};
  }

  /** The channel, or IllegalArgumentException naming it. */
  Channel get(String name) {
    Channel ch = channels.get(Objects.requireNonNull(name, "channel"));
    if (ch == null) {
      throw new IllegalArgumentException("channel does not exist: " + name);
    }
    return ch;
  }

  boolean has(String name) {
    return channels.containsKey(name);
  }

  int size() {
    return channels.size();
  }

  Collection<Channel> all() {
    return channels.values();
  }

  /** Every channel, ordered by name. */
  List<Channel> byName() {
    return List.copyOf(new TreeMap<>(channels).values());
  }

  /** Creates the channel, durably, if it does not exist. */
  void create(String channel) {
    if (channels.containsKey(channel)) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(store.channelMeta, MessageKeys.metaKey(channel, BEGIN_ID), MessageKeys.encodeLong(0));
      batch.put(store.channelMeta, MessageKeys.metaKey(channel, END_ID), MessageKeys.encodeLong(0));
      batch.put(store.channelMeta, MessageKeys.metaKey(channel, STATS),
          MessageKeys.encodeStats(0, 0));
      store.write(batch);
    } catch (RocksDBException e) {
      throw store.failure("create channel " + channel, e);
    }
    channels.put(channel, new Channel(channel, -1, 0));
  }

  /**
   * Adds the deletion of a channel's messages and records to {@code batch}; {@link #forget} once
   * it is written.
   */
  void delete(String channel, WriteBatch batch) throws RocksDBException {
    batch.deleteRange(store.messages, MessageKeys.channelStart(channel),
        MessageKeys.channelEnd(channel));
    batch.delete(store.channelMeta, MessageKeys.metaKey(channel, BEGIN_ID));
    batch.delete(store.channelMeta, MessageKeys.metaKey(channel, END_ID));
    batch.delete(store.channelMeta, MessageKeys.metaKey(channel, STATS));
  }

  void forget(String channel) {
    channels.remove(channel);
  }
}
