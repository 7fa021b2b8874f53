package org.quiver.tests;

import java.nio.file.Path;
import java.util.List;
import org.quiver.engine.Quiver;
import org.quiver.engine.QuiverConfig;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.DdlJournal;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * The child of {@link DdlCrashTest}: creates table {@code t} (2 shards), or creates, fills,
 * flushes and drops it, through the engine's proxy (no SQL layer, so the child starts fast), with
 * the engine's test hook set to halt the JVM (as SIGKILL would) before one step. Arguments: data
 * directory, {@code create} or {@code drop}, the step.
 */
public final class DdlCrashChild {
  /** The same table as {@link #SCHEMA}, in SQL, for the parent's checks. */
  static final String CREATE =
      "CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2)) WITH (shards = 2)";
  static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  private DdlCrashChild() {}

  private static ColumnBatch rows(long from, int n) {
    Object[] ids = new Object[n];
    float[] v = new float[2 * n];
    for (int i = 0; i < n; i++) {
      ids[i] = from + i;
      v[2 * i] = from + i;
    }
    return new ColumnBatch(SCHEMA, n, List.of(ids, v));
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
      System.setProperty(DdlJournal.HALT_PROPERTY, kind + ":" + args[2]);
      if (kind.equals("drop")) {
        proxy.dropCollection("t", false);
      } else {
        proxy.createCollection("t", SCHEMA, false, 2);
      }
    }
  }
}
