package org.quiver.engine.querynode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.storage.column.BinaryVectorColumn;
import org.quiver.storage.column.SparseVectorColumn;
import org.quiver.storage.index.BitHnswIndex;
import org.quiver.storage.index.IndexFormat;
import org.quiver.storage.index.SegmentIndex;
import org.quiver.storage.index.SegmentVectors;
import org.quiver.storage.index.SparseHnswIndex;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.vector.VectorColumn;

/**
 * Opens the built indexes of a loaded collection's sealed segments for search and closes them when
 * they are dropped. An index that fails to open is recorded as damage and marked not built, so the
 * segment is searched exactly until the index node builds it again.
 *
 * <p>Holds no state of its own: the open indexes are the collection's {@link SegmentIndexes},
 * changed here under the collection's write lock (taken here, or by the caller of
 * {@link #attachBuilt}) and read under its read lock.
 */
final class IndexAttacher {
  private final LoadedCollections collections;
  private final IndexCatalog indexCatalog;
  private final SegmentStore segments;
  private final Path root;

  IndexAttacher(LoadedCollections collections, IndexCatalog indexCatalog, SegmentStore segments,
      Path root) {
    this.collections = collections;
    this.indexCatalog = indexCatalog;
    this.segments = segments;
    this.root = root;
  }

  /** Attaches an index just built for a segment; searches of the segment use it from now on. */
  void indexBuilt(SegmentInfo segment, IndexInfo index) {
    LoadedCollection lc = collections.get(segment.collectionId());
    if (lc == null) {
      return;
    }
    lc.lock.writeLock().lock();
    try {
      if (lc.holdsSegment(segment.id())) {
        attach(lc, segment, index);
      }
    } finally {
      lc.lock.writeLock().unlock();
    }
  }

  /** Detaches and closes a dropped index. */
  void indexDropped(IndexInfo index) {
    LoadedCollection lc = collections.get(index.collectionId());
    if (lc == null) {
      return;
    }
    lc.lock.writeLock().lock();
    try {
      lc.indexes().detach(index.id());
    } finally {
      lc.lock.writeLock().unlock();
    }
  }

  /** Bytes the index's open segments hold on the heap. */
  long heapBytes(IndexInfo index) {
    LoadedCollection lc = collections.get(index.collectionId());
    if (lc == null) {
      return 0;
    }
    lc.lock.readLock().lock();
    try {
      return lc.indexes().heapBytes(index.id());
    } finally {
      lc.lock.readLock().unlock();
    }
  }

  /** Attaches every index the catalog records as built for the segment. Write lock held. */
  void attachBuilt(LoadedCollection lc, SegmentInfo segment) {
    for (IndexInfo index : indexCatalog.of(lc.info.id())) {
      if (indexCatalog.isBuilt(segment.id(), index.id())) {
        attach(lc, segment, index);
      }
    }
  }

  private void attach(LoadedCollection lc, SegmentInfo segment, IndexInfo index) {
    if (lc.indexes().has(segment.id(), index.id())) {
      return;
    }
    RowSet rows = lc.sealedRows(segment.id());
    if (rows == null) {
      // No rows held: an empty segment, or one of a released partition.
      return;
    }
    Path dir = root.resolve(index.directoryIn(segment.directory()));
    try {
      // Fetched from the object store first if the segments live in one and it is not cached.
      dir = segments.indexDirectory(segment, index);
      long maxTs = Arrays.stream(rows.insertTs()).max().orElse(Long.MIN_VALUE);
      int field = lc.info.schema().indexOf(index.field());
      int dim = lc.info.schema().fields().get(field).dimension();
      SegmentIndex opened;
      if (rows.rows().column(field) instanceof BinaryVectorColumn bits) {
        opened = BitHnswIndex.load(dir, index.metric(), bits);
      } else if (rows.rows().column(field) instanceof SparseVectorColumn sparse) {
        opened = SparseHnswIndex.load(dir, index.metric(), sparse);
      } else {
        VectorColumn mapped = rows.rows().mapped(field);
        SegmentVectors vectors = mapped != null ? SegmentVectors.of(mapped)
            : SegmentVectors.of(rows.rows().vectors(field), dim);
        opened = IndexFormat.of(index.method()).reader().read(dir, index.metric(), vectors);
      }
      lc.indexes().put(segment.id(), new SegmentIndexes.LoadedIndex(index, opened, maxTs));
    } catch (IOException e) {
      // An index is derived data: the index node builds it again from the segment's verified
      // rows after the load (IndexNode#buildMissing), and the segment is searched exactly
      // meanwhile, so a damaged index costs time, never answers.
      Path file = e instanceof CorruptSegmentException c ? c.file() : dir;
      String problem = e instanceof CorruptSegmentException c ? c.reason() : e.toString();
      segments.damage().record(new Damage(lc.info.id(), segment.id(), file,
          "index " + index.name() + ": " + problem, Damage.Effect.INDEX_REBUILT));
      indexCatalog.markNotBuilt(segment.id(), index);
    }
  }
}
