package org.quiver.engine.proxy;

import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.engine.rootcoord.Tso;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the dropped tables whose drop is older than the retention window (no time travel can
 * reach them any more): releases their time-travel load, destroys their channels, deletes their
 * files and, last, their catalog record, so a crash midway is redone at the next purge. Runs at
 * start, on the compaction trigger's timer and before every CREATE and DROP TABLE.
 */
final class PurgeDroppedTask extends Task<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PurgeDroppedTask.class);
  private final Components c;

  PurgeDroppedTask(Components c) {
    this.c = c;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Integer execute() {
    return purge(c, Tso.physicalMillis(timestamp()));
  }

  /** Purges what is due at physical time {@code nowMillis}; returns how many tables. */
  static int purge(Components c, long nowMillis) {
    int purged = 0;
    for (DroppedCollection d : c.meta.dropped()) {
      if (Tso.physicalMillis(d.dropTs()) >= nowMillis - c.retentionMs) {
        continue;
      }
      long id = d.collection().id();
      c.queryNode.release(id);
      d.collection().channels().forEach(c.mq::destroyChannel);
      c.segments.deleteCollection(id);
      c.meta.forgetDropped(d);
      purged++;
      LOG.info("event=dropped_table_purged table={} id={}", d.collection().name(), id);
    }
    return purged;
  }
}
