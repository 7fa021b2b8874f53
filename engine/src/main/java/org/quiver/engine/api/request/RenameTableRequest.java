package org.quiver.engine.api.request;

/** Renames a table to {@code newName}. */
public record RenameTableRequest(String table, String newName) {}
