package org.quiver.sql.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.request.CompactRequest;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.DeleteRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.fixtures.Batches;
import org.quiver.storage.FileTrees;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench deletes}: single-client k-NN search (k = 10, HNSW) over a table with 0%, 10%
 * and 50% of its rows deleted, before and after COMPACT TABLE, next to a fresh table holding only
 * the surviving rows. Engine level, embedded, random clustered vectors; the retention window is 0
 * so compaction purges the deleted rows.
 */
@Command(name = "deletes", description = "k-NN search (HNSW) over a table with 0%%, 10%% and "
    + "50%% of its rows deleted, before and after COMPACT TABLE, beside a fresh table of the "
    + "survivors.")
final class DeletesBench implements Callable<Integer> {
  @Option(names = "--rows", paramLabel = "N", defaultValue = "20000",
      description = "rows of clustered random vectors")
  private int rows;

  @Option(names = "--dim", paramLabel = "N", defaultValue = "128", description = "dimension")
  private int dim;

  @Option(names = "--seal-rows", paramLabel = "N", defaultValue = "2000",
      description = "rows per sealed segment")
  private int sealRows;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
      description = "measuring time per table")
  private double seconds;

  @Override
  public Integer call() throws Exception {
    Random random = new Random(42);
    float[][] data = clustered(random, rows, dim);
    float[][] queries = clustered(random, 200, dim);
    System.out.println("bench,deleted_pct,table,rows_visible,segments,qps,p50_ms,p99_ms");
    for (int pct : new int[] {0, 10, 50}) {
      int[] order = shuffled(random, rows);
      int deleted = rows * pct / 100;
      Path dir = Files.createTempDirectory("quiver-bench-deletes-");
      QuiverConfig config =
          new QuiverConfig(dir, sealRows).withRetentionMs(0).withAutoCompaction(false);
      try (Engine engine = Engine.open(config)) {
        create(engine, "t", dim);
        insert(engine, "t", data, order, 0, rows, dim);
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < deleted; i++) {
          keys.add((long) order[i]);
        }
        for (int from = 0; from < keys.size(); from += 1000) {
          engine.delete(
              new DeleteRequest("t", keys.subList(from, Math.min(keys.size(), from + 1000))));
        }
        engine.flush(new FlushRequest("t"));
        awaitIndexes(engine, "t");
        measure(engine, "t", pct, "before_compaction", rows - deleted, queries, seconds);
        Thread.sleep(2);
        engine.compact(new CompactRequest("t"));
        awaitIndexes(engine, "t");
        measure(engine, "t", pct, "after_compaction", rows - deleted, queries, seconds);
        create(engine, "fresh", dim);
        insert(engine, "fresh", data, order, deleted, rows, dim);
        engine.flush(new FlushRequest("fresh"));
        awaitIndexes(engine, "fresh");
        measure(engine, "fresh", pct, "fresh_table", rows - deleted, queries, seconds);
      } finally {
        FileTrees.deleteRecursively(dir);
      }
    }
    return 0;
  }

  private static void create(Engine engine, String table, int dim) {
    engine.createTable(new CreateTableRequest(table, new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, dim, false, false))), false, 1,
        ConsistencyLevel.STRONG));
    engine.createIndex(new CreateIndexRequest(table, table + "_hnsw", "v", IndexMethod.HNSW,
        new IndexParams(IndexMetric.L2, 16, 100, 0, 0, 0), 0, 0, false));
  }

  /** Inserts the rows {@code order[from..to)} in batches of 1000. */
  private static void insert(Engine engine, String table, float[][] data, int[] order, int from,
      int to, int dim) {
    CollectionSchema schema = engine.table(table).orElseThrow().schema();
    for (int start = from; start < to; start += 1000) {
      int n = Math.min(1000, to - start);
      Object[] ids = new Object[n];
      float[] v = new float[n * dim];
      for (int i = 0; i < n; i++) {
        ids[i] = (long) order[start + i];
        System.arraycopy(data[order[start + i]], 0, v, i * dim, dim);
      }
      engine.insert(new InsertRequest(table, Batches.of(schema, n, List.of(ids, v)), null));
    }
  }

  private static void awaitIndexes(Engine engine, String table) throws InterruptedException {
    for (IndexInfo index : engine.indexes(table)) {
      IndexProgress p;
      while ((p = engine.indexProgress(index)).builtSegments() < p.totalSegments()) {
        Thread.sleep(50);
      }
    }
  }

  private static void measure(Engine engine, String table, int pct, String label, int visible,
      float[][] queries, double seconds) {
    long warmupEnd = System.nanoTime() + 1_000_000_000L;
    int q = 0;
    while (System.nanoTime() < warmupEnd) {
      search(engine, table, queries[q++ % queries.length]);
    }
    List<Long> latencies = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now = start;
    while (now < end) {
      search(engine, table, queries[q++ % queries.length]);
      long t = System.nanoTime();
      latencies.add(t - now);
      now = t;
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double qps = sorted.length / ((now - start) / 1e9);
    System.out.println(String.format(Locale.ROOT, "deletes,%d,%s,%d,%d,%.0f,%.3f,%.3f", pct, label,
        visible, engine.segments(table).size(), qps, sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] / 1e6));
  }

  private static void search(Engine engine, String table, float[] q) {
    engine.search(new SearchRequest(table, "v", q, IndexMetric.L2, 10, 0, null, List.of("id")),
        ReadOptions.DEFAULT);
  }

  /** Vectors around 32 random centres, so the graph has structure to find. */
  private static float[][] clustered(Random random, int n, int dim) {
    Random centres = new Random(7);
    float[][] c = new float[32][dim];
    for (float[] centre : c) {
      for (int d = 0; d < dim; d++) {
        centre[d] = (float) centres.nextGaussian() * 4;
      }
    }
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      float[] centre = c[random.nextInt(c.length)];
      for (int d = 0; d < dim; d++) {
        out[i][d] = centre[d] + (float) random.nextGaussian();
      }
    }
    return out;
  }

  private static int[] shuffled(Random random, int n) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
