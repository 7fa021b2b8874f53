package org.quiver.engine.msgstream;

import java.util.List;

/**
 * Messages moved through a {@link MsgStream} together, with the range of their timestamps and where
 * they are in the log.
 *
 * <p>{@code beginTs} and {@code endTs} are the lowest and highest timestamp of its messages (0 and
 * 0 when it has none). {@code startPositions} holds, per channel that contributed, its first
 * message in the pack; {@code endPositions} holds, per channel, the position to read after in
 * order to continue right after the pack.
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
