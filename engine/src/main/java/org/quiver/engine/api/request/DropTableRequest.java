package org.quiver.engine.api.request;

/** Drops a table; {@code ifExists}: no error when there is none. */
public record DropTableRequest(String name, boolean ifExists) {}
