package org.quiver.engine.api.request;

/** Swaps the filled staging table {@code staging} in for {@code table}. */
public record ReplaceTableRequest(String table, String staging) {}
