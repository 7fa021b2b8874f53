package org.quiver.engine.querynode;

import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.storage.schema.ColumnBatch;

/**
 * Immutable rows with their insert timestamps: a sealed segment ({@code segmentId} >= 0), or one
 * insert message of a growing segment ({@code segmentId} -1). {@code lastMessageId} is the last
 * channel message the rows come from. A sealed segment's vector columns are read in place from its
 * mapped data file; {@code mapping} owns that mapping (null for growing rows), and the query node
 * retires it when it lets the segment go. {@code partition} is the partition the rows belong to.
 */
record RowSet(ColumnBatch rows, long[] insertTs, long lastMessageId, long segmentId,
    SegmentMapping mapping, String partition) {
  static final long GROWING = -1;

  RowSet(ColumnBatch rows, long[] insertTs, long lastMessageId, long segmentId,
      SegmentMapping mapping) {
    this(rows, insertTs, lastMessageId, segmentId, mapping, PartitionInfo.DEFAULT);
  }

  /** Whether a read restricted to {@code partitions} (null: all) reads these rows. */
  boolean in(java.util.List<String> partitions) {
    return partitions == null || partitions.contains(partition);
  }

  int size() {
    return rows.rowCount();
  }
}
