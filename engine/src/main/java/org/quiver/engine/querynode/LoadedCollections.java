package org.quiver.engine.querynode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.SegmentStore;

/**
 * The collections a query node holds, by id, and the checks a read passes before it reads one:
 * loaded, undamaged, and not touching a released partition.
 *
 * <p>The map is concurrent and read without any lock; registering, replacing and removing a
 * collection are single atomic map operations. A collection's own state is guarded by its lock
 * (see {@link LoadedCollection}).
 */
final class LoadedCollections {
  private final MetaTable meta;
  private final SegmentStore segments;
  private final Map<Long, LoadedCollection> byId = new ConcurrentHashMap<>();

  LoadedCollections(MetaTable meta, SegmentStore segments) {
    this.meta = meta;
    this.segments = segments;
  }

  /** The loaded collection, or null. */
  LoadedCollection get(long collectionId) {
    return byId.get(collectionId);
  }

  boolean isLoaded(long collectionId) {
    return byId.containsKey(collectionId);
  }

  /** Whether {@code lc} is the collection held for its id (not released or replaced since). */
  boolean isCurrent(LoadedCollection lc) {
    return byId.get(lc.info.id()) == lc;
  }

  /** Registers {@code lc}; false when one is registered already. */
  boolean register(LoadedCollection lc) {
    return byId.putIfAbsent(lc.info.id(), lc) == null;
  }

  /** Replaces {@code current} by {@code lc}; false when {@code current} is no longer held. */
  boolean replace(LoadedCollection current, LoadedCollection lc) {
    return byId.replace(lc.info.id(), current, lc);
  }

  /** Forgets {@code lc} if it is still the one held for its id. */
  void forget(LoadedCollection lc) {
    byId.remove(lc.info.id(), lc);
  }

  /** Forgets and returns the collection held for the id, or null. */
  LoadedCollection remove(long collectionId) {
    return byId.remove(collectionId);
  }

  /** The ids of the collections held, a copy. */
  Set<Long> ids() {
    return Set.copyOf(byId.keySet());
  }

  /**
   * The damage that keeps the table from being read, if any: a damaged file of a segment the
   * catalog still lists.
   */
  Optional<Damage> unreadable(CollectionInfo info) {
    if (!segments.damage().any(info.id())) {
      return Optional.empty();
    }
    Set<Long> current = new HashSet<>();
    meta.segments(info.id()).forEach(s -> current.add(s.id()));
    return segments.damage().unreadable(info.id(), current::contains);
  }

  /**
   * The loaded collection, if a read of {@code partitions} (null: every partition) touches none of
   * its released partitions: a read never answers from part of the rows it asks for.
   */
  LoadedCollection require(CollectionInfo info, List<String> partitions) {
    LoadedCollection lc = require(info);
    lc.lock.readLock().lock();
    try {
      checkHeld(lc, info, partitions);
    } finally {
      lc.lock.readLock().unlock();
    }
    return lc;
  }

  private LoadedCollection require(CollectionInfo info) {
    LoadedCollection lc = byId.get(info.id());
    if (lc == null) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" is not loaded; run LOAD TABLE %s first", info.name(), info.name());
    }
    // Never an answer from the intact part of a damaged table: it would be silently wrong.
    Damage damage = unreadable(info).orElse(null);
    if (damage != null) {
      throw QuiverException.of(ErrorCode.DATA_CORRUPTED,
          "table \"%s\" is damaged: file %s of segment %d: %s; its reads fail until the file is"
              + " restored and the table loaded again (see sys.damage, ./quiver check)",
          info.name(), damage.file(), damage.segmentId(), damage.problem());
    }
    return lc;
  }

  /**
   * Checked again under the read lock that the read holds while it reads: a release or a reload
   * (LOAD of a partition) that ran between {@link #require} and the lock must fail the read, never
   * leave it reading fewer rows.
   */
  static void checkHeld(LoadedCollection lc, CollectionInfo info, List<String> partitions) {
    if (lc.isClosed()) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" was released or loaded again while the read waited; run it again",
          info.name());
    }
    List<String> missing = new ArrayList<>();
    for (String partition : partitions == null ? List.copyOf(lc.released()) : partitions) {
      if (lc.isReleased(partition) && !missing.contains(partition)) {
        missing.add(partition);
      }
    }
    if (!missing.isEmpty()) {
      missing.sort(Comparator.comparing((String p) -> !p.equals(PartitionInfo.DEFAULT))
          .thenComparing(Comparator.naturalOrder()));
      String names = String.join(", ", missing);
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "table \"%s\" is not loaded in partition%s %s; run LOAD TABLE %s PARTITION (%s) first, "
              + "or read the loaded partitions only with /*+ partitions(...) */",
          info.name(), missing.size() == 1 ? "" : "s", names, info.name(), names);
    }
  }
}
