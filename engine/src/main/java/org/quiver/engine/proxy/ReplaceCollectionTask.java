package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.rootcoord.Tso;

/**
 * The swap of a replace: a staging table, created under a hidden name
 * ({@link CreateCollectionTask#staging}) and filled, takes the name of the table it replaces in
 * one catalog write at this task's timestamp ({@link MetaTable#swapIn}), and the old table becomes
 * a dropped one kept for time travel. A read sees the old table with all its rows or the new one
 * with all its rows, never neither: the name moves in one step, and the old table stays loaded
 * until the purge, so a read that looked it up just before the swap still finishes on it.
 *
 * <p>Journaled as one plan ({@link DdlJournal.Kind#REPLACE_TABLE}); a crash after the plan is
 * written is finished at start, a crash before it leaves the old table as it was and the staging
 * table is removed ({@code engine.DdlRecovery}).
 */
final class ReplaceCollectionTask extends Task<Boolean> {
  private final Components c;
  private final String table;
  private final String staging;

  ReplaceCollectionTask(Components c, String table, String staging) {
    this.c = c;
    this.table = table;
    this.staging = staging;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Boolean execute() {
    CollectionInfo successor = c.meta.staging(staging).orElseThrow(() -> QuiverException.of(ErrorCode.UNDEFINED_TABLE,
            "the staging table \"%s\" of a replace of \"%s\" does not exist", staging, table));
    CollectionInfo replaced = c.meta.collection(table).orElseThrow(() -> QuiverException.of(
        ErrorCode.UNDEFINED_TABLE, "table \"%s\" was dropped while its replacement was loaded",
        table));
    PurgeDroppedTask.purge(c, Tso.physicalMillis(timestamp()));
    DdlJournal.Plan plan = new DdlJournal.Plan(DdlJournal.Kind.REPLACE_TABLE, successor,
        timestamp(), replaced);
    DdlJournal.step("replace", 1);
    c.meta.journal().begin(plan);
    DdlJournal.step("replace", 2);
    c.indexes.of(replaced.id()).forEach(c.indexes::remove);
    DdlJournal.step("replace", 3);
    c.dataNode.checkpoints().swapIn(successor, replaced, plan.ts());
    DdlJournal.step("replace", 4);
    c.dataNode.unwatch(replaced);
    c.forgetPrimaryKeys(replaced.id());
    DdlJournal.step("replace", 5);
    c.meta.journal().end(plan);
    return true;
  }
}
