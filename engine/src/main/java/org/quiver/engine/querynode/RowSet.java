package org.quiver.engine.querynode;

import org.quiver.storage.schema.ColumnBatch;

/**
 * Immutable rows with their insert timestamps: a sealed segment ({@code segmentId} >= 0), or one
 * insert message of a growing segment ({@code segmentId} -1). {@code lastMessageId} is the last
 * channel message the rows come from.
 */
record RowSet(ColumnBatch rows, long[] insertTs, long lastMessageId, long segmentId) {
  static final long GROWING = -1;

  int size() {
    return rows.rowCount();
  }
}
