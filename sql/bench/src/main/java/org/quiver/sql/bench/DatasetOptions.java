package org.quiver.sql.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.quiver.sql.copy.VectorFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The dataset options of the benchmarks that search with ground truth: {@code --dataset
 * siftsmall}, {@code --dataset synthetic} shaped by {@code --rows --dim --queries --seed}, or
 * files of one's own: {@code --base} and {@code --query} (fvecs) with {@code --gt} (ivecs; exact
 * top-10 by brute force without it).
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

  @Option(names = "--base", paramLabel = "FILE.fvecs",
      description = "base vectors from an fvecs file, instead of --dataset")
  private Path base;

  @Option(names = "--query", paramLabel = "FILE.fvecs", description = "with --base: the queries")
  private Path query;

  @Option(names = "--gt", paramLabel = "FILE.ivecs",
      description = "with --base: each query's nearest base rows by L2, nearest first (at least "
          + "10); without it, computed exactly")
  private Path groundTruth;

  /** Reads or generates the dataset these options name. */
  Bench.Dataset load() throws IOException {
    if (base != null) {
      return files();
    }
    if (query != null || groundTruth != null) {
      throw new ParameterException(command.commandLine(), "--query and --gt go with --base");
    }
    return switch (name) {
      case "siftsmall" -> Bench.Dataset.siftsmall();
      case "synthetic" -> Bench.Dataset.synthetic(rows, dim, queries, seed);
      default -> throw new ParameterException(command.commandLine(),
          "unknown dataset '" + name + "': expected siftsmall or synthetic");
    };
  }

  private Bench.Dataset files() throws IOException {
    if (query == null) {
      throw new ParameterException(command.commandLine(), "--base needs --query");
    }
    float[][] rows = VectorFiles.readFvecs(base);
    float[][] queries = VectorFiles.readFvecs(query);
    if (rows.length == 0 || queries.length == 0) {
      throw new ParameterException(command.commandLine(), "--base and --query need vectors");
    }
    if (rows[0].length != queries[0].length) {
      throw new ParameterException(command.commandLine(), "--base has " + rows[0].length
          + " dimensions, --query " + queries[0].length);
    }
    int[][] truth;
    if (groundTruth == null) {
      truth = Bench.Dataset.exactTopTen(rows, queries);
    } else {
      truth = VectorFiles.readIvecs(groundTruth);
      if (truth.length != queries.length || truth[0].length < 10) {
        throw new ParameterException(command.commandLine(), "--gt has " + truth.length
            + " rows of " + truth[0].length + " ids; it needs one row of at least 10 per query ("
            + queries.length + ")");
      }
      for (int q = 0; q < truth.length; q++) {
        truth[q] = java.util.Arrays.copyOf(truth[q], 10);
      }
    }
    return new Bench.Dataset(base.getFileName().toString(), rows, queries, truth);
  }
}
