package org.quiver.engine.api.request;

/** Seals and flushes everything written to a table so far. */
public record FlushRequest(String table) {}
