package org.quiver.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.status.CheckReport;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.rootcoord.IndexCatalog;
import org.quiver.engine.rootcoord.MetaTable;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.RocksMessageQueue;
import org.quiver.storage.segment.CorruptSegmentException;
import org.quiver.storage.segment.SegmentManifest;

/**
 * Verifies a data directory that no engine has open ({@code quiver check}): the catalog and the log
 * open, every table's channels exist in the log, and every segment the catalog lists (its
 * manifest, then the size and CRC32C of each data, delete-log and key-statistics file) and every
 * index built for it match what was written.
 */
public final class DataCheck {
  private DataCheck() {}

  /** Checks the data directory; 55000 when an engine holds it, 42704 when it is not one. */
  public static CheckReport run(Path dataDirectory) {
    if (!Files.isDirectory(dataDirectory.resolve("meta"))) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "%s is not a Quiver data directory (it has no meta/ folder)",
          dataDirectory.toAbsolutePath());
    }
    try (RocksKvStore kv = Quiver.openKv(dataDirectory);
        RocksMessageQueue mq = RocksMessageQueue.open(dataDirectory.resolve("mq"))) {
      MetaTable meta = new MetaTable(kv);
      IndexCatalog indexes = new IndexCatalog(kv);
      Map<Long, String> tables = new LinkedHashMap<>();
      List<Damage> damage = new ArrayList<>();
      int segments = 0;
      int indexFiles = 0;
      for (CollectionInfo table : meta.collections()) {
        tables.put(table.id(), table.name());
        for (String channel : table.channels()) {
          if (!mq.hasChannel(channel)) {
            damage.add(new Damage(table.id(), -1, dataDirectory.resolve("mq"),
                "the log has no channel " + channel + " of the table",
                Damage.Effect.TABLE_UNREADABLE));
          }
        }
        for (SegmentInfo segment : meta.segments(table.id())) {
          segments++;
          Path dir = dataDirectory.resolve(segment.directory());
          verifySegment(segment, dir, damage);
          for (IndexInfo index : indexes.of(table.id())) {
            if (indexes.isBuilt(segment.id(), index.id())) {
              indexFiles++;
              verifyIndex(segment, index, dataDirectory.resolve(index.directoryIn(
                  segment.directory())), damage);
            }
          }
        }
      }
      return new CheckReport(tables, segments, indexFiles, damage);
    }
  }

  private static void verifySegment(SegmentInfo segment, Path dir, List<Damage> damage) {
    try {
      SegmentManifest manifest = SegmentManifest.read(dir);
      if (manifest.segmentId() != segment.id() || manifest.rowCount() != segment.rowCount()) {
        damage.add(new Damage(segment.collectionId(), segment.id(),
            dir.resolve(SegmentManifest.FILE_NAME),
            String.format("the manifest describes segment %d with %d rows, the catalog segment"
                + " %d with %d", manifest.segmentId(), manifest.rowCount(), segment.id(),
                segment.rowCount()), Damage.Effect.TABLE_UNREADABLE));
      }
    } catch (CorruptSegmentException e) {
      damage.add(new Damage(segment.collectionId(), segment.id(), e.file(), e.reason(),
          Damage.Effect.TABLE_UNREADABLE));
    } catch (IOException e) {
      damage.add(new Damage(segment.collectionId(), segment.id(), dir,
          "cannot be read: " + e.getMessage(), Damage.Effect.TABLE_UNREADABLE));
    }
  }

  private static void verifyIndex(SegmentInfo segment, IndexInfo index, Path dir,
      List<Damage> damage) {
    try {
      SegmentManifest.read(dir);
    } catch (CorruptSegmentException e) {
      damage.add(new Damage(segment.collectionId(), segment.id(), e.file(),
          "index " + index.name() + ": " + e.reason(), Damage.Effect.INDEX_REBUILT));
    } catch (IOException e) {
      damage.add(new Damage(segment.collectionId(), segment.id(), dir,
          "index " + index.name() + " cannot be read: " + e.getMessage(),
          Damage.Effect.INDEX_REBUILT));
    }
  }
}
