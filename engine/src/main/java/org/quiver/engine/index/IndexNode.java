package org.quiver.engine.index;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.BitHnswIndex;
import org.quiver.storage.index.IndexFormat;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.SparseHnswIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the declared indexes of sealed segments on a bounded pool (cores - 1 threads, at least
 * one), so builds never block inserts or searches: for every segment when an index is created,
 * and for every index when a segment is flushed. A built index is recorded in the catalog, then
 * handed to the query node; until then searches of that segment are exact.
 */
public final class IndexNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexNode.class);

  private final MetaTable meta;
  private final IndexCatalog catalog;
  private final SegmentStore segments;
  private final Path root;
  private final BiConsumer<SegmentInfo, IndexInfo> onBuilt;
  private final ExecutorService pool;
  /** (segment id, index id) pairs queued or building, so each is built once. */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final Map<Long, String> failures = new ConcurrentHashMap<>();

  public IndexNode(MetaTable meta, IndexCatalog catalog, SegmentStore segments, Path root,
      BiConsumer<SegmentInfo, IndexInfo> onBuilt) {
    this.meta = meta;
    this.catalog = catalog;
    this.segments = segments;
    this.root = root;
    this.onBuilt = onBuilt;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    this.pool = Executors.newFixedThreadPool(threads,
        Thread.ofPlatform().name("quiver-index-", 0).daemon().factory());
  }

  /** Queues the builds an index still lacks: after CREATE INDEX, and at start-up. */
  public void buildMissing(CollectionInfo collection, IndexInfo index) {
    for (SegmentInfo segment : meta.segments(collection.id())) {
      submit(collection, segment, index);
    }
  }

  /** Queues the builds of every index of the segment's collection. */
  public void segmentFlushed(SegmentInfo segment) {
    meta.collection(segment.collectionId()).ifPresent(collection -> {
      for (IndexInfo index : catalog.of(collection.id())) {
        submit(collection, segment, index);
      }
    });
  }

  /**
   * Builds every declared index of a segment not yet in the catalog on the calling thread:
   * compaction builds the merged segment's indexes before swapping it in, so searches never fall
   * back to exact scans of it.
   */
  public void buildBeforeSwap(CollectionInfo collection, SegmentInfo segment)
      throws java.io.IOException {
    for (IndexInfo index : catalog.of(collection.id())) {
      if (index.method() != IndexMethod.FLAT && segment.rowCount() > 0
          && !catalog.isBuilt(segment.id(), index.id())) {
        build(collection, segment, index);
      }
    }
  }

  private void submit(CollectionInfo collection, SegmentInfo segment, IndexInfo index) {
    if (index.method() == IndexMethod.FLAT || segment.rowCount() == 0
        || catalog.isBuilt(segment.id(), index.id())
        || !pending.add(segment.id() + "/" + index.id())) {
      return;
    }
    pool.execute(() -> {
      try {
        build(collection, segment, index);
      } catch (RuntimeException | java.io.IOException e) {
        if (pool.isShutdown()) {
          // Closing interrupts builds under way (their file channels close as they are
          // interrupted); the index is not marked built, so the next open builds it again.
          LOG.info("event=index_build_interrupted index={} segment={} reason=engine_closing",
              index.name(), segment.id());
          return;
        }
        failures.put(index.id(), e.toString());
        LOG.error("event=index_build_failed index={} segment={} error={}", index.name(),
            segment.id(), e.toString(), e);
      } finally {
        pending.remove(segment.id() + "/" + index.id());
      }
    });
  }

  private void build(CollectionInfo collection, SegmentInfo segment, IndexInfo index)
      throws java.io.IOException {
    // The index may have been dropped, or the table, while this build waited.
    if (catalog.byName(index.name()).filter(i -> i.id() == index.id()).isEmpty()
        || meta.collection(collection.id()).isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    int field = collection.schema().indexOf(index.field());
    int dim = collection.schema().fields().get(field).dimension();
    FlushedSegment data = segments.read(collection.schema(), segment);
    Path dir = root.resolve(index.directoryIn(segment.directory()));
    if (data.rows().column(field) instanceof BinaryVectorColumn bits) {
      BitHnswIndex.build(dir, segment.id(), bits, index.params(segment.id()));
    } else if (data.rows().column(field) instanceof SparseVectorColumn sparse) {
      SparseHnswIndex.build(dir, segment.id(), sparse, index.params(segment.id()));
    } else {
      IndexFormat.of(index.method()).writer().write(dir, segment.id(),
          data.rows().vectors(field), dim, data.rows().rowCount(), index.params(segment.id()));
    }
    // In the object store, if the segments live in one, before the catalog says it is built.
    segments.publishIndex(segment, index);
    catalog.markBuilt(segment.id(), index);
    LOG.info("event=index_built index={} segment={} rows={} ms={}", index.name(), segment.id(),
        data.rows().rowCount(), (System.nanoTime() - start) / 1_000_000);
    onBuilt.accept(segment, index);
  }

  /** Segments the index is built for, and segments it is still missing on, of its table. */
  public IndexProgress progress(IndexInfo index) {
    int built = 0;
    int total = 0;
    long builtRows = 0;
    long totalRows = 0;
    for (SegmentInfo s : meta.segments(index.collectionId())) {
      if (s.rowCount() == 0) {
        continue;
      }
      total++;
      totalRows += s.rowCount();
      if (catalog.isBuilt(s.id(), index.id())) {
        built++;
        builtRows += s.rowCount();
      }
    }
    return new IndexProgress(built, total, builtRows, totalRows, failures.get(index.id()));
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
