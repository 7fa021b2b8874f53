package org.quiver.engine.rootcoord;

import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;

/**
 * A vector index declared on a collection's vector column, as the catalog records it.
 *
 * @param id index id, never reused
 * @param collectionId the indexed collection
 * @param name index name, unique in the database
 * @param field the vector column
 * @param method how the index is built
 * @param metric the distance it is built for
 * @param m HNSW: maximum neighbours per node
 * @param efConstruction HNSW: candidate list size while building
 */
public record IndexInfo(
    long id,
    long collectionId,
    String name,
    String field,
    IndexMethod method,
    IndexMetric metric,
    int m,
    int efConstruction) {

  /** The folder of this index inside a segment's folder. */
  public String directoryIn(String segmentDirectory) {
    return segmentDirectory + "/index-" + id;
  }
}
