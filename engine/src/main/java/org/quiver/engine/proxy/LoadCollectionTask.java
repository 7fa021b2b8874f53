package org.quiver.engine.proxy;

import org.quiver.engine.rootcoord.CollectionInfo;

/** LOAD TABLE and RELEASE TABLE: changes whether query nodes hold the collection in memory. */
final class LoadCollectionTask extends Task<Void> {
  private final Components c;
  private final String name;
  private final boolean load;

  LoadCollectionTask(Components c, String name, boolean load) {
    this.c = c;
    this.name = name;
    this.load = load;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Void execute() {
    CollectionInfo info = c.collection(name);
    if (info.loaded() != load) {
      c.meta.saveCollection(info.withLoaded(load));
    }
    if (load) {
      c.queryNode.load(info.withLoaded(true));
    } else {
      c.queryNode.release(info.id());
    }
    return null;
  }
}
