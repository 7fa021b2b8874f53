package org.quiver.engine.proxy;

import java.util.List;
import java.util.Optional;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.rootcoord.AliasInfo;
import org.quiver.engine.rootcoord.CollectionInfo;

/**
 * DROP TABLE: removes the catalog records first (one atomic write), then the channel and files,
 * which nothing references any more; a crash in between leaves only garbage that start-up removes.
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
    c.indexes.of(info.id()).forEach(c.indexes::remove);
    c.meta.removeCollection(info);
    c.dataNode.unwatch(info);
    c.queryNode.release(info.id());
    c.forgetPrimaryKeys(info.id());
    info.channels().forEach(c.mq::destroyChannel);
    c.segments.deleteCollection(info.id());
    return true;
  }
}
