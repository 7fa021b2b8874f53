package org.quiver.storage.mq;

import java.util.List;

/**
 * A durable log of channels (RocksMQ in the embedded engine): producers append messages, consumers
 * read them back in order from any position.
 *
 * <p>Message ids increase strictly within a channel and are never reused, also across restarts.
 * {@link #produce} returns only after the messages are durable (fsync'd); concurrent producers may
 * share one sync (group commit). Implementations are thread-safe.
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

  /** Up to {@code max} messages of the channel with an id greater than {@code afterId}, in order. */
  List<Message> read(String channel, long afterId, int max);

  /** The id of the last message produced to the channel, or -1 if none was. */
  long lastId(String channel);

  /** Stores a consumer group's position (the id of the last message it has consumed), durably. */
  void savePosition(String group, String channel, long id);

  /** A consumer group's stored position, or -1 if it has none. */
  long position(String group, String channel);

  @Override
  void close();
}
