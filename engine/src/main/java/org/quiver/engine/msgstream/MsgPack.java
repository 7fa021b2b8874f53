package org.quiver.engine.msgstream;

import java.util.List;

/**
 * Messages moved through a {@link MsgStream} together, with the range of their timestamps and where
 * they are in the log.
 *
 * <p>For a pack released by a {@link TimeTickConsumer}, {@code beginTs} is the previous tick
 * (exclusive) and {@code endTs} the tick that released it (inclusive); otherwise they are the lowest
 * and highest timestamp of its messages (0 and 0 when it has none). {@code startPositions} holds,
 * per channel that contributed, its first message in the pack; {@code endPositions} holds, per
 * channel, the position to {@link MsgStream#seek} to in order to continue right after the pack.
 *
 * @param messages the messages with their positions, in the order they are to be applied
 */
public record MsgPack(long beginTs, long endTs, List<Entry> messages,
    List<MsgPosition> startPositions, List<MsgPosition> endPositions) {

  public MsgPack {
    messages = List.copyOf(messages);
    startPositions = List.copyOf(startPositions);
    endPositions = List.copyOf(endPositions);
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  /**
   * One message of a pack.
   *
   * @param size the bytes the message takes in the log
   */
  public record Entry(MsgPosition position, TsMsg message, int size) {}
}
