package org.quiver.storage.mq;

import static org.quiver.storage.mq.MessageKeys.BEGIN_ID;
import static org.quiver.storage.mq.MessageKeys.STATS;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, per channel, the oldest messages that every consumer group of the channel has consumed
 * and that are older than the retention age (by the time in their id) or beyond the size budget.
 * A channel with no consumer group keeps everything.
 *
 * <p>A round deletes at most {@value #MAX_MESSAGES} messages per channel with one range delete,
 * the new begin id and figures in the same batch (and runs again at once if there were more);
 * then it compacts the deleted range and flushes every column family, so that the bytes leave the
 * disk rather than wait in older table files and write-ahead logs. Rounds run every
 * {@link RocksMessageQueue.Settings#retentionInterval()}, when asked ({@link #soon()}), and when the
 * oldest consumed message leaves the age window.
 */
final class Retention {
  /**
   * The most messages one round deletes per channel, bounding the time it holds the commit lock.
   */
  static final int MAX_MESSAGES = 100_000;
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final QueueStore store;
  private final ConsumerGroups groups;
  /** Held while a channel's cut is chosen and written, so no commit or group move interleaves. */
  private final ReentrantLock commitLock;
  private final RocksMessageQueue.Settings settings;
  /** Runs the background rounds; null when no policy runs in the background. */
  private final ScheduledExecutorService executor;
  /** A round as the queue runs it: under its lifecycle lock, failures logged. */
  private Runnable round;
  /** The round {@link #expireAt} scheduled, and when it is due; guarded by this object. */
  private ScheduledFuture<?> nextExpiry;
  private long nextExpiryMillis;

  Retention(QueueStore store, ConsumerGroups groups, ReentrantLock commitLock,
      RocksMessageQueue.Settings settings) {
    this.store = store;
    this.groups = groups;
    this.commitLock = commitLock;
    this.settings = settings;
    boolean policy = settings.retentionAge() != null || settings.retentionBytes() > 0;
    this.executor =
        policy && settings.retentionInterval() != null
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("quiver-mq-retention").daemon().factory())
            : null;
  }

  /** Starts the periodic rounds, each running {@code round}. */
  synchronized void start(Runnable round) {
    this.round = round;
    if (executor != null) {
      long every = settings.retentionInterval().toMillis();
      executor.scheduleWithFixedDelay(round, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Runs a round in the background now, if rounds run in the background at all. */
  synchronized void soon() {
    if (executor != null && !executor.isShutdown()) {
      try {
        executor.execute(round);
      } catch (RejectedExecutionException closing) {
        // The queue closed meanwhile.
      }
    }
  }

  void shutdown() {
    if (executor != null) {
      executor.shutdown();
    }
  }

  /**
   * One round over {@code channels}; the caller keeps them from being destroyed meanwhile.
   *
   * @return how many messages were deleted
   */
  long run(Collection<Channel> channels) {
    long deleted = 0;
    boolean more = false;
    for (Channel ch : channels) {
      long count = retain(ch);
      if (count > 0) {
        // Outside the commit lock: producers go on while the deleted range is rewritten.
        compact(ch.name, ch.beginId);
      }
      deleted += count;
      more |= count == MAX_MESSAGES;
    }
    if (deleted > 0) {
      try {
        store.flushAll();
      } catch (RocksDBException e) {
        throw store.failure("flush after retention", e);
      }
    }
    if (more) {
      soon();
    }
    return deleted;
  }

  private long retain(Channel ch) {
    Duration age = settings.retentionAge();
    long budget = settings.retentionBytes();
    if (age == null && budget == 0) {
      return 0;
    }
    commitLock.lock();
    try {
      Map<String, Long> positions = groups.positions(ch.name);
      if (positions.isEmpty()) {
        return 0;
      }
      long consumed = positions.values().stream().mapToLong(Long::longValue).min().orElseThrow();
      long expiredBelow =
          age == null
              ? Long.MIN_VALUE
              : (settings.clock().getAsLong() - age.toMillis()) << RocksMessageQueue.COUNTER_BITS;
      long cut = -1;
      long count = 0;
      long bytes = 0;
      try (Slice upper = new Slice(MessageKeys.channelEnd(ch.name));
          ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
          RocksIterator it = store.db.newIterator(store.messages, options)) {
        int idStart = MessageKeys.channelStart(ch.name).length;
        for (it.seek(MessageKeys.channelStart(ch.name)); it.isValid(); it.next()) {
          long id = MessageKeys.idOf(it.key(), idStart);
          boolean overBudget = budget > 0 && ch.bytes - bytes > budget;
          if (age != null && id <= consumed && id >= expiredBelow && !overBudget) {
            // Consumed but still young: the next round is due when it expires.
            expireAt((id >>> RocksMessageQueue.COUNTER_BITS) + age.toMillis() + 1);
          }
          if (id > consumed || (id >= expiredBelow && !overBudget) || count == MAX_MESSAGES) {
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
        batch.deleteRange(store.messages, MessageKeys.channelStart(ch.name),
            MessageKeys.messageKey(ch.name, cut + 1));
        batch.put(store.channelMeta, MessageKeys.metaKey(ch.name, BEGIN_ID),
            MessageKeys.encodeLong(cut + 1));
        batch.put(store.channelMeta, MessageKeys.metaKey(ch.name, STATS),
            MessageKeys.encodeStats(ch.count - count, ch.bytes - bytes));
        store.write(batch);
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
      throw store.failure("retention of " + ch.name, e);
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Runs a round at {@code millis} (by the settings' clock), unless one is due sooner: a consumed
   * message becomes deletable then, which may be long before the next periodic round.
   */
  private synchronized void expireAt(long millis) {
    if (executor == null || (nextExpiry != null && !nextExpiry.isDone()
        && nextExpiryMillis <= millis)) {
      return;
    }
    if (nextExpiry != null) {
      nextExpiry.cancel(false);
    }
    nextExpiryMillis = millis;
    try {
      nextExpiry = executor.schedule(round,
          Math.max(0, millis - settings.clock().getAsLong()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // The queue closed meanwhile.
    }
  }

  /**
   * Rewrites a channel's deleted range below {@code beginId}, so that the files holding the
   * deleted messages and their range tombstone are replaced by files without them.
   */
  private void compact(String channel, long beginId) {
    try {
      store.db.compactRange(store.messages, MessageKeys.channelStart(channel),
          MessageKeys.messageKey(channel, beginId));
    } catch (RocksDBException e) {
      throw store.failure("compaction of " + channel, e);
    }
  }
}
