package org.quiver.storage.segment;

import org.quiver.storage.schema.ColumnBatch;

/**
 * The rows of a sealed segment as read from its data file.
 *
 * @param insertTs the insert timestamp of each row
 * @param rows the column values, in the order of {@code insertTs}
 */
public record SegmentData(long[] insertTs, ColumnBatch rows) {

  public SegmentData {
    if (insertTs.length != rows.rowCount()) {
      throw new IllegalArgumentException(
          insertTs.length + " timestamps for " + rows.rowCount() + " rows");
    }
  }
}
