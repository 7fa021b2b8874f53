package org.quiver.storage.kv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.quiver.storage.StorageException;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileManager;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KvStore} on an embedded RocksDB: keys are stored as their UTF-8 bytes, every write is
 * synced before it returns.
 *
 * <p>Thread-safe. Operations run under the read side of a lock whose write side {@link #close}
 * takes, because using a RocksDB handle after it is closed crashes the JVM instead of throwing.
 */
public final class RocksKvStore implements KvStore {

  static {
    RocksDB.loadLibrary();
  }

  private static final Logger LOG = LoggerFactory.getLogger(RocksKvStore.class);
  private static final long WRITE_BUFFER_BYTES = 4L << 20;
  private static final long MANIFEST_PREALLOCATION = 1L << 20;

  private final Path dir;
  private final Options options;
  private final SstFileManager sstFiles;
  private final WriteOptions syncWrite;
  private final RocksDB db;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;
  private final WatchDispatch watches = new WatchDispatch();
  /**
   * Held around a write and the hand-off of its changes while anything watches, so that watches
   * see writes in the order they were made; without watches, concurrent writers may share a sync.
   */
  private final Object writeOrder = new Object();

  private RocksKvStore(Path dir, Options options, SstFileManager sstFiles, WriteOptions syncWrite,
      RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.sstFiles = sstFiles;
    this.syncWrite = syncWrite;
    this.db = db;
  }

  /** Opens the store in {@code dir}, creating it if it does not exist. */
  public static RocksKvStore open(Path dir) {
    // With an SstFileManager RocksDB recovers by itself once a full disk has room again; without
    // one, a failed log write refuses every later write until the store is reopened. The catalog
    // is small: a small write buffer keeps the log's preallocation (1.1 times the buffer) small.
    SstFileManager sstFiles;
    try {
      sstFiles = new SstFileManager(Env.getDefault());
    } catch (RocksDBException e) {
      throw new StorageException("cannot open kv store dir=" + dir, dir, e);
    }
    Options options = new Options().setCreateIfMissing(true).setSstFileManager(sstFiles)
        .setWriteBufferSize(WRITE_BUFFER_BYTES).setManifestPreallocationSize(MANIFEST_PREALLOCATION);
    WriteOptions syncWrite = new WriteOptions().setSync(true);
    try {
      RocksDB db = RocksDB.open(options, dir.toString());
      LOG.info("kv store opened dir={}", dir);
      return new RocksKvStore(dir, options, sstFiles, syncWrite, db);
    } catch (RocksDBException e) {
      syncWrite.close();
      options.close();
      sstFiles.close();
      throw new StorageException("cannot open kv store dir=" + dir, dir, e);
    }
  }

  @Override
  public byte[] get(String key) {
    byte[] k = encode(key);
    Lock lock = acquire();
    try {
      return db.get(k);
    } catch (RocksDBException e) {
      throw failure("get", key, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void put(String key, byte[] value) {
    byte[] k = encode(key);
    Objects.requireNonNull(value, "value");
    Lock lock = acquire();
    try {
      write(List.of(new KvChange(key, value)), () -> db.put(syncWrite, k, value));
    } catch (RocksDBException e) {
      throw failure("put", key, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void delete(String key) {
    byte[] k = encode(key);
    Lock lock = acquire();
    try {
      write(List.of(new KvChange(key, null)), () -> db.delete(syncWrite, k));
    } catch (RocksDBException e) {
      throw failure("delete", key, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a key is both put and removed, since the caller's intent
   *     is then unclear
   */
  @Override
  public void multiSave(Map<String, byte[]> puts, Collection<String> removes) {
    Set<String> removed = new HashSet<>(removes);
    for (String key : puts.keySet()) {
      if (removed.contains(key)) {
        throw new IllegalArgumentException("key is both put and removed: " + key);
      }
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<String, byte[]> e : puts.entrySet()) {
        batch.put(encode(e.getKey()), Objects.requireNonNull(e.getValue(), e.getKey()));
      }
      for (String key : removed) {
        batch.delete(encode(key));
      }
      Lock lock = acquire();
      try {
        write(changes(puts, removed), () -> db.write(syncWrite, batch));
      } finally {
        lock.unlock();
      }
    } catch (RocksDBException e) {
      throw failure("multi save", puts.size() + " puts, " + removed.size() + " removes", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The map is ordered by {@link String#compareTo}, which agrees with RocksDB's byte order of
   * the UTF-8 keys except between supplementary characters and U+E000..U+FFFF.
   */
  @Override
  public SortedMap<String, byte[]> scanPrefix(String prefix) {
    byte[] p = encode(prefix);
    SortedMap<String, byte[]> result = new TreeMap<>();
    Lock lock = acquire();
    try (RocksIterator it = db.newIterator()) {
      // One iterator reads one implicit snapshot: a multiSave is seen whole or not at all.
      for (it.seek(p); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, p)) {
          break;
        }
        result.put(new String(k, StandardCharsets.UTF_8), it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw failure("scan", prefix, e);
    } finally {
      lock.unlock();
    }
    return result;
  }

  @Override
  public KvWatch watchPrefix(String prefix, Consumer<List<KvChange>> listener) {
    Objects.requireNonNull(prefix, "prefix");
    Lock lock = acquire();
    try {
      return watches.add(prefix, listener);
    } finally {
      lock.unlock();
    }
  }

  private interface RocksWrite {
    void run() throws RocksDBException;
  }

  private void write(List<KvChange> changes, RocksWrite write) throws RocksDBException {
    if (watches.isEmpty()) {
      write.run();
      return;
    }
    synchronized (writeOrder) {
      write.run();
      watches.publish(changes);
    }
  }

  private static List<KvChange> changes(Map<String, byte[]> puts, Set<String> removed) {
    List<KvChange> changes = new ArrayList<>();
    puts.forEach((k, v) -> changes.add(new KvChange(k, v)));
    removed.forEach(k -> changes.add(new KvChange(k, null)));
    changes.sort(Comparator.comparing(KvChange::key));
    return changes;
  }

  /** Closes the store; waits for running operations, later ones throw IllegalStateException. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      watches.closeAll();
      try (options;
          sstFiles;
          syncWrite;
          db) {
        LOG.info("kv store closed dir={}", dir);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private Lock acquire() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    if (closed) {
      lock.unlock();
      throw new IllegalStateException("kv store is closed: " + dir);
    }
    return lock;
  }

  private static byte[] encode(String key) {
    return Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private StorageException failure(String op, String what, RocksDBException e) {
    return new StorageException("kv " + op + " failed dir=" + dir + " key=" + what, dir, e);
  }
}
