package org.quiver.engine.api.catalog;

import java.util.List;
import org.quiver.engine.api.ConsistencyLevel;
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
 * @param visibleSince timestamp from which readers see the collection under a user's name: its
 *     creation, or for a table filled under a staging name and swapped in by a replace, the swap
 *     (so a read as of an earlier time finds the table it replaced). Records written before the
 *     swap existed read it as {@code createTs}
 */
public record CollectionInfo(
    long id,
    String name,
    CollectionSchema schema,
    List<String> channels,
    long createTs,
    boolean loaded,
    ConsistencyLevel consistencyLevel,
    long visibleSince) {

  public CollectionInfo {
    channels = List.copyOf(channels);
    consistencyLevel = consistencyLevel == null ? ConsistencyLevel.STRONG : consistencyLevel;
    visibleSince = visibleSince == 0 ? createTs : visibleSince;
  }

  public CollectionInfo(long id, String name, CollectionSchema schema, List<String> channels,
      long createTs, boolean loaded, ConsistencyLevel consistencyLevel) {
    this(id, name, schema, channels, createTs, loaded, consistencyLevel, createTs);
  }

  public CollectionInfo(long id, String name, CollectionSchema schema, List<String> channels,
      long createTs, boolean loaded) {
    this(id, name, schema, channels, createTs, loaded, ConsistencyLevel.STRONG);
  }

  public CollectionInfo withLoaded(boolean newLoaded) {
    return new CollectionInfo(id, name, schema, channels, createTs, newLoaded, consistencyLevel,
        visibleSince);
  }

  /** The same collection under another name (ALTER TABLE ... RENAME TO): its history moves too. */
  public CollectionInfo renamed(String newName) {
    return new CollectionInfo(id, newName, schema, channels, createTs, loaded, consistencyLevel,
        visibleSince);
  }

  /** The same collection under {@code newName}, seen by readers from {@code ts} on: a replace's swap. */
  public CollectionInfo swappedIn(String newName, long ts) {
    return new CollectionInfo(id, newName, schema, channels, createTs, loaded, consistencyLevel, ts);
  }

  /** Whether a read at hybrid timestamp {@code ts} may see the collection under its name. */
  public boolean visibleAt(long ts) {
    return visibleSince <= ts;
  }
}
