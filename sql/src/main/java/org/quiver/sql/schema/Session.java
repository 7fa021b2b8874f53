package org.quiver.sql.schema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.request.DeleteRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.UpsertRequest;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.ColumnBatches;

/**
 * The state of one SQL connection: the engine it reaches, the session settings ({@code SET}), and
 * the rows of a JDBC batch in progress, which reach the engine when the batch ends as one insert
 * (or upsert) task per run of consecutive statements of one kind on one table, in statement order.
 */
public final class Session {
  private final Engine engine;
  private final Map<SessionSetting, String> settings = new EnumMap<>(SessionSetting.class);
  private List<PendingRows> batch;

  /** Rows of consecutive batched statements of one kind on one table. */
  private record PendingRows(String table, boolean upsert, String partition,
      List<ColumnBatch> parts) {}

  /** The data directory, where the users file lives; null for an in-memory database. */
  private final Path dataDirectory;
  /** A timestamp at or after this session's last acknowledged write, for SESSION reads. */
  private volatile long lastWriteTs;

  public Session(Engine engine) {
    this(engine, null);
  }

  public Session(Engine engine, Path dataDirectory) {
    this.engine = engine;
    this.dataDirectory = dataDirectory;
  }

  /** The data directory of a {@code file:} database; empty for an in-memory one. */
  public Optional<Path> dataDirectory() {
    return Optional.ofNullable(dataDirectory);
  }

  public Engine engine() {
    return engine;
  }

  /** Returns the setting's current value as text: the value last SET, or its default. */
  public synchronized String setting(SessionSetting setting) {
    return settings.getOrDefault(setting, setting.defaultValue());
  }

  /** Whether the setting was SET on this connection (and not RESET since). */
  public synchronized boolean isSet(SessionSetting setting) {
    return settings.containsKey(setting);
  }

  /** Returns every setting with its current value, in the order of {@link SessionSetting}. */
  public synchronized Map<SessionSetting, String> settings() {
    Map<SessionSetting, String> all = new EnumMap<>(SessionSetting.class);
    for (SessionSetting s : SessionSetting.values()) {
      all.put(s, setting(s));
    }
    return all;
  }

  /** Sets a value, validated and in its canonical text form (see {@link SessionSetting#validate}). */
  public synchronized void set(SessionSetting setting, Object value) {
    settings.put(setting, setting.validate(value));
  }

  /** Restores a setting's default. */
  public synchronized void reset(SessionSetting setting) {
    settings.remove(setting);
  }

  /** Restores every setting's default. */
  public synchronized void resetAll() {
    settings.clear();
  }

  /**
   * How this session's reads run: the consistency level it SET (else the table's default), its
   * last write for SESSION, its staleness bound for BOUNDED; at the present unless
   * {@code asOfMillis} >= 0.
   */
  public synchronized ReadOptions readOptions(long asOfMillis) {
    String level = settings.get(SessionSetting.CONSISTENCY_LEVEL);
    return new ReadOptions(level == null ? null : ConsistencyLevel.ofName(level), lastWriteTs,
        Long.parseLong(setting(SessionSetting.BOUNDED_STALENESS_MS)), asOfMillis);
  }

  /** Returns the real name of a table that {@code name} stands for: an alias's table, or {@code name}. */
  public String resolveTable(String name) {
    return engine.aliases().getOrDefault(name, name);
  }

  /** Inserts now, or holds the rows until the batch in progress ends. */
  public synchronized int insert(String table, ColumnBatch rows) {
    return write(table, rows, false, null);
  }

  /** Inserts into a partition (null: the default one) now, or when the batch ends. */
  public synchronized int insert(String table, ColumnBatch rows, String partition) {
    return write(table, rows, false, partition);
  }

  /** Upserts now, or holds the rows until the batch in progress ends. */
  public synchronized int upsert(String table, ColumnBatch rows) {
    return write(table, rows, true, null);
  }

  /** Upserts into a partition (null: the default one) now, or when the batch ends. */
  public synchronized int upsert(String table, ColumnBatch rows, String partition) {
    return write(table, rows, true, partition);
  }

  private int write(String table, ColumnBatch rows, boolean upsert, String partition) {
    if (batch != null) {
      PendingRows last = batch.isEmpty() ? null : batch.getLast();
      if (last == null || !last.table().equals(table) || last.upsert() != upsert
          || !java.util.Objects.equals(last.partition(), partition)) {
        last = new PendingRows(table, upsert, partition, new ArrayList<>());
        batch.add(last);
      }
      last.parts().add(rows);
      return rows.rowCount();
    }
    int n = upsert ? engine.upsert(new UpsertRequest(table, rows, partition))
        : engine.insert(new InsertRequest(table, rows, partition));
    wrote();
    return n;
  }

  public synchronized int delete(String table, List<Object> primaryKeys) {
    commitPendingRows();
    int n = engine.delete(new DeleteRequest(table, primaryKeys));
    wrote();
    return n;
  }

  /** Remembers that a write was acknowledged: SESSION reads from now on must see it. */
  private void wrote() {
    lastWriteTs = engine.now();
  }

  public synchronized void beginBatch() {
    batch = new ArrayList<>();
  }

  /** Sends the held rows, in order, and leaves batch mode. */
  public synchronized void endBatch(boolean commit) {
    try {
      if (commit) {
        commitPendingRows();
      }
    } finally {
      batch = null;
    }
  }

  private void commitPendingRows() {
    if (batch == null || batch.isEmpty()) {
      return;
    }
    List<PendingRows> pending = batch;
    batch = new ArrayList<>();
    for (PendingRows p : pending) {
      ColumnBatch rows = ColumnBatches.concat(p.parts().get(0).schema(), p.parts());
      if (p.upsert()) {
        engine.upsert(new UpsertRequest(p.table(), rows, p.partition()));
      } else {
        engine.insert(new InsertRequest(p.table(), rows, p.partition()));
      }
    }
    wrote();
  }
}
