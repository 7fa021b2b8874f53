package org.quiver.engine.api.request;

/** Drops an alias; {@code ifExists}: no error when there is none. */
public record DropAliasRequest(String alias, boolean ifExists) {}
