package org.quiver.engine.proxy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * LOAD TABLE and RELEASE TABLE, of the whole collection or of some partitions: records in the
 * catalog whether the collection is loaded and which of its partitions are released, then makes
 * the query node hold exactly the loaded partitions. Releasing every partition releases the
 * collection; loading a partition of a released collection loads that partition only.
 */
final class LoadCollectionTask extends Task<Void> {
  private final Components c;
  private final String name;
  private final boolean load;
  /** The partitions named; empty: the whole collection. */
  private final List<String> partitions;

  LoadCollectionTask(Components c, String name, boolean load, List<String> partitions) {
    this.c = c;
    this.name = name;
    this.load = load;
    this.partitions = List.copyOf(partitions);
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  Void execute() {
    CollectionInfo info = c.collection(name);
    List<String> all = c.meta.partitions(info.id());
    for (String partition : partitions) {
      if (!all.contains(partition)) {
        throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
            "partition \"%s\" does not exist in table \"%s\"; its partitions are %s", partition,
            info.name(), String.join(", ", all));
      }
    }
    Set<String> wasReleased = info.loaded() ? c.meta.releasedPartitions(info.id()) : Set.of();
    Set<String> released = new TreeSet<>();
    boolean loaded;
    if (partitions.isEmpty()) {
      loaded = load;
    } else if (load) {
      released.addAll(info.loaded() ? wasReleased : all);
      partitions.forEach(released::remove);
      loaded = true;
    } else {
      released.addAll(wasReleased);
      released.addAll(partitions);
      loaded = info.loaded() && !released.containsAll(all);
      if (!loaded) {
        released.clear();
      }
    }
    if (info.loaded() != loaded || !released.equals(new TreeSet<>(wasReleased))) {
      c.meta.saveLoad(info.withLoaded(loaded), released);
    }
    if (loaded) {
      c.queryNode.load(info.withLoaded(true));
      // An index found damaged while loading is built again.
      c.indexes.of(info.id()).forEach(index -> c.indexNode.buildMissing(info, index));
    } else {
      c.queryNode.release(info.id());
    }
    return null;
  }
}
