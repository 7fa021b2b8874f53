package org.quiver.sql.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option of every command that works on a data directory. */
final class DataDirectoryOption {
  @Option(names = "--data", paramLabel = "DIR", description = "the data directory")
  Path data = Path.of("quiver-data");
}
