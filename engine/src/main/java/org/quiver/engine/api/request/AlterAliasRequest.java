package org.quiver.engine.api.request;

/** Points {@code alias} at {@code table}. */
public record AlterAliasRequest(String alias, String table) {}
