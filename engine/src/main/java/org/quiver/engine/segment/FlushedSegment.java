package org.quiver.engine.segment;

import java.lang.foreign.Arena;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The contents of one flushed segment: inserted rows with their timestamps, and delete records.
 *
 * @param mapping the arena of the data file's mapping when the vector columns are read in place
 *     ({@link SegmentStore#map}), which the holder closes once it no longer reads them; null when
 *     every column is on the heap
 */
public record FlushedSegment(
    ColumnBatch rows, long[] insertTs, Object[] deletedKeys, long[] deleteTs, Arena mapping) {

  /** Lets go of the mapping, if there is one, once the rows are no longer read. */
  public void release() {
    if (mapping != null) {
      mapping.close();
    }
  }
}
