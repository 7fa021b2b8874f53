package org.quiver.engine.api.catalog;

/**
 * A partition of a collection as the catalog records it. Every collection has the partition
 * {@value #DEFAULT}, which is never recorded and cannot be dropped.
 *
 * @param collectionId owning collection
 * @param name partition name, unique in the collection
 * @param createTs timestamp of the task that created it
 */
public record PartitionInfo(long collectionId, String name, long createTs) {
  public static final String DEFAULT = "_default";
}
