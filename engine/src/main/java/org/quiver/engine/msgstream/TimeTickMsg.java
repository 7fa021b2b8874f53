package org.quiver.engine.msgstream;

/**
 * A promise written to a channel: every message with a timestamp at or below {@code timestamp}
 * has already been produced to it, so a consumer may release them.
 */
public record TimeTickMsg(long collectionId, long timestamp) implements TsMsg {
  @Override
  public MessageType type() {
    return MessageType.TIME_TICK;
  }
}
