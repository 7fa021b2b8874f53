package org.quiver.sql.bench;

import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The dataset options of the benchmarks that search with ground truth: {@code --dataset
 * siftsmall}, or {@code --dataset synthetic} shaped by {@code --rows --dim --queries --seed}.
 */
final class DatasetOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(names = "--dataset", paramLabel = "siftsmall|synthetic", defaultValue = "siftsmall",
      description = "siftsmall (from shared/datasets beside the checkout, or -Dquiver.datasets), "
          + "or a seeded low-rank Gaussian mixture shaped by the four options below")
  private String name;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
      description = "synthetic: base vectors")
  private int rows;

  @Option(names = "--dim", paramLabel = "N", defaultValue = "128",
      description = "synthetic: dimension")
  private int dim;

  @Option(names = "--queries", paramLabel = "N", defaultValue = "1000",
      description = "synthetic: query vectors, with exact top-10 ground truth")
  private int queries;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "synthetic: the mixture's seed")
  private long seed;

  /** Reads or generates the dataset these options name. */
  Bench.Dataset load() throws IOException {
    return switch (name) {
      case "siftsmall" -> Bench.Dataset.siftsmall();
      case "synthetic" -> Bench.Dataset.synthetic(rows, dim, queries, seed);
      default -> throw new ParameterException(command.commandLine(),
          "unknown dataset '" + name + "': expected siftsmall or synthetic");
    };
  }
}
