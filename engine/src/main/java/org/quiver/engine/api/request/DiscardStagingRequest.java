package org.quiver.engine.api.request;

/** Gives up a replace: removes its staging table. */
public record DiscardStagingRequest(String staging) {}
