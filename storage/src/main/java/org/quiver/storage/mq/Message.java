package org.quiver.storage.mq;

/** One message of a channel: its id and its bytes. */
public record Message(long id, byte[] payload) {}
