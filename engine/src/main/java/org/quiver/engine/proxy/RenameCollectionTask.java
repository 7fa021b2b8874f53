package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.MetaTable;

/**
 * ALTER TABLE ... RENAME TO: one catalog write on the definition queue. The collection keeps its
 * id, so its rows, partitions, indexes and history go with it, and the aliases that stand for it
 * keep standing for it under its new name (as Milvus's RenameCollection keeps them).
 */
final class RenameCollectionTask extends Task<Boolean> {
  private final Components c;
  private final String table;
  private final String newName;

  RenameCollectionTask(Components c, String table, String newName) {
    Names.checkTableOrAlias("table", newName);
    this.c = c;
    this.table = table;
    this.newName = newName;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Boolean execute() {
    CollectionInfo info = c.meta.collection(table)
        .filter(found -> !MetaTable.isStaging(found.name()))
        .orElseThrow(() -> c.meta.alias(table).isPresent()
            ? QuiverException.of(ErrorCode.WRONG_OBJECT_TYPE,
                "\"%s\" is an alias, not a table; rename the table it stands for, or drop the"
                    + " alias and create it under the new name", table)
            : QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", table));
    if (c.meta.collection(newName).isPresent()) {
      throw QuiverException.of(ErrorCode.DUPLICATE_TABLE, "table \"%s\" already exists",
          newName);
    }
    if (c.meta.alias(newName).isPresent()) {
      throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT,
          "\"%s\" is an alias; a table cannot take its name", newName);
    }
    c.meta.renameCollection(info, newName);
    return true;
  }
}
