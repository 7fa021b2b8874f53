package org.quiver.engine.rootcoord;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.storage.kv.KvStore;

/**
 * The catalog of vector indexes: which indexes exist ({@code index/<collectionId>/<indexId>}) and
 * for which segments each is built ({@code segment-index/<segmentId>/<indexId>}). Durable first,
 * published in memory second, like the {@link MetaTable}.
 */
public final class IndexCatalog {
  private static final String INDEX = "index/";
  private static final String BUILT = "segment-index/";
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final KvStore kv;
  private final Map<Long, IndexInfo> indexes = new ConcurrentHashMap<>();
  /** Per segment, the ids of the indexes built for it. */
  private final Map<Long, Set<Long>> built = new ConcurrentHashMap<>();

  public IndexCatalog(KvStore kv) {
    this.kv = kv;
    refresh();
  }

  /**
   * Reads the index catalog from the store again, for a process that follows a catalog another
   * process writes (see {@link MetaTable#refresh}); entries still in the store never vanish
   * meanwhile.
   */
  public synchronized void refresh() {
    Map<Long, IndexInfo> fresh = new HashMap<>();
    kv.scanPrefix(INDEX).values().forEach(v -> {
      IndexInfo info = read(v);
      fresh.put(info.id(), info);
    });
    indexes.putAll(fresh);
    indexes.keySet().retainAll(fresh.keySet());
    Map<Long, Set<Long>> freshBuilt = new HashMap<>();
    kv.scanPrefix(BUILT).keySet().forEach(k -> {
      String[] parts = k.substring(BUILT.length()).split("/");
      freshBuilt.computeIfAbsent(Long.parseLong(parts[0]), s -> ConcurrentHashMap.newKeySet())
          .add(Long.parseLong(parts[1]));
    });
    built.putAll(freshBuilt);
    built.keySet().retainAll(freshBuilt.keySet());
  }

  public synchronized void save(IndexInfo index) {
    try {
      kv.put(INDEX + index.collectionId() + "/" + index.id(), JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    indexes.put(index.id(), index);
  }

  /** Forgets an index and every record of its builds, in one atomic write. */
  public synchronized void remove(IndexInfo index) {
    List<String> removes = new ArrayList<>();
    removes.add(INDEX + index.collectionId() + "/" + index.id());
    built.forEach((segment, ids) -> {
      if (ids.contains(index.id())) {
        removes.add(BUILT + segment + "/" + index.id());
      }
    });
    kv.multiSave(Map.of(), removes);
    indexes.remove(index.id());
    built.values().forEach(ids -> ids.remove(index.id()));
  }

  public synchronized void markBuilt(long segmentId, IndexInfo index) {
    kv.put(BUILT + segmentId + "/" + index.id(), new byte[0]);
    builtSet(segmentId).add(index.id());
  }

  /** Forgets that the index is built for the segment (its files are damaged): it is built again. */
  public synchronized void markNotBuilt(long segmentId, IndexInfo index) {
    kv.delete(BUILT + segmentId + "/" + index.id());
    builtSet(segmentId).remove(index.id());
  }

  public boolean isBuilt(long segmentId, long indexId) {
    Set<Long> ids = built.get(segmentId);
    return ids != null && ids.contains(indexId);
  }

  public Optional<IndexInfo> byName(String name) {
    return indexes.values().stream().filter(i -> i.name().equals(name)).findFirst();
  }

  public List<IndexInfo> of(long collectionId) {
    return indexes.values().stream()
        .filter(i -> i.collectionId() == collectionId)
        .sorted(Comparator.comparing(IndexInfo::name))
        .toList();
  }

  private Set<Long> builtSet(long segmentId) {
    return built.computeIfAbsent(segmentId, s -> ConcurrentHashMap.newKeySet());
  }

  private static IndexInfo read(byte[] bytes) {
    try {
      return JSON.readValue(bytes, IndexInfo.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable index record", e);
    }
  }
}
