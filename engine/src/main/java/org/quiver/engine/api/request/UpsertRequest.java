package org.quiver.engine.api.request;

import org.quiver.storage.schema.ColumnBatch;

/**
 * Inserts rows into a partition ({@code partition} null: {@code _default}), replacing the live
 * rows of the same primary keys, in whatever partition they are.
 */
public record UpsertRequest(String table, ColumnBatch rows, String partition) {}
