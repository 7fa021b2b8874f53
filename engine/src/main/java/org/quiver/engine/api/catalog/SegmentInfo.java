package org.quiver.engine.api.catalog;

/**
 * A sealed, flushed segment as the catalog records it.
 *
 * @param id segment id
 * @param collectionId owning collection
 * @param channel the DML channel whose messages it holds
 * @param rowCount inserted rows in its data file
 * @param deleteCount delete records in its delete log
 * @param firstMessageId id of the first channel message it covers
 * @param lastMessageId id of the last channel message it covers: the channel's checkpoint
 * @param directory its folder, relative to the data directory, which names its partition
 */
public record SegmentInfo(
    long id,
    long collectionId,
    String channel,
    int rowCount,
    int deleteCount,
    long firstMessageId,
    long lastMessageId,
    String directory) {

  /**
   * The folder, relative to the data directory, of segment {@code segmentId} of a collection's
   * partition: {@code segments/<collection>/<partition>/<segment>}.
   */
  public static String directoryOf(long collectionId, String partition, long segmentId) {
    return "segments/" + collectionId + "/" + partition + "/" + segmentId;
  }

  /**
   * The partition whose rows the segment holds: the folder its directory lies in (see {@link
   * #directoryOf}).
   */
  public String partition() {
    String[] parts = directory.split("/");
    return parts.length >= 2 ? parts[parts.length - 2] : PartitionInfo.DEFAULT;
  }
}
