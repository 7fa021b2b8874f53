package org.quiver.engine.rootcoord;

import java.util.List;
import java.util.Map;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;

/**
 * A dropped collection the catalog keeps for time travel ({@code dropped/<id>}) until the
 * retention window has passed its drop: its record, when it was dropped, and where its data is
 * (the sealed segments and, per channel, the last message they cover; the log after that is the
 * tail). Its channels and segment files stay until the purge.
 *
 * @param collection the record the table had when it was dropped
 * @param dropTs timestamp of the DROP TABLE, or of the swap of a replace
 * @param segments its sealed segments at the drop
 * @param checkpoints per DML channel, the id of the last message in a sealed segment (or -1)
 */
public record DroppedCollection(
    CollectionInfo collection, long dropTs, List<SegmentInfo> segments,
    Map<String, Long> checkpoints) {

  public DroppedCollection {
    segments = List.copyOf(segments);
    checkpoints = Map.copyOf(checkpoints);
  }

  /**
   * Whether the table existed at hybrid timestamp {@code ts}: seen by readers at or before, dropped
   * (or replaced) after.
   */
  public boolean aliveAt(long ts) {
    return collection.visibleAt(ts) && ts < dropTs;
  }
}
