package org.quiver.engine.msgstream;

/** Where a message is in the log: its channel and its message id there. */
public record MsgPosition(String channel, long messageId) {}
