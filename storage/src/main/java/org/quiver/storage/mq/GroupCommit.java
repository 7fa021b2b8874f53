package org.quiver.storage.mq;

import static org.quiver.storage.mq.MessageKeys.END_ID;
import static org.quiver.storage.mq.MessageKeys.STATS;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.quiver.storage.StorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Appends messages with group commit, and gives their ids.
 *
 * <p>{@link #produce} queues its request; the producer at the head of the queue (the leader) takes
 * the queued requests (up to {@link #MAX_GROUP_BYTES} of payload), gives ids, and writes all
 * messages, end ids, figures and the allocator in one synced WriteBatch, then wakes the producers
 * whose requests it wrote and the next head. Producers that arrive during a sync therefore share
 * the next one (as in LevelDB's writer queue).
 *
 * <p>Ids come from one allocator for all channels: {@code max(last + 1, clock ms << 18)}. The
 * allocator's last id is written in the same synced batch as the messages that use it, so after a
 * restart ids continue above it even if the clock went back.
 */
final class GroupCommit {
  /** A group commit stops taking requests past this many payload bytes, bounding batch memory. */
  private static final long MAX_GROUP_BYTES = 16L << 20;

  private final QueueStore store;
  /** Held while a group is committed; guards the allocator and the channels' figures. */
  private final ReentrantLock commitLock;
  private final LongSupplier clock;
  /** Guards {@link #writers} and the done flags of the requests in it. */
  private final ReentrantLock queueLock = new ReentrantLock();
  /** Produce requests in arrival order; the first one's thread is the commit leader. */
  private final ArrayDeque<ProduceRequest> writers = new ArrayDeque<>();
  /** The last id given; changed under {@link #commitLock}. */
  private long lastAllocated;

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

  /** Continues the allocator stored in {@code store}, above every channel's last id. */
  GroupCommit(QueueStore store, ChannelRegistry channels, ReentrantLock commitLock,
      LongSupplier clock) {
    this.store = store;
    this.commitLock = commitLock;
    this.clock = clock;
    try {
      byte[] last = store.db.get(store.allocatorMeta, MessageKeys.LAST_ID_KEY);
      lastAllocated = last == null ? -1 : MessageKeys.decodeLong(last);
    } catch (RocksDBException e) {
      throw new StorageException("cannot read channel meta dir=" + store.dir, e);
    }
    for (Channel ch : channels.all()) {
      lastAllocated = Math.max(lastAllocated, ch.lastId);
    }
  }

  /**
   * Appends {@code payloads} to the channel durably and returns the first id given; the caller
   * keeps the channel from being destroyed meanwhile.
   */
  long produce(Channel ch, List<byte[]> payloads) {
    ProduceRequest request = new ProduceRequest(ch, List.copyOf(payloads), queueLock.newCondition());
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
      throw store.failure("produce to " + ch.name, request.failure);
    }
    return request.firstId;
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
    long first = Math.max(lastAllocated + 1, clock.getAsLong() << RocksMessageQueue.COUNTER_BITS);
    lastAllocated = first + n - 1;
    return first;
  }

  /**
   * Gives ids to a group of requests and writes them in one synced batch; only the leader runs it.
   *
   * <p>The requests' channels cannot vanish meanwhile: each producer holds the read side of the
   * queue's lifecycle lock until its request is done, and destroying a channel needs the write
   * side.
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
          byte[] key = MessageKeys.messageKey(r.channel.name, id);
          batch.put(store.messages, key, payload);
          c[0] = id++;
          c[1]++;
          c[2] += key.length + payload.length;
        }
      }
      for (Map.Entry<Channel, long[]> e : changes.entrySet()) {
        String name = e.getKey().name;
        long[] c = e.getValue();
        batch.put(store.channelMeta, MessageKeys.metaKey(name, END_ID),
            MessageKeys.encodeLong(c[0] + 1));
        batch.put(store.channelMeta, MessageKeys.metaKey(name, STATS),
            MessageKeys.encodeStats(c[1], c[2]));
      }
      batch.put(store.allocatorMeta, MessageKeys.LAST_ID_KEY, MessageKeys.encodeLong(lastAllocated));
      store.write(batch);
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
}
