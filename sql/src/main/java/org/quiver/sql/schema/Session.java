package org.quiver.sql.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.segment.ColumnBatches;
import org.quiver.storage.schema.ColumnBatch;

/**
 * The state of one SQL connection: the engine's proxy, and the rows of a JDBC batch in progress,
 * which reach the engine as one insert task per table when the batch ends.
 */
public final class Session {
  private final Proxy proxy;
  private Map<String, List<ColumnBatch>> batch;

  public Session(Proxy proxy) {
    this.proxy = proxy;
  }

  public Proxy proxy() {
    return proxy;
  }

  /** Inserts now, or holds the rows until the batch in progress ends. */
  public synchronized int insert(String table, ColumnBatch rows) {
    if (batch != null) {
      batch.computeIfAbsent(table, t -> new ArrayList<>()).add(rows);
      return rows.rowCount();
    }
    return proxy.insert(table, rows);
  }

  public synchronized int delete(String table, List<Object> primaryKeys) {
    commitPendingRows();
    return proxy.delete(table, primaryKeys);
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
  }
}
