package org.quiver.sql.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.quiver.engine.api.request.SearchVector;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quiver bench scan}: how close an exact scan comes to the machine's memory bandwidth, in
 * one run. The yardstick is a SIMD sum over a memory-mapped file as large as the table (a
 * STREAM-style sequential read on one core, from memory mapped as the engine maps segments). It
 * is set against the same bytes scanned for one query by the bare L2 kernel with a top-10 heap,
 * by the engine's exact search over its memory-mapped sealed segments, and by the engine's
 * batched exact search, which reads the data once for many queries. Each figure is measured in
 * passes alternating with the yardstick's and reported in GB/s and as the median ratio of a pass
 * to the yardstick pass before it; the whole measurement runs {@code --runs} times, and the last
 * rows give each ratio's median and spread.
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

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
      description = "measurements of every figure in the one process: each run's figures, then "
          + "the median and the spread of each ratio")
  private int runs;

  @Spec
  private CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (runs < 1) {
      throw new ParameterException(command.commandLine(), "--runs must be at least 1, got " + runs);
    }
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
      int[] next = {0};
      Pass kernel = () -> {
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
      };

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
      Pass engine = () -> {
        quiver.search(new SearchRequest("scan", "v", qs.get(next[0]++ % queries), IndexMetric.L2,
            10, 0, null, List.of("id"), exact), ReadOptions.DEFAULT);
        return bytes;
      };
      List<SearchVector> many =
          qs.subList(0, batch).stream().<SearchVector>map(SearchVector.Floats::new).toList();
      Pass batched = () -> {
        quiver.searchBatch(new BatchSearchRequest(new SearchRequest("scan", "v", many.get(0),
            IndexMetric.L2, 10, 0, null, List.of("id"), exact, null), many));
        return bytes * batch;
      };

      List<Figure> figures = List.of(
          new Figure("kernel", "l2 (blocks of 256 rows) + top-10 heap, mapped, one query per pass",
              kernel),
          new Figure("engine", "exact search over the mapped segments, one query per pass",
              engine),
          new Figure("engine-batch", "searchBatch of " + batch
              + " queries per pass (bytes counted once per query)", batched));
      double[][] ratios = new double[figures.size()][runs];
      for (int run = 0; run < runs; run++) {
        for (int f = 0; f < figures.size(); f++) {
          Figure figure = figures.get(f);
          Paired measured = paired(seconds, memoryRead, figure.pass());
          ratios[f][run] = measured.ratio();
          System.out.println(String.join(",", "scan", dataset, figure.door(), "flat",
              String.format(Locale.ROOT, "run %d of %d (load average %.2f), %s: %.2f GB/s; "
                  + "memory-read (simd sum over the %d MB mapped) %.2f GB/s in the passes between; "
                  + "%.2f of memory-read",
                  run + 1, runs,
                  ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                  figure.what(), measured.rate() / 1e9, bytes / 1_000_000,
                  measured.memoryRead() / 1e9, measured.ratio()),
              "", "", "", "", "", "", "1", ""));
        }
      }
      for (int f = 0; f < figures.size(); f++) {
        double[] sorted = ratios[f].clone();
        Arrays.sort(sorted);
        System.out.println(String.join(",", "scan", dataset, figures.get(f).door(), "flat",
            String.format(Locale.ROOT, "median of %d runs: %.2f of memory-read (spread %.2f-%.2f)",
                runs, sorted[runs / 2], sorted[0], sorted[runs - 1]),
            "", "", "", "", "", "", "1", ""));
      }
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

  /** One figure of the benchmark: its door, what it measures, and one pass of it. */
  private record Figure(String door, String what, Pass pass) {}

  /** Work that reports the bytes it read. */
  private interface Pass {
    long run();
  }

  /**
   * The fewest pairs of passes a figure is measured over, however slow a pass: a median of one or
   * two pairs is one stalled pass (once, on the loaded machine, a yardstick pass that took 3 s).
   */
  private static final int MIN_PAIRS = 5;

  /** A figure measured in passes alternating with the yardstick's, each a median over them. */
  private record Paired(double rate, double memoryRead, double ratio) {}

  /**
   * Bytes per second of {@code pass} and of {@code yardstick}, their passes alternating for
   * {@code seconds} (and at least {@link #MIN_PAIRS} times) after as long a warm-up, and the
   * median of the ratio of each pass to the yardstick pass before it. On a shared machine the
   * memory bandwidth a core gets moves with the other tenants' traffic from one second to the
   * next (the yardstick alone, best pass of a 3 s window, measured 17 to 50 GB/s within one hour
   * here): a figure and a yardstick measured in windows of their own compare two moments, not two
   * ways of reading memory, and one lucky window of the yardstick made the scan look like half of
   * it. Adjacent passes share the conditions, and medians are not moved by the odd pass a
   * neighbour slowed down or sped up.
   */
  private static Paired paired(double seconds, Pass yardstick, Pass pass) {
    long warm = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warm) {
      yardstick.run();
      pass.run();
    }
    List<Double> yardsticks = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    long until = System.nanoTime() + (long) (seconds * 1e9);
    do {
      double y = timed(yardstick);
      double x = timed(pass);
      yardsticks.add(y);
      rates.add(x);
      ratios.add(x / y);
    } while (System.nanoTime() < until || ratios.size() < MIN_PAIRS);
    return new Paired(median(rates), median(yardsticks), median(ratios));
  }

  /** Bytes per second of one pass. */
  private static double timed(Pass pass) {
    long t0 = System.nanoTime();
    long read = pass.run();
    return read / ((System.nanoTime() - t0) / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
