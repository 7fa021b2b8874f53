package org.quiver.engine.proxy;

import java.util.List;
import java.util.Optional;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.AliasInfo;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.engine.rootcoord.Tso;

/**
 * DROP TABLE: journals its plan, then removes the indexes and, in one atomic catalog write, turns
 * the table's record into a dropped one ({@code dropped/<id>}), and stops writing and serving it.
 * Its channels and files stay for time travel until the retention window has passed
 * ({@link PurgeDroppedTask}). A crash at any step after the plan is written is finished at start
 * ({@code engine.DdlRecovery}).
 */
final class DropCollectionTask extends Task<Boolean> {
  private final Components c;
  private final String name;
  private final boolean ifExists;

  DropCollectionTask(Components c, String name, boolean ifExists) {
    this.c = c;
    this.name = name;
    this.ifExists = ifExists;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Boolean execute() {
    Optional<CollectionInfo> found = c.meta.collection(name);
    if (found.isEmpty()) {
      if (ifExists) {
        return false;
      }
      throw QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", name);
    }
    CollectionInfo info = found.get();
    List<String> aliases = c.meta.aliases().stream()
        .filter(a -> a.collectionId() == info.id()).map(AliasInfo::name).toList();
    if (!aliases.isEmpty()) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" has aliases %s; drop or alter them first", name,
          String.join(", ", aliases));
    }
    // Ordered steps under a journaled plan: once the plan is written, a crash at any later step is
    // finished at start, so the table never comes back half-dropped.
    PurgeDroppedTask.purge(c, Tso.physicalMillis(timestamp()));
    DdlJournal.Plan plan = new DdlJournal.Plan(DdlJournal.Kind.DROP_TABLE, info, timestamp());
    DdlJournal.step("drop", 1);
    c.meta.journal().begin(plan);
    DdlJournal.step("drop", 2);
    c.indexes.of(info.id()).forEach(c.indexes::remove);
    DdlJournal.step("drop", 3);
    c.dataNode.checkpoints().retire(info, plan.ts());
    DdlJournal.step("drop", 4);
    c.dataNode.unwatch(info);
    c.queryNode.release(info.id());
    c.forgetPrimaryKeys(info.id());
    DdlJournal.step("drop", 5);
    c.meta.journal().end(plan);
    return true;
  }
}
