package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;

/**
 * Gives up a replace before its swap: removes the staging table, which no reader ever saw, with
 * its channels, files and records at once (no time travel can reach it). A crash midway leaves
 * its record, and the engine's start removes it ({@code engine.DdlRecovery}).
 */
final class DiscardStagingTask extends Task<Boolean> {
  private final Components c;
  private final String staging;

  DiscardStagingTask(Components c, String staging) {
    this.c = c;
    this.staging = staging;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  /** Returns false when there was no such staging table (already swapped in or removed). */
  @Override
  Boolean execute() {
    CollectionInfo info = c.meta.staging(staging).orElse(null);
    if (info == null) {
      return false;
    }
    c.dataNode.unwatch(info);
    c.queryNode.release(info.id());
    c.forgetPrimaryKeys(info.id());
    c.indexes.of(info.id()).forEach(c.indexes::remove);
    info.channels().forEach(c.mq::destroyChannel);
    c.segments.deleteCollection(info.id());
    c.meta.forgetCollection(info);
    return true;
  }
}
