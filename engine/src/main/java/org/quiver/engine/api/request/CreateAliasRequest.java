package org.quiver.engine.api.request;

/** Creates {@code alias} standing for {@code table}. */
public record CreateAliasRequest(String alias, String table) {}
