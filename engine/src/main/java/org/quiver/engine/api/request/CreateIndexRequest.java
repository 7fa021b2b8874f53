package org.quiver.engine.api.request;

import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexParams;

/**
 * Declares vector index {@code name} on a table's vector column {@code field}.
 *
 * @param efSearch the default search width of an HNSW index (0: the engine's)
 * @param nprobe the default number of lists an IVF search probes (0: the engine's)
 * @param rerank the fewest candidates a quantized HNSW search re-ranks (0: its width alone)
 */
public record CreateIndexRequest(String table, String name, String field, IndexMethod method,
    IndexParams params, int efSearch, int nprobe, int rerank, boolean ifNotExists) {

  /** A request without a re-rank depth. */
  public CreateIndexRequest(String table, String name, String field, IndexMethod method,
      IndexParams params, int efSearch, int nprobe, boolean ifNotExists) {
    this(table, name, field, method, params, efSearch, nprobe, 0, ifNotExists);
  }
}
