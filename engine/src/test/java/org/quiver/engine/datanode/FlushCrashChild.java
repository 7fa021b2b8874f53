package org.quiver.engine.datanode;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.proxy.Proxy;
import org.quiver.fixtures.Batches;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * The child of {@link FlushCrashTest}: opens an engine that seals a segment every few rows and
 * inserts batches of consecutive ids until killed, printing {@code try <first> <count>} before each
 * insert, {@code ack <first> <count>} once it returned and {@code flush} after each FLUSH.
 */
public final class FlushCrashChild {
  static final String TABLE = "t";
  static final int SEAL_ROWS = 4;
  static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "v", DataType.FLOAT_VECTOR, 4, false, false),
      new FieldSchema(3, "label", DataType.VARCHAR, 0, false, false)));
  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private FlushCrashChild() {}

  /** Arguments: data directory, first id, seed. */
  public static void main(String[] args) {
    Quiver quiver = Quiver.open(config(Path.of(args[0])));
    Proxy proxy = quiver.proxy();
    proxy.createCollection(TABLE, SCHEMA, true);
    long next = Long.parseLong(args[1]);
    Random random = new Random(Long.parseLong(args[2]));
    print("ready");
    while (true) {
      int count = 1 + random.nextInt(6);
      print("try " + next + " " + count);
      proxy.insert(TABLE, rows(next, count));
      print("ack " + next + " " + count);
      next += count;
      if (random.nextInt(4) == 0) {
        proxy.flush(TABLE);
        print("flush");
      }
    }
  }

  /**
   * Seals every few rows, with no time-travel window, so that the log deletes what each seal
   * covers at once: the kills also land while it trims.
   */
  static QuiverConfig config(Path dir) {
    return new QuiverConfig(dir, SEAL_ROWS).withRetentionMs(0);
  }

  static ColumnBatch rows(long first, int count) {
    Object[] ids = new Object[count];
    Object[] labels = new Object[count];
    float[] v = new float[4 * count];
    for (int i = 0; i < count; i++) {
      ids[i] = first + i;
      labels[i] = "row-" + (first + i);
      v[4 * i] = first + i;
    }
    return Batches.of(SCHEMA, count, List.of(ids, v, labels));
  }

  private static void print(String line) {
    OUT.println(line);
    OUT.flush();
  }
}
