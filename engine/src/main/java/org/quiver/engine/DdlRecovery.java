package org.quiver.engine;

import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.mq.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes the multi-step DDL a crash interrupted, before anything else reads the
 * catalog: see {@link DdlJournal}. Every step it repeats is idempotent.
 */
final class DdlRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(DdlRecovery.class);

  private DdlRecovery() {}

  static void recover(DdlJournal journal, MetaTable meta, IndexCatalog indexes, MessageQueue mq,
      SegmentStore segments) {
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
            meta.retireCollection(info, plan.ts());
          }
          LOG.info("event=ddl_recovered action=drop_finished table={}", info.name());
        }
      }
      journal.end(plan);
    }
  }
}
