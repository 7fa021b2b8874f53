package org.quiver.engine.api.request;

import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.storage.schema.CollectionSchema;

/** Creates, under a hidden name, the table that will replace {@code table}. */
public record StageReplacementRequest(String table, CollectionSchema schema, int shards,
    ConsistencyLevel consistency) {}
