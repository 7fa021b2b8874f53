package org.quiver.engine.rootcoord;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.PartitionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.storage.kv.KvStore;

/**
 * The catalog in memory over the KV store: collections, their segments and aliases. How far each
 * channel is in segments is not here: the data node's consumer group on the log records it (see
 * {@code datanode.ChannelCheckpoints}).
 *
 * <p>Every change is written durably to the KV store first and published in memory second, so a
 * crash never leaves memory ahead of disk. Keys follow the root coordinator's plan:
 * {@code collection/<id>}, {@code segment/<collectionId>/<segmentId>}, {@code alias/<name>}, {@code partition/<collectionId>/<name>},
 * {@code released-partitions/<collectionId>} (the partitions of a loaded collection that are not
 * loaded; absent when all are), and dropped tables kept for time travel, {@code dropped/<id>}
 * ({@link DroppedCollection}, whose partition records stay too).
 * Values are versioned JSON records.
 */
public final class MetaTable {
  private static final String COLLECTION = "collection/";
  private static final String SEGMENT = "segment/";
  /** Where earlier versions kept channel checkpoints; removed with their table. */
  private static final String LEGACY_CHECKPOINT = "checkpoint/";
  private static final String ALIAS = "alias/";
  private static final String PARTITION = "partition/";
  private static final String DROPPED = "dropped/";
  private static final String RELEASED = "released-partitions/";
  private static final char STAGING_MARK = '@';
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final KvStore kv;
  private final Map<String, CollectionInfo> byName = new ConcurrentHashMap<>();
  private final Map<Long, CollectionInfo> byId = new ConcurrentHashMap<>();
  private final Map<Long, List<SegmentInfo>> segments = new ConcurrentHashMap<>();
  private final Map<String, AliasInfo> aliases = new ConcurrentHashMap<>();
  /** Per collection, its recorded partitions (not {@code _default}) by name. */
  private final Map<Long, Map<String, PartitionInfo>> partitions = new ConcurrentHashMap<>();
  /** Dropped tables within the retention window, by collection id. */
  private final Map<Long, DroppedCollection> dropped = new ConcurrentHashMap<>();
  /** Per loaded collection, its partitions released by RELEASE TABLE ... PARTITION (none: absent). */
  private final Map<Long, java.util.Set<String>> released = new ConcurrentHashMap<>();

  private final DdlJournal journal;

  public MetaTable(KvStore kv) {
    this.kv = kv;
    this.journal = new DdlJournal(kv);
    refresh();
  }

  /**
   * Reads the catalog from the store again, for a process that follows a catalog another process
   * writes (a query node of a cluster; the owner's memory is never behind its own writes). Each
   * map is filled with what the store holds before what it no longer holds is removed, so that a
   * concurrent reader never misses an entry that is in the store both before and after.
   */
  public synchronized void refresh() {
    Map<Long, CollectionInfo> collections = new HashMap<>();
    kv.scanPrefix(COLLECTION).values().forEach(v -> {
      CollectionInfo info = read(v, CollectionInfo.class);
      collections.put(info.id(), info);
    });
    collections.values().forEach(this::publish);
    byId.keySet().retainAll(collections.keySet());
    byName.values().removeIf(info -> !collections.containsKey(info.id()));

    Map<Long, List<SegmentInfo>> bySegment = new HashMap<>();
    kv.scanPrefix(SEGMENT).values().forEach(v -> {
      SegmentInfo s = read(v, SegmentInfo.class);
      bySegment.computeIfAbsent(s.collectionId(), k -> new ArrayList<>()).add(s);
    });
    bySegment.values().forEach(l -> l.sort(Comparator.comparingLong(SegmentInfo::id)));
    replaceContents(segments, bySegment);

    Map<String, AliasInfo> byAlias = new HashMap<>();
    kv.scanPrefix(ALIAS).values().forEach(v -> {
      AliasInfo a = read(v, AliasInfo.class);
      byAlias.put(a.name(), a);
    });
    replaceContents(aliases, byAlias);

    Map<Long, Map<String, PartitionInfo>> byPartition = new HashMap<>();
    kv.scanPrefix(PARTITION).values().forEach(v -> {
      PartitionInfo p = read(v, PartitionInfo.class);
      byPartition.computeIfAbsent(p.collectionId(), k -> new ConcurrentHashMap<>())
          .put(p.name(), p);
    });
    replaceContents(partitions, byPartition);

    Map<Long, DroppedCollection> byDropped = new HashMap<>();
    kv.scanPrefix(DROPPED).values().forEach(v -> {
      DroppedCollection d = read(v, DroppedCollection.class);
      byDropped.put(d.collection().id(), d);
    });
    replaceContents(dropped, byDropped);

    Map<Long, java.util.Set<String>> byReleased = new HashMap<>();
    kv.scanPrefix(RELEASED).forEach((k, v) -> byReleased.put(
        Long.parseLong(k.substring(RELEASED.length())), java.util.Set.of(read(v, String[].class))));
    replaceContents(released, byReleased);
  }

  private static <K, V> void replaceContents(Map<K, V> map, Map<K, V> fresh) {
    map.putAll(fresh);
    map.keySet().retainAll(fresh.keySet());
  }

  /** The partitions of the collection that are not loaded although the collection is. */
  public java.util.Set<String> releasedPartitions(long collectionId) {
    return released.getOrDefault(collectionId, java.util.Set.of());
  }

  /**
   * Records whether the collection is loaded and which of its partitions are released, in one
   * atomic write, so that a restart loads exactly the partitions that were loaded.
   */
  public synchronized void saveLoad(CollectionInfo info, java.util.Set<String> releasedPartitions) {
    String key = RELEASED + info.id();
    java.util.Set<String> names = info.loaded()
        ? new java.util.TreeSet<>(releasedPartitions) : java.util.Set.of();
    Map<String, byte[]> puts = new LinkedHashMap<>();
    puts.put(COLLECTION + info.id(), write(info));
    if (!names.isEmpty()) {
      puts.put(key, write(names.toArray(String[]::new)));
    }
    kv.multiSave(puts, names.isEmpty() ? List.of(key) : List.of());
    publish(info);
    if (names.isEmpty()) {
      released.remove(info.id());
    } else {
      released.put(info.id(), java.util.Set.copyOf(names));
    }
  }

  /** The partitions of a collection: {@code _default} first, then the others by name. */
  public List<String> partitions(long collectionId) {
    List<String> names = new ArrayList<>(
        partitions.getOrDefault(collectionId, Map.of()).keySet());
    names.sort(Comparator.naturalOrder());
    names.addFirst(PartitionInfo.DEFAULT);
    return names;
  }

  /**
   * Whether rows written to {@code partition} at {@code ts} belong to it: it exists and was created
   * before them (rows of a partition dropped and created again are not the new partition's).
   */
  public boolean partitionAccepts(long collectionId, String partition, long ts) {
    if (partition.equals(PartitionInfo.DEFAULT)) {
      return true;
    }
    PartitionInfo p = partitions.getOrDefault(collectionId, Map.of()).get(partition);
    return p != null && p.createTs() < ts;
  }

  public boolean hasPartition(long collectionId, String name) {
    return name.equals(PartitionInfo.DEFAULT)
        || partitions.getOrDefault(collectionId, Map.of()).containsKey(name);
  }

  public synchronized void savePartition(PartitionInfo partition) {
    kv.put(PARTITION + partition.collectionId() + "/" + partition.name(), write(partition));
    partitions.computeIfAbsent(partition.collectionId(), k -> new ConcurrentHashMap<>())
        .put(partition.name(), partition);
  }

  /**
   * Removes a partition with its segments' records in one atomic write; returns the segments
   * removed, whose files the caller deletes.
   */
  public synchronized List<SegmentInfo> removePartition(long collectionId, String name) {
    List<SegmentInfo> removed = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    keys.add(PARTITION + collectionId + "/" + name);
    for (SegmentInfo s : segments.getOrDefault(collectionId, List.of())) {
      if (s.partition().equals(name)) {
        removed.add(s);
        keys.add(SEGMENT + collectionId + "/" + s.id());
      }
    }
    // A dropped partition is no longer released: one created again under its name is loaded.
    java.util.Set<String> rel = new java.util.TreeSet<>(releasedPartitions(collectionId));
    Map<String, byte[]> puts = new LinkedHashMap<>();
    if (rel.remove(name)) {
      if (rel.isEmpty()) {
        keys.add(RELEASED + collectionId);
      } else {
        puts.put(RELEASED + collectionId, write(rel.toArray(String[]::new)));
      }
    }
    kv.multiSave(puts, keys);
    if (rel.isEmpty()) {
      released.remove(collectionId);
    } else {
      released.put(collectionId, java.util.Set.copyOf(rel));
    }
    Map<String, PartitionInfo> of = partitions.get(collectionId);
    if (of != null) {
      of.remove(name);
    }
    List<SegmentInfo> list = segments.get(collectionId);
    if (list != null) {
      list.removeAll(removed);
    }
    return removed;
  }

  /** The plans of multi-step DDL in progress, kept in the same store. */
  public DdlJournal journal() {
    return journal;
  }

  public Optional<CollectionInfo> collection(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Optional<CollectionInfo> collection(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<CollectionInfo> collections() {
    List<CollectionInfo> all = new ArrayList<>(byName.values());
    all.sort(Comparator.comparing(CollectionInfo::name));
    return all;
  }

  public synchronized void saveCollection(CollectionInfo info) {
    kv.put(COLLECTION + info.id(), write(info));
    publish(info);
  }

  /**
   * DROP TABLE's catalog step: in one atomic write, removes the live record and segments and
   * records the table as dropped at {@code dropTs} (with its segments and its channels'
   * {@code checkpoints}), for time travel until the purge ({@link #forgetDropped}).
   */
  public synchronized DroppedCollection retireCollection(CollectionInfo info, long dropTs,
      Map<String, Long> checkpoints) {
    DroppedCollection d = new DroppedCollection(info, dropTs, segments(info.id()),
        Map.copyOf(checkpoints));
    // A past version is read whole: which partitions were released no longer matters.
    kv.multiSave(Map.of(DROPPED + info.id(), write(d)), retiredKeys(info));
    released.remove(info.id());
    dropped.put(info.id(), d);
    byName.remove(info.name());
    byId.remove(info.id());
    segments.remove(info.id());
    return d;
  }

  /** The dropped tables still kept for time travel, oldest drop first. */
  public List<DroppedCollection> dropped() {
    List<DroppedCollection> all = new ArrayList<>(dropped.values());
    all.sort(Comparator.comparingLong(DroppedCollection::dropTs));
    return all;
  }

  public Optional<DroppedCollection> dropped(long id) {
    return Optional.ofNullable(dropped.get(id));
  }

  /** The purge's last step: removes a dropped table's record and its partitions' records. */
  public synchronized void forgetDropped(DroppedCollection d) {
    long id = d.collection().id();
    List<String> removes = new ArrayList<>();
    removes.add(DROPPED + id);
    kv.scanPrefix(PARTITION + id + "/").keySet().forEach(removes::add);
    kv.multiSave(Map.of(), removes);
    dropped.remove(id);
    partitions.remove(id);
  }

  /**
   * The version of table {@code name} that existed at hybrid timestamp {@code ts}: a kept dropped
   * one that had the name then (a table replaced by another, or dropped before a rename gave its
   * name to another), else the live table if readers saw it by then; empty if none. A renamed
   * table keeps its history under its new name.
   */
  public Optional<CollectionInfo> collectionAt(String name, long ts) {
    Optional<CollectionInfo> retired = dropped.values().stream()
        .filter(d -> d.collection().name().equals(name) && d.aliveAt(ts))
        .map(DroppedCollection::collection).findFirst();
    if (retired.isPresent()) {
      return retired;
    }
    CollectionInfo live = byName.get(name);
    return live != null && live.visibleAt(ts) ? Optional.of(live) : Optional.empty();
  }

  /**
   * The hidden name under which a replace fills the table that takes {@code table}'s place. The
   * suffix {@code @<number>} is reserved (no user may give a table such a name), and
   * {@code number} comes from the id allocator, so the name is never in use.
   */
  public static String stagingName(String table, long number) {
    return table + STAGING_MARK + number;
  }

  /** The staging table of this name, if a replace is filling one under it. */
  public Optional<CollectionInfo> staging(String name) {
    return isStaging(name) ? collection(name) : Optional.empty();
  }

  /** Whether {@code name} has the reserved shape of a staging name, {@code <table>@<number>}. */
  public static boolean isStaging(String name) {
    int mark = name.lastIndexOf(STAGING_MARK);
    if (mark <= 0 || mark == name.length() - 1) {
      return false;
    }
    for (int i = mark + 1; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * ALTER TABLE ... RENAME TO: one catalog write. The collection keeps its id, so its segments,
   * partitions, indexes and the aliases that stand for it move with it.
   */
  public synchronized CollectionInfo renameCollection(CollectionInfo info, String newName) {
    CollectionInfo renamed = info.renamed(newName);
    kv.put(COLLECTION + info.id(), write(renamed));
    publish(renamed);
    return renamed;
  }

  /**
   * A replace's swap, in one atomic write at {@code ts}: the staging collection takes the name of
   * {@code replaced}, visible to reads from {@code ts}; {@code replaced} becomes a dropped table at
   * {@code ts} (kept for time travel with its channels' {@code checkpoints}, as DROP TABLE keeps
   * it, see {@link #retireCollection}); and
   * the aliases that stood for it stand for its successor. Readers looking the name up see the
   * old collection or the new one, never neither.
   */
  public synchronized CollectionInfo swapIn(CollectionInfo staging, CollectionInfo replaced,
      long ts, Map<String, Long> checkpoints) {
    CollectionInfo successor = staging.swappedIn(replaced.name(), ts);
    DroppedCollection d = new DroppedCollection(replaced, ts, segments(replaced.id()),
        Map.copyOf(checkpoints));
    List<AliasInfo> moved = aliases.values().stream()
        .filter(a -> a.collectionId() == replaced.id())
        .map(a -> new AliasInfo(a.name(), successor.id())).toList();
    Map<String, byte[]> puts = new LinkedHashMap<>();
    puts.put(COLLECTION + successor.id(), write(successor));
    puts.put(DROPPED + replaced.id(), write(d));
    moved.forEach(a -> puts.put(ALIAS + a.name(), write(a)));
    kv.multiSave(puts, retiredKeys(replaced));
    released.remove(replaced.id());
    dropped.put(replaced.id(), d);
    byId.put(successor.id(), successor);
    // The name switches in one map write; the staging name goes after, so no lookup misses both.
    byName.put(successor.name(), successor);
    byName.remove(staging.name());
    moved.forEach(a -> aliases.put(a.name(), a));
    byId.remove(replaced.id());
    segments.remove(replaced.id());
    return successor;
  }

  /**
   * Removes a collection that readers never saw (a staging table whose replace was given up) with
   * every record of it, in one write; its channels and files are the caller's to remove first.
   */
  public synchronized void forgetCollection(CollectionInfo info) {
    List<String> removes = retiredKeys(info);
    kv.scanPrefix(PARTITION + info.id() + "/").keySet().forEach(removes::add);
    kv.multiSave(Map.of(), removes);
    released.remove(info.id());
    partitions.remove(info.id());
    byName.remove(info.name(), byId.get(info.id()));
    byId.remove(info.id());
    segments.remove(info.id());
  }

  /** The keys of a live collection's record, segments and released partitions. */
  private List<String> retiredKeys(CollectionInfo info) {
    List<String> removes = new ArrayList<>();
    removes.add(COLLECTION + info.id());
    kv.scanPrefix(SEGMENT + info.id() + "/").keySet().forEach(removes::add);
    info.channels().forEach(c -> removes.add(LEGACY_CHECKPOINT + c));
    removes.add(RELEASED + info.id());
    return removes;
  }

  /** Records a flushed segment. */
  public synchronized void addSegment(SegmentInfo segment) {
    if (!byId.containsKey(segment.collectionId())) {
      throw new IllegalStateException(
          "collection " + segment.collectionId() + " was dropped; segment " + segment.id() + " not recorded");
    }
    kv.put(SEGMENT + segment.collectionId() + "/" + segment.id(), write(segment));
    segments.computeIfAbsent(segment.collectionId(), k -> new ArrayList<>()).add(segment);
  }

  /**
   * Compaction's swap: records the merged segment and removes the segments it replaces, in one
   * atomic write, so a crash leaves either the old segments or the merged one, never both. The
   * merge covers the same messages, so no checkpoint moves.
   */
  public synchronized void replaceSegments(List<SegmentInfo> replaced, SegmentInfo merged) {
    if (!byId.containsKey(merged.collectionId())) {
      throw new IllegalStateException("collection " + merged.collectionId() + " was dropped");
    }
    List<String> removes = new ArrayList<>();
    replaced.forEach(s -> removes.add(SEGMENT + s.collectionId() + "/" + s.id()));
    kv.multiSave(Map.of(SEGMENT + merged.collectionId() + "/" + merged.id(), write(merged)),
        removes);
    List<SegmentInfo> list = segments.computeIfAbsent(merged.collectionId(), k -> new ArrayList<>());
    java.util.Set<Long> gone = new java.util.HashSet<>();
    replaced.forEach(s -> gone.add(s.id()));
    list.removeIf(s -> gone.contains(s.id()));
    list.add(merged);
    list.sort(Comparator.comparingLong(SegmentInfo::id));
  }

  /** Records the segments one seal of a channel wrote (one per partition that had rows), atomically. */
  public synchronized void addSegments(List<SegmentInfo> sealed) {
    if (sealed.size() == 1) {
      addSegment(sealed.getFirst());
      return;
    }
    SegmentInfo last = sealed.getLast();
    if (!byId.containsKey(last.collectionId())) {
      throw new IllegalStateException(
          "collection " + last.collectionId() + " was dropped; segments not recorded");
    }
    Map<String, byte[]> puts = new LinkedHashMap<>();
    for (SegmentInfo segment : sealed) {
      puts.put(SEGMENT + segment.collectionId() + "/" + segment.id(), write(segment));
    }
    kv.multiSave(puts, List.of());
    segments.computeIfAbsent(last.collectionId(), k -> new ArrayList<>()).addAll(sealed);
  }

  public List<SegmentInfo> segments(long collectionId) {
    synchronized (this) {
      return List.copyOf(segments.getOrDefault(collectionId, List.of()));
    }
  }

  public Optional<AliasInfo> alias(String name) {
    return Optional.ofNullable(aliases.get(name));
  }

  /** All aliases, sorted by name. */
  public List<AliasInfo> aliases() {
    List<AliasInfo> all = new ArrayList<>(aliases.values());
    all.sort(Comparator.comparing(AliasInfo::name));
    return all;
  }

  /** Records an alias, or points an existing one at another collection. */
  public synchronized void saveAlias(AliasInfo alias) {
    kv.put(ALIAS + alias.name(), write(alias));
    aliases.put(alias.name(), alias);
  }

  public synchronized void removeAlias(String name) {
    kv.delete(ALIAS + name);
    aliases.remove(name);
  }

  private void publish(CollectionInfo info) {
    CollectionInfo old = byId.put(info.id(), info);
    if (old != null && !old.name().equals(info.name())) {
      byName.remove(old.name());
    }
    byName.put(info.name(), info);
  }

  private static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(byte[] bytes, Class<T> type) {
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable catalog record of " + type.getSimpleName(), e);
    }
  }

}
