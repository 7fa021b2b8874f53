package org.quiver.engine.api.request;

import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.storage.schema.CollectionSchema;

/**
 * Creates a table with {@code shards} log channels, whose reads use {@code consistency} unless
 * they choose a level; {@code ifNotExists}: no error when it exists.
 */
public record CreateTableRequest(String name, CollectionSchema schema, boolean ifNotExists,
    int shards, ConsistencyLevel consistency) {}
