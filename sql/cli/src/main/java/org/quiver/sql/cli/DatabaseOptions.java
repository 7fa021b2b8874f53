package org.quiver.sql.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a client command works: a data directory ({@code --data}), or a server ({@code --url})
 * as a user ({@code --user}).
 */
final class DatabaseOptions {
  @Mixin
  DataDirectoryOption data;

  @Option(names = "--url", paramLabel = "JDBC_URL",
      description = "a server's URL instead of --data")
  String url;

  @Option(names = "--user", paramLabel = "NAME",
      description = "the user to connect as with --url")
  String user;
}
