package org.quiver.engine.api;

/** What a compaction did: segments before and after, rows and delete records purged. */
public record CompactResult(int segmentsBefore, int segmentsAfter, long rowsPurged,
    long deletesPurged) {}
