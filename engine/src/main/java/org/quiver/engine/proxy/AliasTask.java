package org.quiver.engine.proxy;

import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.rootcoord.AliasInfo;

/**
 * CREATE ALIAS, ALTER ALIAS and DROP ALIAS: one catalog write each, on the definition queue, so an
 * alias switches from one table to another atomically between two statements.
 */
final class AliasTask extends Task<Boolean> {
  /** What the task does to the alias. */
  enum Action { CREATE, ALTER, DROP }

  private final Components c;
  private final Action action;
  private final String alias;
  private final String table;
  private final boolean ifExists;

  /** {@code table} is null for DROP; {@code ifExists} only matters for DROP. */
  AliasTask(Components c, Action action, String alias, String table, boolean ifExists) {
    if (action == Action.CREATE) {
      Names.checkTableOrAlias("alias", alias);
    }
    this.c = c;
    this.action = action;
    this.alias = alias;
    this.table = table;
    this.ifExists = ifExists;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  /** Returns false when DROP IF EXISTS found no alias. */
  @Override
  Boolean execute() {
    boolean exists = c.meta.alias(alias).isPresent();
    switch (action) {
      case CREATE -> {
        if (exists) {
          throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT, "alias \"%s\" already exists", alias);
        }
        if (c.meta.collection(alias).isPresent()) {
          throw QuiverException.of(ErrorCode.DUPLICATE_OBJECT,
              "alias \"%s\" would hide the table of the same name", alias);
        }
        c.meta.saveAlias(new AliasInfo(alias, target().id()));
      }
      case ALTER -> {
        if (!exists) {
          throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT, "alias \"%s\" does not exist", alias);
        }
        c.meta.saveAlias(new AliasInfo(alias, target().id()));
      }
      case DROP -> {
        if (!exists) {
          if (ifExists) {
            return false;
          }
          throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT, "alias \"%s\" does not exist", alias);
        }
        c.meta.removeAlias(alias);
      }
    }
    return true;
  }

  private CollectionInfo target() {
    if (c.meta.alias(table).isPresent()) {
      throw QuiverException.of(ErrorCode.UNDEFINED_TABLE,
          "\"%s\" is an alias; an alias must name a table", table);
    }
    return c.collection(table);
  }
}
