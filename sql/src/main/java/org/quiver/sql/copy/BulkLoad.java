package org.quiver.sql.copy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;

/**
 * A load of many batches into one table (COPY, {@code quiver import}, Flight bulk ingest) that
 * is all or nothing. Every batch is one insert task, durable when {@link #insert} returns; the
 * load remembers the primary keys it wrote, and {@link #abort} deletes them again through the
 * engine's delete path, so a failed load leaves no rows behind. While a load runs, readers may
 * see its rows (the engine has no multi-batch transactions).
 */
public final class BulkLoad {
  private final Proxy proxy;
  private final String table;
  private final CollectionInfo info;
  private final List<Object> written = new ArrayList<>();
  private long rows;
  private boolean finished;

  /** A load into {@code name} (a table or an alias). */
  public BulkLoad(Proxy proxy, String name) {
    this.proxy = proxy;
    this.table = proxy.aliases().getOrDefault(name, name);
    this.info = proxy.collection(table).orElseThrow(() ->
        QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", name));
  }

  public String table() {
    return table;
  }

  public CollectionSchema schema() {
    return info.schema();
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Writes one batch durably (one insert task). */
  public void insert(ColumnBatch batch) {
    if (finished) {
      throw new IllegalStateException("the load has finished");
    }
    if (batch.rowCount() == 0) {
      return;
    }
    proxy.insert(table, batch);
    written.addAll(Arrays.asList(batch.scalars(info.schema().primaryKeyIndex())));
    rows += batch.rowCount();
  }

  /** Keeps the rows written. */
  public long commit() {
    finished = true;
    written.clear();
    return rows;
  }

  /** Deletes the rows written so far; returns how many. Idempotent. */
  public long abort() {
    if (finished) {
      return 0;
    }
    finished = true;
    long removed = 0;
    int step = 50_000;
    for (int i = 0; i < written.size(); i += step) {
      removed += proxy.delete(table, written.subList(i, Math.min(written.size(), i + step)));
    }
    written.clear();
    return removed;
  }
}
