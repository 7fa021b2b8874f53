package org.quiver.engine.api.request;

/** Merges a table's sealed segments and purges what the retention window no longer needs. */
public record CompactRequest(String table) {}
