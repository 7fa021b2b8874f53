package org.quiver.sql.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.quiver.sql.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quiver bench}: hands its arguments to the benchmarks, which parse their own options. */
@Command(name = "bench",
    header = "Runs a benchmark; for now the benchmarks parse their own options.",
    description = {
        "The benchmarks are moving to a module of their own, with a command line of their own; "
            + "until then:",
        "  [ingest|search|all|consistency|deletes] [--door embedded|remote] [--batch N]"
            + " [--repeats N] [--shards N]",
        "  transfer [--rows N] [--dims 128,768] [--batch N] [--repeats N]",
        "  ann [--method hnsw|ivf_flat|ivf_pq] [--doors jvector,engine,embedded,remote,pgvector]"
            + " [--dataset siftsmall|synthetic] [--ef 10,16,32] [--at-recall 0.95]",
        "  scan [--rows N] [--dim D]",
        "  remote [--executions N] [--drivers quiver,avatica]",
        "  fuzz [--statements N] [--seed S] [--door embedded|remote|both]"})
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ARGUMENT", description = "the benchmark and its options")
  private List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Bench.main(arguments.toArray(new String[0]));
    return 0;
  }
}
