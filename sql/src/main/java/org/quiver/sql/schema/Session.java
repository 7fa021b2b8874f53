package org.quiver.sql.schema;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.proxy.ReadOptions;
import org.quiver.engine.rootcoord.ConsistencyLevel;
import org.quiver.engine.segment.ColumnBatches;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The state of one SQL connection: the engine's proxy, the session settings ({@code SET}), and the
 * rows of a JDBC batch in progress, which reach the engine as one insert task per table when the
 * batch ends.
 */
public final class Session {
  private final Proxy proxy;
  private final Map<SessionSetting, String> settings = new EnumMap<>(SessionSetting.class);
  private Map<String, List<ColumnBatch>> batch;
  /** A timestamp at or after this session's last acknowledged write, for SESSION reads. */
  private volatile long lastWriteTs;

  public Session(Proxy proxy) {
    this.proxy = proxy;
  }

  public Proxy proxy() {
    return proxy;
  }

  /** Returns the setting's current value as text: the value last SET, or its default. */
  public synchronized String setting(SessionSetting setting) {
    return settings.getOrDefault(setting, setting.defaultValue());
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
    return proxy.aliases().getOrDefault(name, name);
  }

  /** Inserts now, or holds the rows until the batch in progress ends. */
  public synchronized int insert(String table, ColumnBatch rows) {
    if (batch != null) {
      batch.computeIfAbsent(table, t -> new ArrayList<>()).add(rows);
      return rows.rowCount();
    }
    int n = proxy.insert(table, rows);
    wrote();
    return n;
  }

  public synchronized int delete(String table, List<Object> primaryKeys) {
    commitPendingRows();
    int n = proxy.delete(table, primaryKeys);
    wrote();
    return n;
  }

  /** Remembers that a write was acknowledged: SESSION reads from now on must see it. */
  private void wrote() {
    lastWriteTs = proxy.now();
  }

  public synchronized void beginBatch() {
    batch = new LinkedHashMap<>();
  }

  /** Sends the held rows, one insert task per table, and leaves batch mode. */
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
    Map<String, List<ColumnBatch>> pending = batch;
    batch = new LinkedHashMap<>();
    pending.forEach((table, parts) ->
        proxy.insert(table, ColumnBatches.concat(parts.get(0).schema(), parts)));
    wrote();
  }
}
