package org.quiver.engine.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.error.StorageFailures;
import org.quiver.storage.DiskSpace;
import org.quiver.storage.FileTrees;
import org.quiver.storage.column.Column;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.DeleteLog;
import org.quiver.storage.segment.FileInfo;
import org.quiver.storage.segment.PrimaryKeyStats;
import org.quiver.storage.segment.SegmentData;
import org.quiver.storage.segment.SegmentFiles;
import org.quiver.storage.segment.SegmentManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flushed segments under a data directory ({@code segments/<collection>/<partition>/<id>/}):
 * writes a segment's data file, delete log and, last, its manifest; reads them back verified.
 *
 * <p>With an object store ({@link SegmentObjects}) the folders are a cache of it: a written
 * segment, and an index built for it ({@link #publishIndex}), is stored there before this returns
 * (so before the catalog records it), a folder missing locally is fetched before it is read, and
 * deletes remove the objects too. Without one, the folders are all there is.
 */
public final class SegmentStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);
  private final Path root;
  private final SegmentObjects objects;
  private final DamageLog damage = new DamageLog();

  public SegmentStore(Path dataDirectory) {
    this(dataDirectory, null);
  }

  /** @param objects the object store the folders cache, or null for local folders only */
  public SegmentStore(Path dataDirectory, SegmentObjects objects) {
    this.root = dataDirectory;
    this.objects = objects;
  }

  /** Closes the object store, if there is one. */
  @Override
  public void close() {
    if (objects != null) {
      objects.close();
    }
  }

  /** The local folder of a segment, fetched from the object store if it is not cached. */
  private Path local(SegmentInfo segment) throws IOException {
    if (objects != null) {
      objects.fetch(segment.directory(), false);
    }
    return root.resolve(segment.directory());
  }

  /**
   * The local folder of an index built for a segment, fetched from the object store if it is not
   * cached.
   *
   * @throws IOException if it cannot be fetched ({@link CorruptSegmentException} naming the file
   *     when an object does not match its checksum)
   */
  public Path indexDirectory(SegmentInfo segment, IndexInfo index) throws IOException {
    String directory = index.directoryIn(segment.directory());
    if (objects != null) {
      objects.fetch(directory, true);
    }
    return root.resolve(directory);
  }

  /**
   * Stores an index just built into its folder in the object store, if there is one; called before
   * the catalog records the index as built.
   */
  public void publishIndex(SegmentInfo segment, IndexInfo index) throws IOException {
    if (objects != null) {
      objects.upload(index.directoryIn(segment.directory()), true);
    }
  }

  /** The damaged files that reads of segments have found. */
  public DamageLog damage() {
    return damage;
  }

  /** Writes a segment; it exists for readers only once its manifest is written, last. */
  public void write(CollectionSchema schema, String directory, long segmentId, ColumnBatch rows,
      long[] insertTs, Object[] deletedKeys, long[] deleteTs) {
    Path dir = root.resolve(directory);
    try {
      Files.createDirectories(dir);
      FileInfo data = SegmentFiles.writeData(dir, schema, insertTs, rows);
      FileInfo deletes = SegmentFiles.writeDeletes(dir, schema.primaryKey().type(), deletedKeys, deleteTs);
      FileInfo pkStats = PrimaryKeyStats.of(schema.primaryKey().type(),
          rows.primaryKeys(), deletedKeys).write(dir);
      long minTs = Long.MAX_VALUE;
      long maxTs = Long.MIN_VALUE;
      for (long[] times : List.of(insertTs, deleteTs)) {
        for (long t : times) {
          minTs = Math.min(minTs, t);
          maxTs = Math.max(maxTs, t);
        }
      }
      new SegmentManifest(segmentId, rows.rowCount(), minTs, maxTs, List.of(data, deletes, pkStats)).write(dir);
      if (objects != null) {
        objects.upload(directory, false);
      }
    } catch (IOException e) {
      if (DiskSpace.isFull(e)) {
        throw StorageFailures.diskFull(dir, e);
      }
      throw new QuiverException(ErrorCode.IO_ERROR,
          "cannot write segment " + segmentId + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads a segment after verifying every file against its manifest. */
  public FlushedSegment read(CollectionSchema schema, SegmentInfo segment) {
    Path dir = root.resolve(segment.directory());
    try {
      local(segment);
      SegmentManifest manifest = SegmentManifest.read(dir);
      SegmentData data = SegmentFiles.readData(dir, manifest, schema);
      DeleteLog deletes = SegmentFiles.readDeletes(dir, manifest, schema.primaryKey().type());
      return new FlushedSegment(data.rows(), data.insertTs(), deletes.pks(), deletes.ts(), null);
    } catch (CorruptSegmentException e) {
      throw corrupt(segment, e);
    } catch (IOException e) {
      throw ioError(segment, dir, e);
    }
  }

  /**
   * The primary-key statistics of a segment (bloom filter, smallest and largest key), verified
   * against the manifest; computed from the segment's keys for a segment written before segments
   * carried them.
   */
  public PrimaryKeyStats primaryKeyStats(CollectionSchema schema, SegmentInfo segment) {
    Path dir = root.resolve(segment.directory());
    try {
      local(segment);
      PrimaryKeyStats stats = PrimaryKeyStats.read(dir, SegmentManifest.readListing(dir));
      if (stats != null) {
        return stats;
      }
    } catch (CorruptSegmentException e) {
      throw corrupt(segment, e);
    } catch (IOException e) {
      throw ioError(segment, dir, e);
    }
    SegmentKeys keys = keys(schema, segment);
    return PrimaryKeyStats.of(schema.primaryKey().type(), keys.inserted(), keys.deleted());
  }

  /**
   * The primary keys a segment mentions, with their insert and delete timestamps: its key column
   * and delete log, without copying its vectors.
   */
  public SegmentKeys keys(CollectionSchema schema, SegmentInfo segment) {
    FlushedSegment data = map(schema, segment);
    try {
      return new SegmentKeys(data.rows().primaryKeys(),
          data.insertTs().clone(), data.deletedKeys(), data.deleteTs());
    } finally {
      data.release();
    }
  }

  /**
   * Reads a segment after verifying every file against its manifest, with the vector columns
   * memory-mapped from the data file rather than copied; the caller closes the returned segment's
   * {@link FlushedSegment#mapping} when done with it.
   */
  public FlushedSegment map(CollectionSchema schema, SegmentInfo segment) {
    Path dir = root.resolve(segment.directory());
    Arena arena = Arena.ofShared();
    try {
      local(segment);
      SegmentManifest manifest = SegmentManifest.read(dir);
      SegmentData data = SegmentFiles.mapData(dir, manifest, schema, arena);
      DeleteLog deletes = SegmentFiles.readDeletes(dir, manifest, schema.primaryKey().type());
      return new FlushedSegment(data.rows(), data.insertTs(), deletes.pks(), deletes.ts(), arena);
    } catch (CorruptSegmentException e) {
      arena.close();
      throw corrupt(segment, e);
    } catch (IOException e) {
      arena.close();
      throw ioError(segment, dir, e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /**
   * A segment's delete records alone, verified against its manifest, with no rows: what a query
   * node holds of a segment that is another node's, since a delete may hide a row of any
   * segment. Only the manifest and the delete file are read, and fetched from the object store
   * when the folder is not cached ({@link SegmentObjects#fetchFiles}).
   */
  public FlushedSegment deletesOf(CollectionSchema schema, SegmentInfo segment) {
    Path dir = root.resolve(segment.directory());
    try {
      if (objects != null) {
        dir = objects.fetchFiles(segment.directory(),
            List.of(SegmentManifest.FILE_NAME, SegmentFiles.DELETES_FILE));
      }
      SegmentManifest manifest = SegmentManifest.readListing(dir);
      DeleteLog deletes = SegmentFiles.readDeletes(dir, manifest, schema.primaryKey().type());
      List<Column> none = schema.fields().stream()
          .map(f -> new ColumnBuilder(f, 0).build()).toList();
      return new FlushedSegment(new ColumnBatch(schema, 0, none), new long[0], deletes.pks(),
          deletes.ts(), null);
    } catch (CorruptSegmentException e) {
      throw corrupt(segment, e);
    } catch (IOException e) {
      throw ioError(segment, dir, e);
    }
  }

  /** Records the damage and returns the XX001 error that names the file. */
  private QuiverException corrupt(SegmentInfo segment, CorruptSegmentException e) {
    damage.record(new Damage(segment.collectionId(), segment.id(), e.file(), e.reason(),
        Damage.Effect.TABLE_UNREADABLE));
    return new QuiverException(ErrorCode.DATA_CORRUPTED,
        "segment " + segment.id() + " is corrupt: " + e.getMessage(), e);
  }

  private static QuiverException ioError(SegmentInfo segment, Path dir, IOException e) {
    return new QuiverException(ErrorCode.IO_ERROR,
        "cannot read segment " + segment.id() + " in " + dir + ": " + e.getMessage(), e);
  }

  /** Removes the files of a dropped collection. */
  public void deleteCollection(long collectionId) {
    String directory = "segments/" + collectionId;
    if (objects != null) {
      // First, and failing the purge if it cannot: the catalog still lists the dropped table, so
      // the purge is tried again.
      try {
        objects.delete(directory);
      } catch (IOException e) {
        throw new QuiverException(ErrorCode.IO_ERROR, e.getMessage(), e);
      }
    }
    FileTrees.deleteRecursively(root.resolve(directory));
  }

  /** Deletes a folder's objects; what cannot be deleted is left as garbage, logged. */
  private void deleteObjects(String directory) {
    if (objects == null) {
      return;
    }
    try {
      objects.delete(directory);
    } catch (IOException e) {
      LOG.warn("event=segment_objects_left folder={} error=\"{}\"", directory, e.getMessage());
    }
  }

  /** Removes the files of one segment that nothing references any more (compacted away). */
  public void deleteSegment(SegmentInfo segment) {
    deleteObjects(segment.directory());
    FileTrees.deleteRecursively(root.resolve(segment.directory()));
  }

  /**
   * Removes the segment folders of a collection that the catalog does not list: a merge written
   * but not swapped in, or segments swapped out, when a crash interrupted a compaction, or a
   * flush written but not recorded. Only at start-up, before the data node writes. Local only:
   * objects the catalog lists stay in the object store, and objects of writes it never recorded
   * are left there as garbage.
   */
  public void removeUnknownSegments(long collectionId, Collection<String> knownDirectories) {
    Path collection = root.resolve("segments").resolve(Long.toString(collectionId));
    if (!Files.isDirectory(collection)) {
      return;
    }
    java.util.Set<Path> known = new java.util.HashSet<>();
    knownDirectories.forEach(d -> known.add(root.resolve(d).normalize()));
    try (Stream<Path> partitions = Files.list(collection)) {
      for (Path partition : partitions.filter(Files::isDirectory).toList()) {
        try (Stream<Path> dirs = Files.list(partition)) {
          dirs.filter(d -> parseId(d) != null && !known.contains(d.normalize()))
              .forEach(FileTrees::deleteRecursively);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the files of a dropped partition. */
  public void deletePartition(long collectionId, String partition) {
    deleteObjects("segments/" + collectionId + "/" + partition);
    FileTrees.deleteRecursively(root.resolve("segments").resolve(Long.toString(collectionId))
        .resolve(partition));
  }

  /** Removes the partition folders of a collection that the catalog no longer knows. */
  public void removeUnknownPartitions(long collectionId, Collection<String> known) {
    Path dir = root.resolve("segments").resolve(Long.toString(collectionId));
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(dir)) {
      dirs.filter(d -> !known.contains(d.getFileName().toString()))
          .forEach(FileTrees::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes segment folders of collections the catalog no longer knows (a crash mid-drop). */
  public void removeUnknownCollections(Collection<Long> known) {
    Path segments = root.resolve("segments");
    if (!Files.isDirectory(segments)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(segments)) {
      dirs.filter(d -> !known.contains(parseId(d))).forEach(FileTrees::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Long parseId(Path dir) {
    try {
      return Long.parseLong(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
