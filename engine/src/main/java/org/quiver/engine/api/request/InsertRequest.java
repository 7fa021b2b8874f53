package org.quiver.engine.api.request;

import org.quiver.storage.schema.ColumnBatch;

/** Inserts rows into a partition of a table ({@code partition} null: {@code _default}). */
public record InsertRequest(String table, ColumnBatch rows, String partition) {}
