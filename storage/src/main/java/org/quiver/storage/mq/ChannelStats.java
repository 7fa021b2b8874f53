package org.quiver.storage.mq;

/**
 * What one channel holds now: the figures behind {@code SHOW CHANNELS}.
 *
 * @param channel the channel's name
 * @param messageCount messages retained
 * @param retainedBytes bytes of the retained messages as stored (keys and payloads)
 * @param diskBytes the storage engine's estimate of the channel's size on disk and in memory
 *     buffers, which lags deletions until compaction
 * @param oldestRetainedId the id of the oldest retained message, or -1 if none is retained
 * @param beginId the lowest id a reader may still ask for: every message below it was deleted
 * @param lastId the id of the last message produced, or -1 if none was
 */
public record ChannelStats(
    String channel,
    long messageCount,
    long retainedBytes,
    long diskBytes,
    long oldestRetainedId,
    long beginId,
    long lastId) {}
