package org.quiver.engine.querynode;

import org.quiver.storage.schema.ColumnBatch;

/**
 * Immutable rows with their insert timestamps: a sealed segment, or one insert message of a
 * growing segment. {@code lastMessageId} is the last channel message the rows come from.
 */
record RowSet(ColumnBatch rows, long[] insertTs, long lastMessageId) {
  int size() {
    return rows.rowCount();
  }
}
