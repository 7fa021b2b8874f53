package org.quiver.engine.api.request;

import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexParams;

/**
 * Declares vector index {@code name} on a table's vector column {@code field}.
 *
 * @param efSearch the default search width of an HNSW index (0: the engine's)
 * @param nprobe the default number of lists an IVF search probes (0: the engine's)
 */
public record CreateIndexRequest(String table, String name, String field, IndexMethod method,
    IndexParams params, int efSearch, int nprobe, boolean ifNotExists) {}
