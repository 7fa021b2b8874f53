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
 */
public record CollectionInfo(
    long id,
    String name,
    CollectionSchema schema,
    List<String> channels,
    long createTs,
    boolean loaded) {

  public CollectionInfo {
    channels = List.copyOf(channels);
  }

  public CollectionInfo withLoaded(boolean newLoaded) {
    return new CollectionInfo(id, name, schema, channels, createTs, newLoaded);
  }
}
