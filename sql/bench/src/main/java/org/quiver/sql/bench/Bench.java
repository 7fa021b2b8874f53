package org.quiver.sql.bench;

import java.io.IOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import org.quiver.sql.copy.VectorFiles;
import org.quiver.storage.vector.LowRankMixture;
import org.quiver.storage.vector.TopK;
import org.quiver.storage.vector.VectorKernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * {@code quiver bench}: figures, never assertions, parsed by picocli (a bad argument: exit 2 and
 * the usage). Each run uses a fresh data directory and prints one CSV row per measurement on
 * standard output; progress goes to standard error.
 *
 * <ul>
 *   <li>{@code ingest}, {@code search} and {@code all} ({@link JdbcBench}): durable inserts and
 *       exact k-NN search through JDBC; {@code all}, both, is what runs without a benchmark name;
 *   <li>{@code ann}: index sweeps through several doors ({@link AnnBench});
 *   <li>{@code scan}: exact-scan bandwidth against the machine's read bandwidth ({@link
 *       ScanBench});
 *   <li>{@code transfer} ({@link TransferBench}): ingest and export rates through Flight SQL,
 *       COPY and JDBC;
 *   <li>{@code storage} ({@link StorageBench}): the log's durable produce and consume, KV
 *       transactions on RocksDB and etcd;
 *   <li>{@code cluster} ({@link ClusterBench}): search through a cluster's coordinator with 1
 *       and 2 query node processes against standalone, and ingest through it;
 *   <li>{@code remote} ({@link RemoteBench}), {@code consistency} ({@link ConsistencyBench}) and
 *       {@code deletes} ({@link DeletesBench});
 *   <li>{@code fuzz} ({@link FuzzBench}): hostile statements against the embedded and remote
 *       doors, with the problems they find;
 *   <li>{@code pgvector} ({@link PgvectorCompatBench}): pgvector's regression files, the share
 *       of their statements answered as pgvector answers them.
 * </ul>
 */
@Command(name = "quiver bench", scope = ScopeType.INHERIT, showDefaultValues = true,
    usageHelpAutoWidth = true,
    description = {"Benchmarks: CSV on standard output, progress on standard error.",
        "Without a benchmark name: ingest and search, as 'all', with the options below.",
        "'quiver bench BENCHMARK --help' shows the options of a benchmark."},
    subcommands = {JdbcBench.Ingest.class, JdbcBench.Search.class, JdbcBench.All.class,
        AnnBench.class, ScanBench.class, TransferBench.class, StorageBench.class,
        ClusterBench.class,
        RemoteBench.class, ConsistencyBench.class, DeletesBench.class, FuzzBench.class,
        PgvectorCompatBench.class})
public final class Bench extends JdbcBench {
  static final String HEADER =
      "bench,dataset,door,index,params,build_s,qps,recall@10,p50_ms,p99_ms,rows_returned,threads,vectors_per_s";

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Shows this help and exits.")
  private boolean help;

  @Override
  void measure() throws Exception {
    all();
  }

  /** A benchmark dataset with ground truth. */
  record Dataset(String name, float[][] base, float[][] queries, int[][] truth) {
    /**
     * {@code rows} points and {@code queries} more from one seeded low-rank Gaussian mixture
     * ({@link LowRankMixture}, rank dim / 8, 100 clusters), with exact top-10 ground truth by
     * brute force.
     */
    static Dataset synthetic(int rows, int dim, int queries, long seed) {
      LowRankMixture mixture = new LowRankMixture(seed, dim, Math.max(2, dim / 8), 100);
      float[][] base = new float[rows][];
      ProgressBar bar = ProgressBars.start("generating " + rows + " x " + dim, rows);
      for (int i = 0; i < rows; i++) {
        bar.stepTo(i);
        base[i] = mixture.next(1);
      }
      ProgressBars.finish(bar);
      float[][] q = new float[queries][];
      for (int i = 0; i < queries; i++) {
        q[i] = mixture.next(1);
      }
      return new Dataset("synthetic-" + rows + "x" + dim + "-seed" + seed, base, q,
          exactTopTen(base, q));
    }

    /**
     * Exact top-10 by squared L2 for every query, in one pass over the base: each base vector is
     * compared with all the queries while it is in the cache.
     */
    static int[][] exactTopTen(float[][] base, float[][] queries) {
      int dim = base[0].length;
      TopK[] tops = new TopK[queries.length];
      for (int q = 0; q < queries.length; q++) {
        tops[q] = new TopK(10);
      }
      ProgressBar bar = ProgressBars.start("ground truth", base.length);
      for (int r = 0; r < base.length; r++) {
        if ((r & 1023) == 0) {
          bar.stepTo(r);
        }
        for (int q = 0; q < queries.length; q++) {
          float d = VectorKernels.l2Squared(queries[q], base[r], 0, dim);
          if (d <= tops[q].threshold()) {
            tops[q].offer(d, r);
          }
        }
      }
      ProgressBars.finish(bar);
      int[][] truth = new int[queries.length][10];
      for (int q = 0; q < queries.length; q++) {
        tops[q].drainSorted(new float[10], truth[q]);
      }
      return truth;
    }

    /** siftsmall, 10,000 x 128 with 100 queries, from {@link VectorFiles#dataset}. */
    static Dataset siftsmall() throws IOException {
      String name = "siftsmall";
      Path dir = VectorFiles.dataset(name).orElseThrow(() -> new IllegalStateException(
          "dataset " + name + " not found: expected shared/datasets/" + name
              + " beside the checkout, or set -Dquiver.datasets=DIR"));
      return new Dataset(name, VectorFiles.readFvecs(dir.resolve("siftsmall_base.fvecs")),
          VectorFiles.readFvecs(dir.resolve("siftsmall_query.fvecs")),
          VectorFiles.readIvecs(dir.resolve("siftsmall_groundtruth.ivecs")));
    }
  }

  /**
   * The whole command line, ready to {@link CommandLine#execute}. Options given before a
   * benchmark's name are the options of {@code all}, which does not run then: refused, rather
   * than silently ignored.
   */
  public static CommandLine commandLine() {
    // --door remote: the door, though remote is also a benchmark's name.
    CommandLine line = new CommandLine(new Bench()).setAllowSubcommandsAsOptionParameters(true);
    line.setExecutionStrategy(parsed -> {
      if (parsed.hasSubcommand() && parsed.matchedOptions().stream()
          .anyMatch(o -> !o.usageHelp() && !o.versionHelp())) {
        throw new ParameterException(line, "options before the benchmark's name are those of "
            + "'all'; put them after '" + parsed.subcommand().commandSpec().name() + "'");
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return line;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
