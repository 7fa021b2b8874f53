package org.quiver.engine.api.request;

/** Drops a partition of a table with its rows. */
public record DropPartitionRequest(String table, String partition) {}
