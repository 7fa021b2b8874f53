package org.quiver.sql.cli;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quiver.engine.api.EngineHost;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.copy.CopyCommand;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.jdbc.EngineRegistry;
import org.quiver.sql.server.EventLog;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerLimits;
import org.quiver.sql.server.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quiver serve}: runs the server (Avatica over HTTP, Quiver's channel and Arrow Flight SQL)
 * until SIGTERM; see docs/server.md.
 */
@Command(name = "serve", description = "Starts the server on a data directory and runs it until "
    + "Ctrl-C (SIGTERM); see docs/server.md.")
final class ServeCommand implements Callable<Integer> {
  /** What {@code --flight-port} and {@code --channel-port} hold for {@code off}. */
  static final int OFF = ServerOptions.CHANNEL_OFF;

  @Spec
  private CommandSpec spec;

  @Mixin
  private DataDirectoryOption data;

  /** Which part of Quiver this process runs (see docs/cluster.md). */
  enum Role {
    /** Every role in this process, on the data folder or on shared services. */
    standalone,
    /**
     * The coordinator of a cluster, with its data node in this process for now; searches and
     * reads go to the query nodes that register in the catalog store, and its engine is served
     * to proxies on {@code --engine-port}. It runs SQL doors of its own too.
     */
    coordinator,
    /**
     * A cluster's proxy: the SQL doors, parsing and planning here, every engine call sent to the
     * coordinator at {@code --coordinator} over Arrow Flight.
     */
    proxy,
    /** A cluster's query node, serving the coordinator over Arrow Flight on {@code --port}. */
    querynode
  }

  /** The options of the SQL doors and the engine's writes, which a query node refuses. */
  private static final List<String> SQL_DOOR_OPTIONS = List.of("--channel-port", "--flight-port",
      "--tls-cert", "--tls-key", "--keystore", "--max-connections", "--idle-timeout",
      "--max-sessions", "--max-statements-per-connection", "--max-rows-per-frame",
      "--slow-query-ms", "--copy-dir", "--retention");

  /** The options of the engine itself, which a proxy takes from its coordinator. */
  private static final List<String> ENGINE_OPTIONS = List.of("--catalog", "--log", "--segments",
      "--retention", "--engine-port");

  /** The coordinator's port for proxies' engine calls, by default: {@value}. */
  static final int DEFAULT_ENGINE_PORT = 8767;

  @Option(names = "--role", paramLabel = "standalone|coordinator|proxy|querynode",
      defaultValue = "standalone", description = "which part of Quiver this process runs: all of "
      + "it (standalone, the default), a cluster's coordinator (with its data node), a proxy (the "
      + "SQL doors, calling the coordinator's engine), or a query node (the coordinator and query "
      + "nodes need --catalog, --log and --segments; a proxy needs --coordinator)")
  private Role role = Role.standalone;

  @Option(names = "--coordinator", paramLabel = "HOST:PORT|CATALOG",
      description = "a proxy's coordinator: where its --engine-port listens, or the cluster's "
      + "catalog store (etcd://host:2379/ROOT/), where the coordinator registers it")
  private String coordinator;

  @Option(names = "--engine-port", paramLabel = "N",
      description = "the coordinator's port for proxies (default 8767)")
  private int enginePort = DEFAULT_ENGINE_PORT;

  @Option(names = "--node-id", paramLabel = "ID",
      description = "a query node's name in the cluster (default: made up at its first start and "
      + "kept in its data folder)")
  private String nodeId;

  @Option(names = "--port", paramLabel = "N",
      description = "the Avatica (HTTP) port; a query node's Flight port for the coordinator")
  private int port = ServerOptions.DEFAULT_PORT;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "the address to listen on; "
      + "other than loopback only once the data directory has users")
  private String bind = "127.0.0.1";

  @Option(names = "--channel-port", paramLabel = "N|off", converter = PortOrOff.class,
      description = "Quiver's driver's own transport")
  private int channelPort = ServerOptions.DEFAULT_CHANNEL_PORT;

  @Option(names = "--flight-port", paramLabel = "N|off", converter = PortOrOff.class,
      description = "Arrow Flight SQL on its own port")
  private int flightPort = FlightSqlServer.DEFAULT_PORT;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (with "
      + "--tls-key)")
  private Path tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (with "
      + "--tls-cert)")
  private Path tlsKey;

  @Option(names = "--keystore", paramLabel = "FILE", description = "TLS from a PKCS#12 keystore "
      + "instead of PEM files; its password from QUIVER_KEYSTORE_PASSWORD")
  private Path keystore;

  @Option(names = "--max-connections", paramLabel = "N", description = "open HTTP connections")
  private int maxConnections = ServerOptions.DEFAULT_MAX_CONNECTIONS;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS",
      description = "closes a connection idle this long")
  private long idleTimeoutSeconds = ServerOptions.DEFAULT_IDLE_TIMEOUT.toSeconds();

  @Option(names = "--max-sessions", paramLabel = "N", description = "open JDBC connections")
  private int maxSessions = ServerLimits.DEFAULT.maxSessions();

  @Option(names = "--max-statements-per-connection", paramLabel = "N",
      description = "open statements per JDBC connection")
  private int maxStatementsPerConnection = ServerLimits.DEFAULT.maxStatementsPerConnection();

  @Option(names = "--max-rows-per-frame", paramLabel = "N",
      description = "rows per result frame sent to a client")
  private int maxRowsPerFrame = ServerLimits.DEFAULT.maxRowsPerFrame();

  @Option(names = "--log-format", paramLabel = "text|json", converter = LogFormat.Converter.class,
      defaultValue = "text", description = "the event log on stderr")
  private LogFormat logFormat = LogFormat.TEXT;

  @Option(names = "--slow-query-ms", paramLabel = "N",
      description = "logs statements slower than this")
  private int slowQueryMillis = (int) EventLog.DEFAULT_SLOW_QUERY.toMillis();

  @Option(names = "--copy-dir", paramLabel = "DIR",
      description = "remote clients may COPY files under DIR")
  private Path copyDirectory;

  @Option(names = "--retention", paramLabel = "DURATION", converter = RetentionWindow.class,
      description = "how far back FOR SYSTEM_TIME AS OF reads, and so how long the log keeps what "
      + "is already in segments: a whole number with ms, s, m, h or d (30m, 1h, 0s)")
  private Duration retention = Duration.ofMillis(QuiverConfig.DEFAULT_RETENTION_MS);

  @Option(names = "--catalog", paramLabel = "URI",
      description = "keep the catalog in a shared store instead of the data folder: "
      + "etcd://host:2379[,host:2379...]/ROOT")
  private URI catalog;

  @Option(names = "--log", paramLabel = "URI",
      description = "keep the write-ahead log in a shared service instead of the data folder: "
      + "kafka://host:9092[,host:9092...]/PREFIX")
  private URI logLocation;

  @Option(names = "--segments", paramLabel = "URI",
      description = "keep segment and index files in an object store, the data folder holding a "
      + "cache of them: s3://BUCKET/PREFIX?endpoint=URL&region=REGION&pathStyle=true (credentials "
      + "from accessKey= and secretKey=, or the AWS environment)")
  private URI segmentStore;

  @Override
  public Integer call() throws InterruptedException {
    if (role == Role.proxy) {
      List<String> engineOnly = ENGINE_OPTIONS.stream()
          .filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
      if (!engineOnly.isEmpty()) {
        throw new ParameterException(spec.commandLine(), String.join(", ", engineOnly)
            + (engineOnly.size() == 1 ? " sets" : " set") + " the engine, which a proxy takes"
            + " from its coordinator");
      }
      if (coordinator == null) {
        throw new ParameterException(spec.commandLine(), "a proxy needs --coordinator HOST:PORT"
            + " (the coordinator's --engine-port) or --coordinator etcd://host:2379/ROOT/ (the"
            + " cluster's catalog store)");
      }
    } else if (coordinator != null) {
      throw new ParameterException(spec.commandLine(), "--coordinator names a proxy's "
          + "coordinator; it needs --role proxy");
    }
    if (role != Role.coordinator
        && spec.commandLine().getParseResult().hasMatchedOption("--engine-port")) {
      throw new ParameterException(spec.commandLine(), "--engine-port is where a coordinator "
          + "serves proxies; it needs --role coordinator");
    }
    if (role == Role.querynode) {
      List<String> doorsOnly = SQL_DOOR_OPTIONS.stream()
          .filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
      if (!doorsOnly.isEmpty()) {
        throw new ParameterException(spec.commandLine(), String.join(", ", doorsOnly)
            + (doorsOnly.size() == 1 ? " sets" : " set") + " the SQL doors, which a query node"
            + " does not run (its --port serves the coordinator)");
      }
      logFormat.apply();
      return QueryNodeRole.run(data.data, nodeId, bind, port, catalog, logLocation, segmentStore);
    }
    if (nodeId != null) {
      throw new ParameterException(spec.commandLine(), "--node-id names a query node; it needs"
          + " --role querynode");
    }
    ServerOptions options;
    try {
      options = ServerOptions.of(data.data, bind, port)
          .withLimits(maxConnections, Duration.ofSeconds(idleTimeoutSeconds))
          .withChannelPort(channelPort)
          .withServices(catalog, logLocation)
          .withSegments(segmentStore);
      if (tlsCertificate != null || tlsKey != null || keystore != null) {
        String password = System.getenv("QUIVER_KEYSTORE_PASSWORD");
        options = options.withTls(new ServerOptions.Tls(tlsCertificate, tlsKey, keystore,
            keystore == null ? null : password == null ? "" : password));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ServerLimits limits = new ServerLimits(maxSessions, maxStatementsPerConnection,
        maxRowsPerFrame);
    logFormat.apply();
    EventLog log = new EventLog(Duration.ofMillis(slowQueryMillis));
    EngineRegistry.Handle engine;
    QuiverServer server;
    try {
      // Opened here with the engine settings of this command; the server shares it.
      engine = EngineRegistry.acquire("file:" + data.data.toAbsolutePath().normalize(),
          config -> role == Role.proxy ? config.withCoordinator(coordinator)
              : config.withRetentionMs(retention.toMillis())
                  .withCatalog(catalog).withLog(logLocation).withSegments(segmentStore)
                  .withRemoteQueryNodes(role == Role.coordinator));
    } catch (IllegalStateException | IllegalArgumentException | QuiverException e) {
      System.err.println("quiver: " + e.getMessage());
      return 1;
    }
    EngineHost engineHost = null;
    if (role == Role.coordinator) {
      try {
        engineHost = EngineHost.serve(engine.engine(), bind, enginePort);
      } catch (QuiverException e) {
        engine.close();
        System.err.println("quiver: " + e.getMessage());
        return 1;
      }
    }
    try {
      server = QuiverServer.start(options, limits, log);
    } catch (IllegalStateException | SQLException | QuiverException e) {
      closeQuietly(engineHost);
      engine.close();
      System.err.println("quiver: " + e.getMessage());
      return 1;
    }
    if (copyDirectory != null) {
      System.setProperty(CopyCommand.DIRECTORY_PROPERTY,
          copyDirectory.toAbsolutePath().normalize().toString());
    }
    FlightSqlServer flightServer;
    try {
      flightServer = flightPort == OFF ? null : FlightSqlServer.start(options, flightPort);
    } catch (IllegalStateException | SQLException e) {
      server.close();
      closeQuietly(engineHost);
      engine.close();
      System.err.println("quiver: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EngineHost served = engineHost;
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> stop(server, flightServer, served, engine, stopped), "quiver-shutdown"));
    printAddresses(options, server, flightServer, engineHost);
    stopped.await();
    return 0;
  }

  private static void closeQuietly(EngineHost host) {
    if (host != null) {
      host.close();
    }
  }

  private static void stop(QuiverServer server, FlightSqlServer flightDoor, EngineHost engineHost,
      EngineRegistry.Handle engine, CountDownLatch stopped) {
    System.out.println(
        "Quiver is stopping: no new connections, finishing the statements in flight.");
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
      // Proxies' calls in flight end before the engine under them closes.
      closeQuietly(engineHost);
      engine.close();
    }
    stopped.countDown();
    System.out.println("Quiver stopped.");
    System.out.flush();
    // A clean stop on SIGTERM: the JVM would otherwise report 143 (killed by the signal).
    Runtime.getRuntime().halt(0);
  }

  private void printAddresses(ServerOptions options, QuiverServer server,
      FlightSqlServer flightDoor, EngineHost engineHost) {
    System.out.println(role == Role.proxy
        ? "Quiver is serving as a proxy of the coordinator at " + coordinator + " (its users and"
            + " COPY files in " + data.data.toAbsolutePath().normalize() + ")"
        : "Quiver is serving " + data.data.toAbsolutePath().normalize());
    if (engineHost != null) {
      System.out.println("  proxies:        --role proxy --coordinator " + engineHost.endpoint());
    }
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
          + data.data.toAbsolutePath().normalize().resolve(UserStore.FILE_NAME)
          + " (JDBC properties user and password)");
    } else {
      System.out.println("  no users: listening on loopback only, without authentication. "
          + "The first user (./quiver user add NAME, or CREATE USER in SQL) turns it on at once, "
          + "and allows --bind to other addresses after a restart.");
    }
    System.out.println("Stop with Ctrl-C (SIGTERM).");
    System.out.flush();
  }

  /** A port number, 0 for any free port, or {@code off}. */
  static final class PortOrOff implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.equals("off")) {
        return OFF;
      }
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // Refused below, with the same message as an out-of-range number.
      }
      throw new CommandLine.TypeConversionException(
          "must be in [0, 65535] or off, got '" + value + "'");
    }
  }

  /**
   * A retention window: a whole number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or
   * {@code d} ({@code 30m}, {@code 1h}, {@code 0s}).
   */
  static final class RetentionWindow implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
      Matcher m = FORM.matcher(value);
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException("must be a whole number with a unit ms,"
            + " s, m, h or d (30m, 1h, 0s), got '" + value + "'");
      }
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
  }
}
