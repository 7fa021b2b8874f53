package org.quiver.storage.mq;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** Reads a channel's messages in id order, and reports reads below what retention deleted. */
final class MessageReader {
  private final QueueStore store;

  MessageReader(QueueStore store) {
    this.store = store;
  }

  /**
   * Up to {@code max} messages of the channel after {@code afterId}.
   *
   * @throws OutOfRetentionException if retention deleted messages after {@code afterId}
   */
  List<Message> read(Channel ch, long afterId, int max) {
    List<Message> result = new ArrayList<>(Math.min(max, 1024));
    if (max == 0 || afterId == Long.MAX_VALUE) {
      return result;
    }
    try (Slice upper = new Slice(MessageKeys.channelEnd(ch.name));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = store.db.newIterator(store.messages, options)) {
      // The iterator pins what it reads before the begin id is checked; retention raises the
      // begin id before it deletes, so a deletion this iterator would miss is always reported.
      long begin = ch.beginId;
      if (afterId < begin - 1) {
        throw new OutOfRetentionException(ch.name, afterId + 1, begin);
      }
      int idStart = MessageKeys.channelStart(ch.name).length;
      for (it.seek(MessageKeys.messageKey(ch.name, Math.max(afterId + 1, 0)));
          it.isValid() && result.size() < max;
          it.next()) {
        result.add(new Message(MessageKeys.idOf(it.key(), idStart), it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw store.failure("read from " + ch.name, e);
    }
    return result;
  }

  /** The id of the oldest message the channel stores, or -1. */
  long oldestId(String channel) {
    byte[] start = MessageKeys.channelStart(channel);
    try (Slice upper = new Slice(MessageKeys.channelEnd(channel));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = store.db.newIterator(store.messages, options)) {
      it.seek(start);
      if (it.isValid()) {
        return MessageKeys.idOf(it.key(), start.length);
      }
      it.status();
      return -1;
    } catch (RocksDBException e) {
      throw store.failure("read oldest message of " + channel, e);
    }
  }
}
