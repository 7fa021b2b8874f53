package org.quiver.engine.segment;

/**
 * The primary keys one sealed segment mentions: the key of each row with its insert timestamp, and
 * each delete record's key with its timestamp.
 */
public record SegmentKeys(Object[] inserted, long[] insertTs, Object[] deleted, long[] deleteTs) {}
