package org.quiver.storage.mq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.Range;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;

/** The figures behind {@code SHOW CHANNELS}: each channel's size, id range and disk estimate. */
final class ChannelFigures {
  private final QueueStore store;
  private final MessageReader reader;
  private final ReentrantLock commitLock;

  ChannelFigures(QueueStore store, MessageReader reader, ReentrantLock commitLock) {
    this.store = store;
    this.reader = reader;
    this.commitLock = commitLock;
  }

  /** The figures of every channel, in the order given. */
  List<ChannelStats> of(List<Channel> channels) {
    List<ChannelStats> out = new ArrayList<>();
    for (Channel ch : channels) {
      long count;
      long bytes;
      long begin;
      long last;
      // Under the commit lock, so that count, bytes and the id range are of one moment.
      commitLock.lock();
      try {
        count = ch.count;
        bytes = ch.bytes;
        begin = ch.beginId;
        last = ch.lastId;
      } finally {
        commitLock.unlock();
      }
      out.add(new ChannelStats(ch.name, count, bytes, diskBytes(ch.name),
          reader.oldestId(ch.name), begin, last));
    }
    return out;
  }

  private long diskBytes(String channel) {
    try (Slice start = new Slice(MessageKeys.channelStart(channel));
        Slice end = new Slice(MessageKeys.channelEnd(channel))) {
      return store.db.getApproximateSizes(store.messages, List.of(new Range(start, end)),
          SizeApproximationFlag.INCLUDE_FILES, SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
    }
  }
}
