package org.quiver.engine.segment;

import org.quiver.storage.schema.ColumnBatch;

/**
 * The contents of one flushed segment: inserted rows with their timestamps, and delete records.
 */
public record FlushedSegment(
    ColumnBatch rows, long[] insertTs, Object[] deletedKeys, long[] deleteTs) {}
