package org.quiver.storage.mq;

/**
 * A read, consume or seek asked for messages that retention has already deleted: the caller would
 * otherwise silently miss them.
 */
public final class OutOfRetentionException extends RuntimeException {
  private final String channel;
  private final long requestedId;
  private final long beginId;

  public OutOfRetentionException(String channel, long requestedId, long beginId) {
    super("channel " + channel + ": id " + requestedId + " is before the retained range, which"
        + " starts at id " + beginId + " (older messages were deleted by retention)");
    this.channel = channel;
    this.requestedId = requestedId;
    this.beginId = beginId;
  }

  public String channel() {
    return channel;
  }

  public long requestedId() {
    return requestedId;
  }

  /** The lowest id still retained on the channel. */
  public long beginId() {
    return beginId;
  }
}
