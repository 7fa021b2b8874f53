package org.quiver.sql.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sqlline.SqlLine;

/** {@code quiver console}: sqlline on a data directory or a server, vectors abbreviated. */
@Command(name = "console", description = "An SQL console (sqlline) on a data directory, or on a "
    + "server with --url; with --user the password from the terminal, or one line of stdin.")
final class ConsoleCommand implements Callable<Integer> {
  @Mixin
  private DatabaseOptions database;

  @Option(names = "-f", paramLabel = "FILE", description = "runs the statements of FILE")
  private Path file;

  @Option(names = "-e", paramLabel = "STATEMENT", description = "runs STATEMENT")
  private String statement;

  @Override
  public Integer call() throws IOException, SQLException {
    String target = database.url != null ? database.url
        : "jdbc:quiver:file:" + database.data.data.toAbsolutePath();
    String password = database.user == null ? "" : readPassword(database.user);
    ConsoleDriver.install();
    List<String> args = new ArrayList<>(List.of("-d", "org.quiver.jdbc.QuiverDriver",
        "-u", target, "-n", database.user == null ? "" : database.user, "-p", password,
        "--isolation=TRANSACTION_NONE", "--verbose=false"));
    if (System.console() == null) {
      // Piped input: sqlline would print zero-width columns without a width, and jline would
      // warn that it cannot open a terminal.
      args.add("--maxWidth=160");
      System.setProperty("org.jline.terminal.dumb", "true");
    }
    if (file != null) {
      args.addAll(List.of("-f", file.toString()));
    }
    if (statement != null) {
      args.addAll(List.of("-e", statement));
    }
    SqlLine.Status status = SqlLine.start(args.toArray(new String[0]), null, true);
    return status == SqlLine.Status.OK ? 0 : 1;
  }

  /**
   * From the terminal (not echoed), or the first line of stdin when piped; read byte by byte so
   * that the rest of stdin stays for the console.
   */
  private static String readPassword(String user) throws IOException {
    Console console = System.console();
    if (console != null && console.isTerminal()) {
      char[] typed = console.readPassword("Password for %s: ", user);
      return typed == null ? "" : new String(typed);
    }
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = System.in.read(); b >= 0 && b != '\n'; b = System.in.read()) {
      line.write(b);
    }
    String password = line.toString(StandardCharsets.UTF_8);
    return password.endsWith("\r") ? password.substring(0, password.length() - 1) : password;
  }
}
