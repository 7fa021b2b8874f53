package org.quiver.engine;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.datanode.ChannelCheckpoints;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes the multi-step DDL a crash interrupted, before anything else reads the
 * catalog: see {@link DdlJournal}; then removes the staging tables of replaces that never
 * swapped. Every step it repeats is idempotent.
 */
final class DdlRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(DdlRecovery.class);

  private DdlRecovery() {}

  static void recover(DdlJournal journal, MetaTable meta, ChannelCheckpoints checkpoints,
      IndexCatalog indexes, MessageQueue mq, SegmentStore segments) {
    for (DdlJournal.Plan plan : journal.pending()) {
      CollectionInfo info = plan.collection();
      switch (plan.kind()) {
        case CREATE_TABLE -> {
          if (meta.collection(info.id()).isPresent()) {
            LOG.info("event=ddl_recovered action=create_finished table={}", info.name());
          } else {
            info.channels().forEach(mq::destroyChannel);
            segments.deleteCollection(info.id());
            LOG.info("event=ddl_recovered action=create_undone table={}", info.name());
          }
        }
        case DROP_TABLE -> {
          // Finished as the task would: the table kept as dropped, for time travel until the purge.
          indexes.of(info.id()).forEach(indexes::remove);
          if (meta.collection(info.id()).isPresent()) {
            checkpoints.retire(info, plan.ts());
          }
          LOG.info("event=ddl_recovered action=drop_finished table={}", info.name());
        }
        case REPLACE_TABLE -> {
          // Finished as the task would: the filled staging table takes the name, the old table is
          // kept as dropped. Both checks make a second recovery of the same plan do nothing.
          CollectionInfo replaced = plan.replaced();
          indexes.of(replaced.id()).forEach(indexes::remove);
          CollectionInfo staging = meta.collection(info.id()).orElse(null);
          if (staging != null && meta.collection(replaced.id()).isPresent()) {
            checkpoints.swapIn(staging, replaced, plan.ts());
          }
          LOG.info("event=ddl_recovered action=replace_finished table={}", replaced.name());
        }
      }
      journal.end(plan);
    }
    // A replace cut short before its swap: the table it would have replaced is intact, and its
    // staging table, which no reader ever saw, goes (channels and files first, record last, so an
    // interrupted clean-up is redone).
    for (CollectionInfo info : meta.collections()) {
      if (MetaTable.isStaging(info.name())) {
        indexes.of(info.id()).forEach(indexes::remove);
        info.channels().forEach(mq::destroyChannel);
        segments.deleteCollection(info.id());
        meta.forgetCollection(info);
        LOG.info("event=ddl_recovered action=staging_removed table={}", info.name());
      }
    }
  }
}
