package org.quiver.engine.api.request;

/** Drops an index; {@code ifExists}: no error when there is none. */
public record DropIndexRequest(String name, boolean ifExists) {}
