package org.quiver.engine.rootcoord;

import java.util.List;
import org.quiver.storage.schema.CollectionSchema;

/**
 * A collection (a SQL table) as the catalog records it.
 *
 * @param id collection id, never reused
 * @param name table name
 * @param schema columns
 * @param channels the DML channels (shards) its rows are written to
 * @param createTs timestamp of the CREATE TABLE task
 * @param loaded whether query nodes hold it in memory (a new table starts loaded)
 * @param consistencyLevel the read consistency of searches that do not choose one (STRONG when
 *     the record predates the option)
 */
public record CollectionInfo(
    long id,
    String name,
    CollectionSchema schema,
    List<String> channels,
    long createTs,
    boolean loaded,
    ConsistencyLevel consistencyLevel) {

  public CollectionInfo {
    channels = List.copyOf(channels);
    consistencyLevel = consistencyLevel == null ? ConsistencyLevel.STRONG : consistencyLevel;
  }

  public CollectionInfo(long id, String name, CollectionSchema schema, List<String> channels,
      long createTs, boolean loaded) {
    this(id, name, schema, channels, createTs, loaded, ConsistencyLevel.STRONG);
  }

  public CollectionInfo withLoaded(boolean newLoaded) {
    return new CollectionInfo(id, name, schema, channels, createTs, newLoaded, consistencyLevel);
  }
}
