package org.quiver.storage.mq;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.quiver.storage.StorageException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileManager;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB instance behind a queue: opened with the queue's options and its four column
 * families, written with synced batches, and closed with every native object it owns.
 */
final class QueueStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final byte[] MESSAGES = "messages".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHANNELS = "channels".getBytes(StandardCharsets.UTF_8);
  private static final byte[] POSITIONS = "positions".getBytes(StandardCharsets.UTF_8);
  private static final long WRITE_BUFFER_BYTES = 16L << 20;
  private static final long MANIFEST_PREALLOCATION = 1L << 20;
  private static final long INFO_LOG_BYTES = 1L << 20;
  private static final int INFO_LOG_FILES = 3;

  final Path dir;
  final RocksDB db;
  /** {@code id_allocator/last_id}. */
  final ColumnFamilyHandle allocatorMeta;
  final ColumnFamilyHandle messages;
  /** Per channel its begin id, end id and figures. */
  final ColumnFamilyHandle channelMeta;
  final ColumnFamilyHandle positions;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final SstFileManager sstFiles;
  private final WriteOptions syncWrite;
  private final List<ColumnFamilyHandle> handles;
  private final AtomicLong syncs = new AtomicLong();

  private QueueStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
      SstFileManager sstFiles, WriteOptions syncWrite, RocksDB db,
      List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.sstFiles = sstFiles;
    this.syncWrite = syncWrite;
    this.db = db;
    this.handles = handles;
    this.allocatorMeta = handles.get(0);
    this.messages = handles.get(1);
    this.channelMeta = handles.get(2);
    this.positions = handles.get(3);
  }

  /** Opens the database in {@code dir}, creating it if it does not exist. */
  static QueueStore open(Path dir, long maxDiskBytes) {
    // RocksDB's info log grows with every flush and compaction, which retention causes: it rolls
    // over at a size, and the oldest roll-overs go, so that it stays bounded like the messages.
    DBOptions dbOptions =
        new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
            .setManifestPreallocationSize(MANIFEST_PREALLOCATION)
            .setMaxLogFileSize(INFO_LOG_BYTES).setKeepLogFileNum(INFO_LOG_FILES);
    // The log's preallocation is 1.1 times the write buffer: bounded, so that opening the queue
    // does not take a small disk's last free space.
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setWriteBufferSize(WRITE_BUFFER_BYTES);
    WriteOptions syncWrite = new WriteOptions().setSync(true);
    SstFileManager sstFiles = null;
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      // With an SstFileManager RocksDB recovers by itself once a full disk has room again; without
      // one, a failed log write refuses every later write until the queue is reopened.
      sstFiles = new SstFileManager(Env.getDefault());
      dbOptions.setSstFileManager(sstFiles);
      if (maxDiskBytes > 0) {
        sstFiles.setMaxAllowedSpaceUsage(maxDiskBytes);
        // A memtable larger than the budget would overshoot it before the first flush is checked.
        cfOptions.setWriteBufferSize(Math.clamp(maxDiskBytes / 4, 64L << 10, WRITE_BUFFER_BYTES));
      }
      List<ColumnFamilyDescriptor> descriptors =
          List.of(
              new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
              new ColumnFamilyDescriptor(MESSAGES, cfOptions),
              new ColumnFamilyDescriptor(CHANNELS, cfOptions),
              new ColumnFamilyDescriptor(POSITIONS, cfOptions));
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      try (dbOptions;
          cfOptions;
          syncWrite;
          SstFileManager s = sstFiles) {
        throw new StorageException("cannot open message queue dir=" + dir, dir, e);
      }
    }
    return new QueueStore(dir, dbOptions, cfOptions, sstFiles, syncWrite, db, handles);
  }

  /** Writes a batch durably (fsync'd). */
  void write(WriteBatch batch) throws RocksDBException {
    db.write(syncWrite, batch);
    syncs.incrementAndGet();
  }

  /** How many synced writes this store has made since it was opened. */
  long syncCount() {
    return syncs.get();
  }

  /**
   * Flushes every column family, so that no memory buffer still needs the write-ahead log files
   * written before: RocksDB deletes a log file only once every column family has flushed what it
   * holds, and the small ones (positions, channel figures) would otherwise keep every log file
   * until they fill a buffer.
   */
  void flushAll() throws RocksDBException {
    try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
      db.flush(wait, handles);
    }
  }

  StorageException failure(String op, Exception e) {
    return new StorageException("message queue " + op + " failed dir=" + dir, dir, e);
  }

  @Override
  public void close() {
    try (dbOptions;
        cfOptions;
        syncWrite;
        SstFileManager s = sstFiles;
        db) {
      for (ColumnFamilyHandle h : handles) {
        h.close();
      }
    }
  }
}
