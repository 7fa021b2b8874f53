package org.quiver.sql.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.quiver.engine.api.ConsistencyLevel;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.request.BatchSearchRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.fixtures.Batches;
import org.quiver.storage.FileTrees;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;
import org.quiver.storage.vector.LowRankMixture;
import org.quiver.storage.vector.TopK;
import org.quiver.storage.vector.VectorKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench scan}: how close an exact scan comes to the machine's memory bandwidth, in
 * one run. First the yardstick: a SIMD sum over a memory-mapped file as large as the table (a
 * STREAM-style sequential read on one core, from memory mapped as the engine maps segments). Then the same bytes scanned for one query: by the
 * bare L2 kernel with a top-10 heap, and by the engine's exact search over its memory-mapped
 * sealed segment; then the engine's batched exact search, which reads the data once for many
 * queries. Each is reported in GB/s (the best pass, as STREAM does) and as a fraction of the
 * yardstick; the yardstick is measured again at the end and the better of its two runs is used.
 */
@Command(name = "scan", description = "How close an exact scan comes to the machine's read "
    + "bandwidth: a SIMD sum over a mapped file, the bare L2 kernel, the engine's exact search "
    + "and its batched search, in GB/s and as a fraction of the first.")
final class ScanBench implements Callable<Integer> {
  /** Where the yardstick's sums go, so that the JIT cannot drop the reads. */
  private static volatile float sink;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "200000",
      description = "rows of the table (a synthetic low-rank mixture)")
  private int rows;

  @Option(names = "--dim", paramLabel = "N", defaultValue = "128", description = "dimension")
  private int dim;

  @Option(names = "--queries", paramLabel = "N", defaultValue = "20",
      description = "distinct query vectors, one per pass")
  private int queries;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
      description = "queries per batched search")
  private int batch;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
      description = "warm-up, then measuring time, per figure")
  private double seconds;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "the mixture's seed")
  private long seed;

  @Override
  public Integer call() throws Exception {
    long bytes = (long) rows * dim * Float.BYTES;
    String dataset = "synthetic-" + rows + "x" + dim + "-seed" + seed;
    System.out.println(Bench.HEADER);
    System.err.println("  kernels: " + VectorKernels.implementation() + "; "
        + String.format(Locale.ROOT, "%.0f MB per scan", bytes / 1e6));

    LowRankMixture mixture = new LowRankMixture(seed, dim, Math.max(2, dim / 8), 100);
    float[] data = new float[rows * dim];
    ProgressBar gen = ProgressBars.start("generating", rows);
    for (int i = 0; i < rows; i++) {
      gen.stepTo(i);
      mixture.next(data, i * dim);
    }
    ProgressBars.finish(gen);
    List<float[]> qs = new ArrayList<>();
    for (int i = 0; i < Math.max(queries, batch); i++) {
      qs.add(mixture.next(1));
    }

    Path dir = Files.createTempDirectory("quiver-scan-");
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true),
        new FieldSchema(2, "v", DataType.FLOAT_VECTOR, dim, false, false)));
    try (Arena arena = Arena.ofShared();
        Engine quiver = Engine.open(new QuiverConfig(dir, Math.max(rows, 1)))) {
      MemorySegment off = mapped(dir.resolve("yardstick.bin"), data, arena);
      Pass memoryRead = () -> {
        sink = VectorKernels.sum(off, 0, bytes);
        return bytes;
      };
      double stream = rate(seconds, memoryRead);
      int[] next = {0};
      double kernel = rate(seconds, () -> {
        float[] q = qs.get(next[0]++ % queries);
        TopK top = new TopK(10);
        long stride = (long) dim * Float.BYTES;
        float[] block = new float[256];
        for (int r = 0; r < rows; r += block.length) {
          int n = Math.min(block.length, rows - r);
          VectorKernels.l2SquaredRows(q, off, r * stride, dim, n, block);
          for (int i = 0; i < n; i++) {
            if (block[i] <= top.threshold()) {
              top.offer(block[i], r + i);
            }
          }
        }
        return bytes;
      });

      quiver.createTable(
          new CreateTableRequest("scan", schema, false, 1, ConsistencyLevel.STRONG));
      ProgressBar load = ProgressBars.start("loading the engine", rows);
      for (int from = 0; from < rows; from += 10_000) {
        load.stepTo(from);
        int n = Math.min(10_000, rows - from);
        Object[] ids = new Object[n];
        for (int i = 0; i < n; i++) {
          ids[i] = (long) (from + i);
        }
        float[] v = java.util.Arrays.copyOfRange(data, from * dim, (from + n) * dim);
        quiver.insert(
            new InsertRequest("scan", Batches.of(schema, n, List.of(ids, v)), null));
      }
      ProgressBars.finish(load);
      quiver.flush(new FlushRequest("scan"));
      SearchOptions exact = new SearchOptions(0, 0, true);
      double engine = rate(seconds, () -> {
        quiver.search(new SearchRequest("scan", "v", qs.get(next[0]++ % queries), IndexMetric.L2,
            10, 0, null, List.of("id"), exact), ReadOptions.DEFAULT);
        return bytes;
      });
      List<float[]> many = qs.subList(0, batch);
      double batched = rate(seconds, () -> {
        quiver.searchBatch(new BatchSearchRequest(new SearchRequest("scan", "v", many.get(0),
            IndexMetric.L2, 10, 0, null, List.of("id"), exact), many));
        return bytes * batch;
      });
      stream = Math.max(stream, rate(seconds, memoryRead));

      row(dataset, "memory-read", "simd sum over " + bytes / 1_000_000 + " MB mapped", stream,
          stream);
      row(dataset, "kernel", "l2 (blocks of 256 rows) + top-10 heap, mapped, one query per pass", kernel, stream);
      row(dataset, "engine", "exact search over the mapped segments, one query per pass", engine,
          stream);
      row(dataset, "engine-batch", "searchBatch of " + batch
          + " queries per pass (bytes counted once per query)", batched, stream);
    } finally {
      FileTrees.deleteRecursively(dir);
    }
    return 0;
  }

  /**
   * The vectors written to {@code file} and mapped, as the engine maps its segments. The
   * yardstick and the bare kernel read a mapped file for the same reason: the JIT specializes the
   * kernels to the memory segment classes it has seen, and a process that reads both native and
   * mapped segments through one kernel runs every kind slower (measured: about half the
   * bandwidth), which would make the yardstick and the engine each pay for the other.
   */
  private static MemorySegment mapped(Path file, float[] data, Arena arena)
      throws java.io.IOException {
    long bytes = (long) data.length * Float.BYTES;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
      MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(
          ByteOrder.LITTLE_ENDIAN), 0, data.length);
      return segment;
    }
  }

  /** Work that reports the bytes it read. */
  private interface Pass {
    long run();
  }

  /**
   * The best bytes per second of one pass of {@code pass}, over passes repeated for {@code
   * seconds} after as long a warm-up. The best, as STREAM reports: on a shared machine the other
   * tenants only ever slow a pass down, and every figure here is measured the same way.
   */
  private static double rate(double seconds, Pass pass) {
    long warm = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warm) {
      pass.run();
    }
    double best = 0;
    long until = System.nanoTime() + (long) (seconds * 1e9);
    do {
      long t0 = System.nanoTime();
      long read = pass.run();
      best = Math.max(best, read / ((System.nanoTime() - t0) / 1e9));
    } while (System.nanoTime() < until);
    return best;
  }

  private static void row(String dataset, String door, String what, double bytesPerSecond,
      double stream) {
    System.out.println(String.join(",", "scan", dataset, door, "flat",
        String.format(Locale.ROOT, "%s: %.2f GB/s = %.2f of memory-read", what,
            bytesPerSecond / 1e9, bytesPerSecond / stream),
        "", "", "", "", "", "", "1", ""));
  }
}
