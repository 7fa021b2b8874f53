package org.quiver.storage.mq;

import java.util.List;
import java.util.Map;

/**
 * A durable log of channels (RocksMQ in the embedded engine): producers append messages, consumers
 * read them back in order from any position, alone or as consumer groups.
 *
 * <p>Message ids increase strictly within a channel and are never reused, also across restarts.
 * {@link #produce} returns only after the messages are durable (fsync'd); concurrent producers may
 * share one sync (group commit). A group's position is the id of the last message it consumed
 * (every message with an id up to it counts as consumed), or -1. Implementations are thread-safe.
 */
public interface MessageQueue extends AutoCloseable {

  /** Creates the channel if it does not exist. */
  void createChannel(String channel);

  /** Removes the channel, its messages and the positions of its consumer groups. */
  void destroyChannel(String channel);

  boolean hasChannel(String channel);

  /**
   * Appends messages to a channel, durably, in order.
   *
   * @return the id given to each message, in the order of {@code payloads}
   * @throws IllegalArgumentException if the channel does not exist
   */
  List<Long> produce(String channel, List<byte[]> payloads);

  /**
   * Up to {@code max} messages of the channel with an id greater than {@code afterId}, in order.
   *
   * @throws OutOfRetentionException if retention deleted messages after {@code afterId}
   */
  List<Message> read(String channel, long afterId, int max);

  /** The id of the last message produced to the channel, or -1 if none was. */
  long lastId(String channel);

  /**
   * The lowest id that may still be retained: every message with a smaller id has been deleted by
   * retention. 0 while nothing was deleted.
   */
  long beginId(String channel);

  /** One past the id of the last message produced to the channel (0 if none was). */
  default long endId(String channel) {
    return lastId(channel) + 1;
  }

  /**
   * Creates a consumer group on a channel, positioned before the oldest retained message; does
   * nothing if the group exists.
   *
   * @throws IllegalArgumentException if the channel does not exist
   */
  void createConsumerGroup(String group, String channel);

  /** Removes a consumer group's position on a channel; does nothing if it has none. */
  void destroyConsumerGroup(String group, String channel);

  /**
   * Up to {@code max} messages after the group's position, in order; the group's position moves
   * past them durably before they are returned. Concurrent calls for one group get disjoint
   * messages.
   *
   * @throws IllegalArgumentException if the group does not exist on the channel
   */
  List<Message> consume(String group, String channel, int max);

  /**
   * Positions a group so that its next {@link #consume} starts at the first message with an id
   * {@code >= id}.
   *
   * @throws OutOfRetentionException if {@code id} is below {@link #beginId}
   * @throws IllegalArgumentException if the group does not exist or {@code id} is above {@link
   *     #endId}
   */
  void seek(String group, String channel, long id);

  /** Stores a consumer group's position, durably, creating the group if needed. */
  void savePosition(String group, String channel, long id);

  /** A consumer group's stored position, or -1 if it has none. */
  long position(String group, String channel);

  /** The position of every consumer group on the channel, by group name. */
  Map<String, Long> positions(String channel);

  /** Size and range figures of every channel, ordered by channel name. */
  List<ChannelStats> channelStats();

  /**
   * Says that more of the log may have become deletable (a flush moved the checkpoints), so that
   * a log which applies retention itself can run it soon; a log whose service applies its own
   * retention ignores it.
   */
  default void retainSoon() {}

  @Override
  void close();
}
