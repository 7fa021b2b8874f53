package org.quiver.storage.mq;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Consumer groups and their positions ({@code positions} column family): a group's position is
 * the id of the last message it consumed, stored durably.
 *
 * <p>Moves that could go backwards (creation, seek, savePosition) take the queue's commit lock,
 * which retention holds while it picks what to delete, so retention never deletes what a group is
 * about to read. One lock per group and channel keeps concurrent consumes of a group disjoint.
 */
final class ConsumerGroups {
  private final QueueStore store;
  private final MessageReader reader;
  private final ReentrantLock commitLock;
  private final Map<String, ReentrantLock> groupLocks = new ConcurrentHashMap<>();

  ConsumerGroups(QueueStore store, MessageReader reader, ReentrantLock commitLock) {
    this.store = store;
    this.reader = reader;
    this.commitLock = commitLock;
  }

  /** Creates the group positioned before the channel's oldest retained message, if it is new. */
  void create(String group, Channel ch) {
    commitLock.lock();
    try {
      if (store.db.get(store.positions, MessageKeys.positionKey(group, ch.name)) == null) {
        writePosition(group, ch.name, ch.beginId - 1);
      }
    } catch (RocksDBException e) {
      throw store.failure("create group " + group + " on " + ch.name, e);
    } finally {
      commitLock.unlock();
    }
  }

  void destroy(String group, String channel) {
    ReentrantLock groupLock = groupLock(group, channel);
    groupLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(store.positions, MessageKeys.positionKey(group, channel));
      store.write(batch);
    } catch (RocksDBException e) {
      throw store.failure("destroy group " + group + " on " + channel, e);
    } finally {
      groupLock.unlock();
    }
  }

  /** Up to {@code max} messages after the group's position, which moves past them first. */
  List<Message> consume(String group, Channel ch, int max) {
    ReentrantLock groupLock = groupLock(group, ch.name);
    groupLock.lock();
    try {
      long position = existingPosition(group, ch.name);
      List<Message> batch = reader.read(ch, position, max);
      if (!batch.isEmpty()) {
        // Forward only, so it needs no commit lock: retention only deletes below every position.
        writePosition(group, ch.name, batch.getLast().id());
      }
      return batch;
    } catch (RocksDBException e) {
      throw store.failure("consume " + group + " on " + ch.name, e);
    } finally {
      groupLock.unlock();
    }
  }

  /** Positions the group so that it next consumes the first message with an id {@code >= id}. */
  void seek(String group, Channel ch, long id) {
    ReentrantLock groupLock = groupLock(group, ch.name);
    groupLock.lock();
    commitLock.lock();
    try {
      existingPosition(group, ch.name);
      if (id < ch.beginId) {
        throw new OutOfRetentionException(ch.name, id, ch.beginId);
      }
      if (id > ch.lastId + 1) {
        throw new IllegalArgumentException(
            "cannot seek " + group + " on " + ch.name + " to id " + id
                + ": past the end id " + (ch.lastId + 1));
      }
      writePosition(group, ch.name, id - 1);
    } catch (RocksDBException e) {
      throw store.failure("seek " + group + " on " + ch.name, e);
    } finally {
      commitLock.unlock();
      groupLock.unlock();
    }
  }

  /** Stores the group's position, creating the group if needed. */
  void savePosition(String group, Channel ch, long id) {
    ReentrantLock groupLock = groupLock(group, ch.name);
    groupLock.lock();
    commitLock.lock();
    try {
      if (id < ch.beginId - 1) {
        throw new OutOfRetentionException(ch.name, id + 1, ch.beginId);
      }
      writePosition(group, ch.name, id);
    } catch (RocksDBException e) {
      throw store.failure("save position of " + group + " on " + ch.name, e);
    } finally {
      commitLock.unlock();
      groupLock.unlock();
    }
  }

  /** The group's stored position, or -1 if it has none. */
  long position(String group, String channel) {
    try {
      byte[] value = store.db.get(store.positions, MessageKeys.positionKey(group, channel));
      return value == null ? -1 : MessageKeys.decodeLong(value);
    } catch (RocksDBException e) {
      throw store.failure("read position of " + group + " on " + channel, e);
    }
  }

  /** Every group's position on the channel, by group name. */
  Map<String, Long> positions(String channel) {
    try {
      Map<String, Long> out = new TreeMap<>();
      for (Map.Entry<String, byte[]> e : positionKeysOf(channel).entrySet()) {
        byte[] value = store.db.get(store.positions, e.getValue());
        if (value != null) {
          out.put(e.getKey(), MessageKeys.decodeLong(value));
        }
      }
      return out;
    } catch (RocksDBException e) {
      throw store.failure("read positions on " + channel, e);
    }
  }

  /** Adds the deletion of every group's position on the channel to {@code batch}. */
  void delete(String channel, WriteBatch batch) throws RocksDBException {
    for (byte[] key : positionKeysOf(channel).values()) {
      batch.delete(store.positions, key);
    }
  }

  /** The position keys of a channel's groups, by group name. */
  private Map<String, byte[]> positionKeysOf(String channel) throws RocksDBException {
    String suffix = MessageKeys.positionSuffix(channel);
    Map<String, byte[]> keys = new TreeMap<>();
    // Positions are few (groups x channels), so a full scan is cheaper than a second index.
    try (RocksIterator it = store.db.newIterator(store.positions)) {
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

  private long existingPosition(String group, String channel) throws RocksDBException {
    byte[] value = store.db.get(store.positions, MessageKeys.positionKey(group, channel));
    if (value == null) {
      throw new IllegalArgumentException(
          "consumer group " + group + " does not exist on channel " + channel);
    }
    return MessageKeys.decodeLong(value);
  }

  private void writePosition(String group, String channel, long id) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(store.positions, MessageKeys.positionKey(group, channel), MessageKeys.encodeLong(id));
      store.write(batch);
    }
  }

  private ReentrantLock groupLock(String group, String channel) {
    return groupLocks.computeIfAbsent(group + "/" + channel, k -> new ReentrantLock());
  }
}
