package org.quiver.engine.proxy;

import java.util.Optional;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * DROP INDEX: forgets the index in the catalog first, then closes it on the query node; its files
 * are removed with their segments (searches of the segment are exact from now on).
 */
final class DropIndexTask extends Task<Boolean> {
  private final Components c;
  private final String name;
  private final boolean ifExists;

  DropIndexTask(Components c, String name, boolean ifExists) {
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
    Optional<IndexInfo> found = c.indexes.byName(name);
    if (found.isEmpty()) {
      if (ifExists) {
        return false;
      }
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT, "index \"%s\" does not exist", name);
    }
    c.indexes.remove(found.get());
    c.queryNode.indexDropped(found.get());
    return true;
  }
}
