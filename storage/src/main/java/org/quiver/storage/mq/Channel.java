package org.quiver.storage.mq;

/**
 * The id range and size of one channel, in memory. Written under the queue's commit lock (by
 * {@link GroupCommit} and {@link Retention}); read without it.
 */
final class Channel {
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
