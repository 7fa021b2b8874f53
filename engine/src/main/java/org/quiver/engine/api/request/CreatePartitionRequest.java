package org.quiver.engine.api.request;

/** Creates a partition of a table. */
public record CreatePartitionRequest(String table, String partition) {}
