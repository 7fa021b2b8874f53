package org.quiver.engine.api.status;

/**
 * What one channel of the log holds now, with the table it belongs to: the figures behind {@code
 * SHOW CHANNELS}.
 *
 * @param messageCount messages retained
 * @param retainedBytes bytes of the retained messages as stored (keys and payloads)
 * @param diskBytes the log's estimate of the channel's size on disk and in memory buffers
 * @param oldestRetainedId the id of the oldest retained message, or -1 if none is retained
 * @param beginId the lowest id a reader may still ask for
 * @param lastId the id of the last message produced, or -1 if none was
 */
public record TableChannelStats(String table, String channel, long messageCount,
    long retainedBytes, long diskBytes, long oldestRetainedId, long beginId, long lastId) {}
