package org.quiver.sql.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The entry point of {@code ./quiver}: {@code serve}, {@code user}, {@code console},
 * {@code import}, {@code check} and {@code cluster}, parsed by picocli (exit 2 and the usage on a
 * bad argument).
 * The benchmarks are a module of their own, which the launcher runs for {@code ./quiver bench}.
 */
@Command(name = "quiver", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    showDefaultValues = true, versionProvider = Main.Version.class, usageHelpAutoWidth = true,
    description = {"A vector database that speaks SQL.",
        "'quiver COMMAND --help' shows the options of a command."},
    subcommands = {ServeCommand.class, UserCommand.class, ConsoleCommand.class,
        ImportCommand.class, CheckCommand.class, ClusterCommand.class,
        AutoComplete.GenerateCompletion.class})
public final class Main implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  /** Without a command: the usage on stderr, exit 2. */
  @Override
  public Integer call() {
    return usageError(spec);
  }

  /** A command that needs a sub-command and got none: its usage on stderr, exit 2. */
  static int usageError(CommandSpec spec) {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** The whole command line, ready to {@link CommandLine#execute}. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  public static void main(String[] args) {
    // serve returns only when it could not start: a running server ends in its shutdown hook.
    System.exit(commandLine().execute(args));
  }

  /** The version Maven wrote into {@code version.properties} at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        properties.load(in);
      }
      return new String[] {"quiver " + properties.getProperty("version")};
    }
  }
}
