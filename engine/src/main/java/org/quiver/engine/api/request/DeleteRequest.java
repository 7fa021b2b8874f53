package org.quiver.engine.api.request;

import java.util.List;

/** Deletes the rows of a table with these primary keys (Long or String values). */
public record DeleteRequest(String table, List<Object> primaryKeys) {}
