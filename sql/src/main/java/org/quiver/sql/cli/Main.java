package org.quiver.sql.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.quiver.engine.error.QuiverException;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.EventLog;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerLimits;
import org.quiver.sql.server.ServerOptions;
import sqlline.SqlLine;

/**
 * The entry point of {@code ./quiver}: {@code serve}, {@code user}, {@code console}, {@code import},
 * {@code check} and {@code bench}.
 */
public final class Main {
  private static final String USAGE = """
      usage: quiver serve   [--data DIR] [--port N] [--bind ADDRESS]
                            [--channel-port N|off]   (Quiver's driver's own transport, default 8766)
                            [--tls-cert PEM --tls-key PEM | --keystore FILE]
                            [--max-connections N] [--idle-timeout SECONDS]
                            [--max-sessions N] [--max-statements-per-connection N]
                            [--max-rows-per-frame N] [--log-format text|json] [--slow-query-ms N]
                            [--flight-port N|off]   (Arrow Flight SQL, default 8815)
                            [--copy-dir DIR]   (remote clients may COPY files under DIR)
             quiver user    add NAME [--role read-only|read-write|admin] | remove NAME [--force]
                            | password NAME
                            | list   [--data DIR]   (passwords from the terminal, or one line of stdin)
             quiver console [--url JDBC_URL [--user NAME] | --data DIR] [-f FILE] [-e STATEMENT]
                            (the password from the terminal, or one line of stdin)
             quiver import  TABLE FILE [--format csv|fvecs|npy|parquet] [--data DIR | --url JDBC_URL
                            [--user NAME]] [--id-start N] [--on-error stop|skip] [--batch N]
                            [--delimiter C] [--header true|false]
                            (with --url the password from QUIVER_PASSWORD)
             quiver check   [--data DIR]   verify every file of a data directory no server has open
                            (exit 0: intact, 1: damage listed, 2: cannot check)
             quiver bench   [ingest|search|all|consistency|deletes] [--door embedded|remote] [--batch N] [--repeats N] [--shards N]
             quiver bench   transfer [--rows N] [--dims 128,768] [--batch N] [--repeats N]
             quiver bench   ann [--method hnsw|ivf_flat|ivf_pq] [--doors jvector,engine,embedded,remote] [--dataset siftsmall|synthetic]
             quiver bench   scan [--rows N] [--dim D]   exact-scan bandwidth against a SIMD read
             quiver bench   remote [--executions N] [--drivers quiver,avatica]   remote latency per execution
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.print(USAGE);
      System.exit(2);
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "serve" -> serve(new Options(rest));
      case "user" -> System.exit(UserCommand.run(rest, USAGE));
      case "console" -> System.exit(console(new Options(rest)));
      case "import" -> System.exit(ImportCommand.run(rest, USAGE));
      case "check" -> System.exit(CheckCommand.run(rest, System.out, System.err));
      case "bench" -> org.quiver.sql.bench.Bench.main(rest.toArray(new String[0]));
      default -> {
        System.err.print(USAGE);
        System.exit(2);
      }
    }
  }

  private static void serve(Options o) throws Exception {
    Path data = Path.of(o.value("--data", "quiver-data"));
    ServerOptions options;
    String flight = o.value("--flight-port", Integer.toString(FlightSqlServer.DEFAULT_PORT));
    String channel = o.value("--channel-port",
        Integer.toString(ServerOptions.DEFAULT_CHANNEL_PORT));
    int flightPort;
    ServerLimits limits;
    EventLog log;
    try {
      flightPort = flight.equals("off") ? -1 : Integer.parseInt(flight);
      if (flightPort > 65535) {
        throw new IllegalArgumentException("--flight-port must be in [0, 65535] or off, got "
            + flight);
      }
      limits = new ServerLimits(
          o.intValue("--max-sessions", ServerLimits.DEFAULT.maxSessions()),
          o.intValue("--max-statements-per-connection",
              ServerLimits.DEFAULT.maxStatementsPerConnection()),
          o.intValue("--max-rows-per-frame", ServerLimits.DEFAULT.maxRowsPerFrame()));
      log = new EventLog(System.err, EventLog.Format.parse(o.value("--log-format", "text")),
          Duration.ofMillis(o.intValue("--slow-query-ms",
              (int) EventLog.DEFAULT_SLOW_QUERY.toMillis())));
      options = ServerOptions.of(data, o.value("--bind", "127.0.0.1"),
              Integer.parseInt(o.value("--port", Integer.toString(ServerOptions.DEFAULT_PORT))))
          .withLimits(
              Integer.parseInt(o.value("--max-connections",
                  Integer.toString(ServerOptions.DEFAULT_MAX_CONNECTIONS))),
              Duration.ofSeconds(Long.parseLong(o.value("--idle-timeout",
                  Long.toString(ServerOptions.DEFAULT_IDLE_TIMEOUT.toSeconds())))))
          .withChannelPort(channel.equals("off") ? ServerOptions.CHANNEL_OFF
              : Integer.parseInt(channel));
      String cert = o.value("--tls-cert", null);
      String key = o.value("--tls-key", null);
      String keystore = o.value("--keystore", null);
      if (cert != null || key != null || keystore != null) {
        String password = System.getenv("QUIVER_KEYSTORE_PASSWORD");
        options = options.withTls(new ServerOptions.Tls(cert == null ? null : Path.of(cert),
            key == null ? null : Path.of(key), keystore == null ? null : Path.of(keystore),
            keystore == null ? null : password == null ? "" : password));
      }
    } catch (IllegalArgumentException e) {
      System.err.print("quiver: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    QuiverServer server;
    FlightSqlServer flightServer = null;
    try {
      server = QuiverServer.start(options, limits, log);
    } catch (IllegalStateException | SQLException | QuiverException e) {
      System.err.println("quiver: " + e.getMessage());
      System.exit(1);
      return;
    }
    String copyDir = o.value("--copy-dir", null);
    if (copyDir != null) {
      System.setProperty(org.quiver.sql.copy.CopyCommand.DIRECTORY_PROPERTY,
          Path.of(copyDir).toAbsolutePath().normalize().toString());
    }
    if (flightPort >= 0) {
      try {
        flightServer = FlightSqlServer.start(options, flightPort);
      } catch (IllegalStateException | SQLException e) {
        server.close();
        System.err.println("quiver: " + e.getMessage());
        System.exit(1);
        return;
      }
    }
    FlightSqlServer flightDoor = flightServer;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Quiver is stopping: no new connections, finishing the statements in flight.");
      System.out.flush();
      // Both doors drain at once: one after the other, each waiting up to 30 s for its calls in
      // flight, the stop could take a minute against the 30 s documented.
      Thread flightStop = flightDoor == null ? null
          : Thread.ofPlatform().name("quiver-flight-stop").start(flightDoor::close);
      try {
        server.close();
      } finally {
        if (flightStop != null) {
          try {
            flightStop.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      stopped.countDown();
      System.out.println("Quiver stopped.");
      System.out.flush();
      // A clean stop on SIGTERM: the JVM would otherwise report 143 (killed by the signal).
      Runtime.getRuntime().halt(0);
    }, "quiver-shutdown"));
    System.out.println("Quiver is serving " + data.toAbsolutePath().normalize());
    System.out.println("  JDBC URL:       " + server.url());
    System.out.println("  stock Avatica:  " + server.avaticaUrl());
    if (server.channelPort() != ServerOptions.CHANNEL_OFF) {
      System.out.println("  channel:        port " + server.channelPort() + " (Quiver's driver; "
          + "HTTP when it cannot reach it)");
    }
    if (flightDoor != null) {
      System.out.println("  Flight SQL:     port " + flightDoor.port() + ", stock driver URL "
          + flightDoor.jdbcUrl(options.host()));
    }
    if (server.authenticated()) {
      System.out.println("  authentication: HTTP BASIC, users in "
          + data.toAbsolutePath().normalize().resolve(UserStore.FILE_NAME)
          + " (JDBC properties user and password)");
    } else {
      System.out.println("  no users: listening on loopback only, without authentication. "
          + "The first user (./quiver user add NAME, or CREATE USER in SQL) turns it on at once, "
          + "and allows --bind to other addresses after a restart.");
    }
    System.out.println("Stop with Ctrl-C (SIGTERM).");
    System.out.flush();
    stopped.await();
  }

  private static int console(Options o) throws IOException, SQLException {
    String url = o.value("--url", null);
    if (url == null) {
      url = "jdbc:quiver:file:" + Path.of(o.value("--data", "quiver-data")).toAbsolutePath();
    }
    String user = o.value("--user", null);
    String password = "";
    if (user != null) {
      password = readPassword(user);
    }
    ConsoleDriver.install();
    List<String> args = new ArrayList<>(List.of("-d", "org.quiver.jdbc.QuiverDriver",
        "-u", url, "-n", user == null ? "" : user, "-p", password,
        "--isolation=TRANSACTION_NONE", "--verbose=false"));
    if (System.console() == null) {
      // Piped input: sqlline would print zero-width columns without a width, and jline would
      // warn that it cannot open a terminal.
      args.add("--maxWidth=160");
      System.setProperty("org.jline.terminal.dumb", "true");
    }
    String file = o.value("-f", null);
    if (file != null) {
      args.addAll(List.of("-f", file));
    }
    String statement = o.value("-e", null);
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

  /** {@code --name value} pairs. */
  record Options(List<String> args) {
    int intValue(String name, int fallback) {
      String v = value(name, null);
      try {
        return v == null ? fallback : Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a whole number, got '" + v + "'");
      }
    }

    String value(String name, String fallback) {
      int i = args.indexOf(name);
      if (i < 0) {
        return fallback;
      }
      if (i + 1 >= args.size()) {
        System.err.print("missing value after " + name + "\n" + USAGE);
        System.exit(2);
      }
      return args.get(i + 1);
    }
  }
}
