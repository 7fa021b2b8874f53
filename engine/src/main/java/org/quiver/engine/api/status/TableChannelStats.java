package org.quiver.engine.api.status;

import org.quiver.storage.mq.ChannelStats;

/**
 * The figures of one channel of the log with the table that writes to it.
 *
 * @param table the table's name, or null for a channel no table owns (left by a DROP TABLE that
 *     did not finish)
 * @param stats the channel's size and range figures
 */
public record TableChannelStats(String table, ChannelStats stats) {}
