package org.quiver.engine.api.status;

/**
 * How far the builds of an index have come: segments and rows indexed of all, and the last build
 * error (null if none).
 */
public record IndexProgress(int builtSegments, int totalSegments, long builtRows, long totalRows,
    String error) {}
