package org.quiver.sql.copy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.DeleteRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;

/**
 * A load of many batches into one table (COPY, {@code quiver import}, Flight bulk ingest) that
 * is all or nothing. Every batch is one insert task; the load remembers the primary keys it
 * wrote, and {@link #abort} deletes them again through the engine's delete path, so a failed
 * load leaves no rows behind. While a load runs, readers may see its rows (the engine has no
 * multi-batch transactions).
 *
 * <p>One batch is written while the caller reads and converts the next: {@link #insert} returns
 * once the previous batch is durable and this one is on its way, and {@link #commit} once every
 * batch is durable. An error of a batch surfaces at the next call. Not thread-safe: one caller.
 */
public final class BulkLoad {
  private final Engine engine;
  private final String table;
  private final CollectionInfo info;
  /** Written by the writer thread; read after {@link #awaitWrite} (Future.get orders them). */
  private final List<Object> written = new ArrayList<>();
  private ExecutorService writer;
  private Future<?> writing;
  private long submitted;
  private long durable;
  private boolean finished;

  /** A load into {@code name} (a table or an alias). */
  public BulkLoad(Engine engine, String name) {
    this.engine = engine;
    this.table = engine.aliases().getOrDefault(name, name);
    this.info = engine.table(table).orElseThrow(() ->
        QuiverException.of(ErrorCode.UNDEFINED_TABLE, "table \"%s\" does not exist", name));
  }

  public String table() {
    return table;
  }

  public CollectionSchema schema() {
    return info.schema();
  }

  /** Rows handed to the load so far (the last batch may still be in writing). */
  public long rows() {
    return submitted;
  }

  /** Waits until the previous batch is durable, then starts writing this one (one insert task). */
  public void insert(ColumnBatch batch) {
    if (finished) {
      throw new IllegalStateException("the load has finished");
    }
    awaitWrite();
    if (batch.rowCount() == 0) {
      return;
    }
    if (writer == null) {
      writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quiver-bulk-load-" + table);
        t.setDaemon(true);
        return t;
      });
    }
    submitted += batch.rowCount();
    writing = writer.submit(() -> {
      engine.insert(new InsertRequest(table, batch, null));
      written.addAll(Arrays.asList(batch.primaryKeys()));
      durable += batch.rowCount();
    });
  }

  private void awaitWrite() {
    Future<?> w = writing;
    writing = null;
    if (w == null) {
      return;
    }
    try {
      w.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QuiverException.of(ErrorCode.QUERY_CANCELED, "the load into \"%s\" was interrupted",
          table);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new QuiverException(ErrorCode.INTERNAL_ERROR, String.valueOf(e.getCause()),
          e.getCause());
    }
  }

  /** Waits until every batch is durable and keeps the rows; returns how many. */
  public long commit() {
    try {
      awaitWrite();
      finished = true;
      written.clear();
      return durable;
    } finally {
      stopWriter();
    }
  }

  /**
   * Stops the load and keeps what it wrote, for a load into a table that is removed whole after
   * (the staging table of a replace), where deleting the rows one by one would be wasted work.
   */
  public void abandon() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      awaitWrite();
    } catch (RuntimeException failedBatch) {
      // The table goes whole; what the batch did or did not write no longer matters.
    } finally {
      stopWriter();
      written.clear();
    }
  }

  /** Deletes the rows written so far; returns how many. Idempotent. */
  public long abort() {
    if (finished) {
      return 0;
    }
    finished = true;
    try {
      awaitWrite();
    } catch (RuntimeException failedBatch) {
      // That batch wrote nothing (an insert task is atomic); the earlier ones go below.
    } finally {
      stopWriter();
    }
    long removed = 0;
    int step = 50_000;
    for (int i = 0; i < written.size(); i += step) {
      removed += engine.delete(
          new DeleteRequest(table, written.subList(i, Math.min(written.size(), i + step))));
    }
    written.clear();
    return removed;
  }

  private void stopWriter() {
    if (writer != null) {
      writer.shutdown();
      writer = null;
    }
  }
}
