package org.quiver.tests;

import java.nio.file.Path;
import java.util.List;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.fixtures.Batches;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * The child of {@link DdlCrashTest}: creates table {@code t} (2 shards), or creates, fills,
 * flushes and drops it, or creates and fills it and a staging table and swaps that in for it (a
 * replace), through the engine's proxy (no SQL layer, so the child starts fast), with the engine's
 * test hook set to halt the JVM (as SIGKILL would) before one step. Arguments: data directory,
 * {@code create}, {@code drop} or {@code replace}, the step.
 */
public final class DdlCrashChild {
  /** The same table as {@link #SCHEMA}, in SQL, for the parent's checks. */
  static final String CREATE =
      "CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2)) WITH (shards = 2)";
  static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  /** The line on which a {@code replace} child prints a wall-clock time before its swap. */
  static final String BEFORE_SWAP = "before-swap=";

  private DdlCrashChild() {}

  /** A wall-clock millisecond strictly after what ran before and before what runs after. */
  private static long ticked() {
    try {
      Thread.sleep(3);
      long now = System.currentTimeMillis();
      Thread.sleep(3);
      return now;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ColumnBatch rows(long from, int n) {
    Object[] ids = new Object[n];
    float[] v = new float[2 * n];
    for (int i = 0; i < n; i++) {
      ids[i] = from + i;
      v[2 * i] = from + i;
    }
    return Batches.of(SCHEMA, n, List.of(ids, v));
  }

  public static void main(String[] args) {
    String kind = args[1];
    try (Quiver quiver = Quiver.open(QuiverConfig.at(Path.of(args[0])))) {
      Proxy proxy = quiver.proxy();
      if (kind.equals("drop")) {
        proxy.createCollection("t", SCHEMA, false, 2);
        proxy.insert("t", rows(1, 4));
        proxy.flush("t");
        proxy.insert("t", rows(5, 1));
      }
      String staging = null;
      if (kind.equals("replace")) {
        proxy.createCollection("t", SCHEMA, false, 2);
        proxy.insert("t", rows(1, 4));
        proxy.flush("t");
        proxy.insert("t", rows(5, 1));
        staging = proxy.createStagingCollection("t", SCHEMA, 2, ConsistencyLevel.STRONG);
        proxy.insert(staging, rows(100, 2));
        proxy.flush(staging);
        proxy.insert(staging, rows(102, 1));
        // The parent reads the table as of this time: before the swap, after both tables' rows.
        System.out.println(BEFORE_SWAP + ticked());
      }
      System.setProperty(DdlJournal.HALT_PROPERTY, kind + ":" + args[2]);
      switch (kind) {
        case "drop" -> proxy.dropCollection("t", false);
        case "replace" -> proxy.replaceCollection("t", staging);
        default -> proxy.createCollection("t", SCHEMA, false, 2);
      }
    }
  }
}
