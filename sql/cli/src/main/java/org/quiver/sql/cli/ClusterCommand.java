package org.quiver.sql.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.quiver.engine.api.EngineHost;
import org.quiver.services.EtcdServer;
import org.quiver.services.KafkaBroker;
import org.quiver.services.S3Server;
import org.quiver.services.ServiceProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quiver cluster up|status|down}: a development cluster on this machine, on loopback: a
 * real etcd for the catalog, a real Kafka broker (KRaft) for the log, S3Proxy as the S3 endpoint,
 * and Quiver on them. Everything lives under one folder ({@code --data}, default {@code
 * quiver-cluster}): each service's data and log, and {@code cluster.properties}, which records the
 * ports (kept from one {@code up} to the next) and the running processes.
 *
 * <p>With query nodes ({@code --query-nodes N}, default 1) Quiver runs as a cluster: a
 * coordinator (with its data node), N query nodes and {@code --proxies M} proxies (default 1),
 * the first proxy on the printed ports; with {@code --query-nodes 0}, every role in one Quiver
 * process. Either way Quiver keeps its catalog in etcd, its log on Kafka and its segment files in
 * S3 (its folders hold only caches of them). The S3 credentials are made up at the first {@code up} and kept in
 * {@code cluster.properties}; they reach Quiver on its command line, which other users of this
 * machine can read: this is a cluster for development on a machine of one's own.
 */
@Command(name = "cluster", description = "A development cluster on this machine: etcd, Kafka, "
    + "an S3 endpoint and Quiver on them.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class,
        ClusterCommand.Down.class})
final class ClusterCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    return Main.usageError(spec);
  }

  /** The folder option shared by the sub-commands. */
  static final class Folder {
    @Option(names = "--data", paramLabel = "DIR",
        description = "the folder that holds every service's data and logs")
    Path dir = Path.of("quiver-cluster");
  }

  /**
   * A process of the cluster, by the key its port, pid and log are recorded under: the three
   * services, Quiver (standalone, or the coordinator when there are query nodes), each query node
   * and each proxy.
   */
  record Service(String key) {
    static final Service ETCD = new Service("etcd");
    static final Service KAFKA = new Service("kafka");
    static final Service S3 = new Service("s3");
    static final Service QUIVER = new Service("quiver");

    static Service queryNode(int number) {
      return new Service("querynode" + number);
    }

    static Service proxy(int number) {
      return new Service("proxy" + number);
    }
  }

  /** What {@code cluster.properties} holds: ports, the S3 credentials, and the running pids. */
  static final class State {
    static final String FILE = "cluster.properties";
    final Path dir;
    final Properties values = new Properties();

    State(Path dir) {
      this.dir = dir.toAbsolutePath().normalize();
    }

    static State read(Path dir) {
      State state = new State(dir);
      Path file = state.dir.resolve(FILE);
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          state.values.load(in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
      }
      return state;
    }

    void write() {
      Path file = dir.resolve(FILE);
      try {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(file)) {
          values.store(out, "Quiver's development cluster: ports, credentials, running processes");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }

    /** The port recorded under {@code key}, or a free one recorded now. */
    int port(String key) {
      String known = values.getProperty(key + ".port");
      if (known != null) {
        return Integer.parseInt(known);
      }
      int port = ServiceProcess.freePort();
      values.setProperty(key + ".port", Integer.toString(port));
      return port;
    }

    /** The value recorded under {@code key}, or {@code fallback} recorded now. */
    String remembered(String key, String fallback) {
      String known = values.getProperty(key);
      if (known == null) {
        values.setProperty(key, fallback);
        return fallback;
      }
      return known;
    }

    /**
     * The environment that gives Quiver's processes the cluster's token, made up at the first
     * {@code up} and kept here: the proxies, the coordinator and the query nodes take calls only
     * from one another.
     */
    Map<String, String> clusterToken() {
      return Map.of(EngineHost.CLUSTER_TOKEN_ENVIRONMENT,
          remembered("cluster.token", java.util.UUID.randomUUID().toString()));
    }

    void started(Service service, long pid) {
      values.setProperty(service.key() + ".pid", Long.toString(pid));
    }

    /** The service's process, if it was recorded and still runs as a process of this cluster. */
    Optional<ProcessHandle> running(Service service) {
      String pid = values.getProperty(service.key() + ".pid");
      if (pid == null) {
        return Optional.empty();
      }
      // A recorded pid may since belong to another process: only one whose command line names
      // this cluster's folder counts.
      return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().arguments()
              .map(args -> String.join(" ", args).contains(dir.toString())).orElse(false));
    }

    /** How many query nodes the cluster runs (0: its roles in one Quiver process). */
    int queryNodes() {
      return Integer.parseInt(values.getProperty("querynodes", "0"));
    }

    /** How many proxies the cluster runs in front of its coordinator (none without one). */
    int proxies() {
      return queryNodes() == 0 ? 0 : Integer.parseInt(values.getProperty("proxies", "1"));
    }

    /**
     * Every process of the cluster in the order they start (and, reversed, stop), with the query
     * nodes and proxies a former {@code up} with more of them recorded, so that {@code down}
     * stops them too.
     */
    List<Service> services() {
      List<Service> all = new ArrayList<>(
          List.of(Service.ETCD, Service.KAFKA, Service.S3, Service.QUIVER));
      for (int i = 1; i <= Math.max(queryNodes(), recorded("querynode")); i++) {
        all.add(Service.queryNode(i));
      }
      for (int i = 1; i <= Math.max(proxies(), recorded("proxy")); i++) {
        all.add(Service.proxy(i));
      }
      return all;
    }

    /** The highest number of a {@code kind} process with a recorded pid (0: none). */
    private int recorded(String kind) {
      return values.stringPropertyNames().stream()
          .filter(k -> k.matches(kind + "\\d+\\.pid"))
          .mapToInt(k -> Integer.parseInt(k.substring(kind.length(), k.indexOf('.'))))
          .max().orElse(0);
    }

    Path logOf(Service service) {
      return dir.resolve("logs").resolve(service.key() + ".log");
    }
  }

  @Command(name = "up", description = "Starts the cluster (or what of it is not running) and "
      + "prints where to connect.")
  static final class Up implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private Folder folder;

    @Option(names = "--port", paramLabel = "N",
        description = "Quiver's Avatica (HTTP) port (default 8765), the first proxy's in a "
        + "cluster; kept for the next up, as the other ports, chosen once, are")
    private Integer port;

    @Option(names = "--proxies", paramLabel = "N",
        description = "how many proxies (SQL doors) to run in front of the coordinator (default "
        + "1; needs query nodes); kept for the next up")
    private Integer proxies;

    @Option(names = "--query-nodes", paramLabel = "N",
        description = "how many query nodes to run beside the coordinator (default 1; 0 runs "
        + "every role in one Quiver process); kept for the next up")
    private Integer queryNodes;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (queryNodes != null && queryNodes < 0) {
        throw new ParameterException(spec.commandLine(),
            "--query-nodes must be 0 or more, got " + queryNodes);
      }
      if (proxies != null && (proxies < 1 || (queryNodes != null && queryNodes == 0))) {
        throw new ParameterException(spec.commandLine(), "--proxies must be 1 or more, in front"
            + " of a coordinator with query nodes, got " + proxies);
      }
      State state = State.read(folder.dir);
      List<ServiceProcess> startedNow = new ArrayList<>();
      try {
        state.values.setProperty("querynodes", Integer.toString(queryNodes != null ? queryNodes
            : Integer.parseInt(state.values.getProperty("querynodes", "1"))));
        if (proxies != null) {
          state.values.setProperty("proxies", Integer.toString(proxies));
        }
        if (state.services().stream().allMatch(p -> state.running(p).isPresent())) {
          out.println("The cluster in " + state.dir + " is already up.");
          printStatus(state, out);
          return 0;
        }
        String etcd = startEtcd(state, startedNow);
        String kafka = startKafka(state, startedNow);
        String segments = startS3(state, startedNow);
        List<String> services = List.of(
            "--catalog", etcd.replace("http://", "etcd://") + "/quiver/",
            "--log", "kafka://" + kafka + "/quiver?replication=1", "--segments", segments);
        startQuiver(state, startedNow, services);
        for (int i = 1; i <= state.queryNodes(); i++) {
          startQueryNode(state, startedNow, i, services);
        }
        for (int i = 1; i <= state.proxies(); i++) {
          startProxy(state, startedNow, i, services.get(1));
        }
        state.write();
      } catch (RuntimeException e) {
        for (ServiceProcess p : startedNow.reversed()) {
          p.stop(Duration.ofSeconds(10));
        }
        spec.commandLine().getErr().println("quiver: the cluster did not come up: "
            + e.getMessage());
        return 1;
      }
      out.println("Quiver's cluster is up in " + state.dir + (state.queryNodes() == 0
          ? " (every role in one Quiver process)."
          : " (a coordinator with its data node, " + state.queryNodes() + " query node"
              + (state.queryNodes() == 1 ? "" : "s") + " and " + state.proxies() + " prox"
              + (state.proxies() == 1 ? "y" : "ies") + ")."));
      printStatus(state, out);
      out.println("Stop it with: ./quiver cluster down --data " + folder.dir);
      out.flush();
      return 0;
    }

    private String startEtcd(State state, List<ServiceProcess> started) {
      String endpoint = "http://127.0.0.1:" + state.port("etcd");
      if (state.running(Service.ETCD).isEmpty()) {
        EtcdServer etcd = EtcdServer.start(EtcdServer.binary(), state.dir.resolve("etcd"),
            state.logOf(Service.ETCD), state.port("etcd"), state.port("etcd.peer"), false, true);
        started.add(etcd.process());
        state.started(Service.ETCD, etcd.process().pid());
      }
      return endpoint;
    }

    private String startKafka(State state, List<ServiceProcess> started) {
      String bootstrap = "127.0.0.1:" + state.port("kafka");
      if (state.running(Service.KAFKA).isEmpty()) {
        KafkaBroker kafka = KafkaBroker.start(System.getProperty("java.class.path"),
            state.dir.resolve("kafka"), state.logOf(Service.KAFKA), state.port("kafka"),
            state.port("kafka.controller"), false, true);
        started.add(kafka.process());
        state.started(Service.KAFKA, kafka.process().pid());
      }
      return bootstrap;
    }

    /** Starts S3Proxy; returns the segments' location on it, credentials included. */
    private String startS3(State state, List<ServiceProcess> started) {
      String access = state.remembered("s3.accessKey", "quiver");
      String secret = state.remembered("s3.secretKey", java.util.UUID.randomUUID().toString());
      if (state.running(Service.S3).isEmpty()) {
        S3Server s3 = S3Server.start(s3ProxyJar(), state.dir.resolve("s3"),
            state.logOf(Service.S3), state.port("s3"), access, secret, true);
        s3.createBucket("quiver");
        started.add(s3.process());
        state.started(Service.S3, s3.process().pid());
      }
      return "s3://quiver/segments/?endpoint=http://127.0.0.1:" + state.port("s3")
          + "&region=us-east-1&pathStyle=true&accessKey=" + access + "&secretKey=" + secret;
    }

    /** The Avatica port clients use: Quiver's alone, or the first proxy's in a cluster. */
    private int clientPort(State state) {
      int avatica = port != null ? port
          : Integer.parseInt(state.values.getProperty("quiver.port", "8765"));
      state.values.setProperty("quiver.port", Integer.toString(avatica));
      return avatica;
    }

    /**
     * Quiver alone on the client ports, or, with query nodes, the coordinator: SQL doors of its
     * own on a port of its own (no Flight SQL), its engine served to proxies.
     */
    private void startQuiver(State state, List<ServiceProcess> started, List<String> services) {
      int avatica = clientPort(state);
      if (state.running(Service.QUIVER).isPresent()) {
        return;
      }
      List<String> command = serveCommand(state);
      command.addAll(List.of("--data", state.dir.resolve("quiver").toString(), "--channel-port",
          "off"));
      int ready;
      if (state.queryNodes() > 0) {
        ready = state.port("engine");
        command.addAll(List.of("--role", "coordinator", "--port",
            Integer.toString(state.port("coordinator")), "--flight-port", "off",
            "--engine-port", Integer.toString(ready)));
      } else {
        ready = avatica;
        command.addAll(List.of("--port", Integer.toString(avatica), "--flight-port",
            Integer.toString(state.port("flight"))));
      }
      command.addAll(services);
      ServiceProcess quiver = ServiceProcess.start("Quiver", command, state.logOf(Service.QUIVER),
          true, state.clusterToken());
      started.add(quiver);
      quiver.awaitReady(ServiceProcess.START_TIMEOUT, () -> ServiceProcess.accepts(ready));
      state.started(Service.QUIVER, quiver.pid());
    }

    /**
     * A proxy of the coordinator it finds in the {@code catalog} store: the first on the client
     * ports (Avatica and Flight SQL), the others on Avatica ports of their own.
     */
    private void startProxy(State state, List<ServiceProcess> started, int number,
        String catalog) {
      Service proxy = Service.proxy(number);
      int avatica = number == 1 ? clientPort(state) : state.port(proxy.key());
      if (state.running(proxy).isPresent()) {
        return;
      }
      List<String> command = serveCommand(state);
      command.addAll(List.of("--role", "proxy", "--coordinator", catalog, "--data", state.dir.resolve(proxy.key()).toString(),
          "--port", Integer.toString(avatica), "--channel-port", "off", "--flight-port",
          number == 1 ? Integer.toString(state.port("flight")) : "off"));
      ServiceProcess process = ServiceProcess.start("Quiver " + proxy.key(), command,
          state.logOf(proxy), true, state.clusterToken());
      started.add(process);
      process.awaitReady(ServiceProcess.START_TIMEOUT, () -> ServiceProcess.accepts(avatica));
      state.started(proxy, process.pid());
    }

    private void startQueryNode(State state, List<ServiceProcess> started, int number,
        List<String> services) {
      Service node = Service.queryNode(number);
      if (state.running(node).isPresent()) {
        return;
      }
      int nodePort = state.port(node.key());
      List<String> command = serveCommand(state);
      command.addAll(List.of("--role", "querynode", "--node-id", node.key(), "--data",
          state.dir.resolve(node.key()).toString(), "--port", Integer.toString(nodePort)));
      command.addAll(services);
      ServiceProcess process = ServiceProcess.start("Quiver " + node.key(), command,
          state.logOf(node), true, state.clusterToken());
      started.add(process);
      process.awaitReady(ServiceProcess.START_TIMEOUT, () -> ServiceProcess.accepts(nodePort));
      state.started(node, process.pid());
    }

    /** {@code java ... Main serve}: this JVM's flags and class path, for a Quiver process. */
    private static List<String> serveCommand(State state) {
      List<String> command = new ArrayList<>();
      command.add(ServiceProcess.javaBinary());
      // The flags this JVM was started with are the ones the engine needs (the launcher's).
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      // An argument file keeps the long class path off the command line, whose first 4 KiB are
      // all that ProcessHandle shows of it (status and down find the process by its folder).
      Path classPath = state.dir.resolve("quiver.classpath");
      try {
        Files.writeString(classPath, "-cp \"" + System.getProperty("java.class.path")
            .replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + classPath, e);
      }
      command.addAll(List.of("@" + classPath, Main.class.getName(), "serve"));
      return command;
    }

    /**
     * S3Proxy's jar: the one {@link S3Server#JAR_PROPERTY} names, else the one the command line's
     * build copies beside its jar ({@code target/services/s3proxy.jar}).
     */
    private static Path s3ProxyJar() {
      if (System.getProperty(S3Server.JAR_PROPERTY) == null) {
        try {
          Path here = Path.of(ClusterCommand.class.getProtectionDomain().getCodeSource()
              .getLocation().toURI());
          Path beside = here.getParent().resolve("services").resolve("s3proxy.jar");
          if (Files.isRegularFile(beside)) {
            return beside;
          }
        } catch (URISyntaxException | RuntimeException e) {
          // Reported by S3Server.jar below.
        }
      }
      return S3Server.jar();
    }
  }

  @Command(name = "status", description = "Says which of the cluster's services run, and where.")
  static final class Status implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private Folder folder;

    @Override
    public Integer call() {
      State state = State.read(folder.dir);
      PrintWriter out = spec.commandLine().getOut();
      printStatus(state, out);
      out.flush();
      return state.running(Service.QUIVER).isPresent() ? 0 : 3;
    }
  }

  @Command(name = "down", description = "Stops every service of the cluster; the data stays.")
  static final class Down implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private Folder folder;

    @Override
    public Integer call() {
      State state = State.read(folder.dir);
      PrintWriter out = spec.commandLine().getOut();
      for (Service service : state.services().reversed()) {
        Optional<ProcessHandle> process = state.running(service);
        if (process.isEmpty()) {
          continue;
        }
        ProcessHandle p = process.get();
        p.destroy();
        try {
          p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception slow) {
          p.destroyForcibly();
        }
        out.println("stopped " + service.key() + " (pid " + p.pid() + ")");
        state.values.remove(service.key() + ".pid");
      }
      state.write();
      out.println("The cluster in " + state.dir + " is down; its data stays there.");
      out.flush();
      return 0;
    }
  }

  static void printStatus(State state, PrintWriter out) {
    Properties v = state.values;
    line(out, state, Service.ETCD, "etcd", "http://127.0.0.1:" + v.getProperty("etcd.port"));
    line(out, state, Service.KAFKA, "Kafka", "127.0.0.1:" + v.getProperty("kafka.port"));
    line(out, state, Service.S3, "S3", "http://127.0.0.1:" + v.getProperty("s3.port")
        + " (bucket quiver, access key " + v.getProperty("s3.accessKey") + ", secret key in "
        + state.dir.resolve(State.FILE) + ")");
    String port = v.getProperty("quiver.port");
    if (state.queryNodes() == 0) {
      line(out, state, Service.QUIVER, "Quiver", "jdbc:quiver:remote:http://127.0.0.1:" + port);
    } else {
      line(out, state, Service.QUIVER, "Coordinator", "127.0.0.1:" + v.getProperty("engine.port")
          + " for proxies, jdbc:quiver:remote:http://127.0.0.1:"
          + v.getProperty("coordinator.port"));
    }
    for (int i = 1; i <= state.queryNodes(); i++) {
      Service node = Service.queryNode(i);
      line(out, state, node, "Query node " + i,
          "127.0.0.1:" + v.getProperty(node.key() + ".port"));
    }
    for (int i = 1; i <= state.proxies(); i++) {
      Service proxy = Service.proxy(i);
      line(out, state, proxy, "Proxy " + i, "jdbc:quiver:remote:http://127.0.0.1:"
          + (i == 1 ? port : v.getProperty(proxy.key() + ".port")));
    }
    out.println("  stock Avatica:  jdbc:avatica:remote:url=http://127.0.0.1:" + port
        + ";serialization=protobuf");
    out.println("  Flight SQL:     grpc+tcp://127.0.0.1:" + v.getProperty("flight.port"));
    out.println("  logs:           " + state.dir.resolve("logs"));
  }

  private static void line(PrintWriter out, State state, Service service, String name,
      String where) {
    String running = state.running(service).map(p -> "running, pid " + p.pid()).orElse("stopped");
    out.printf("  %-15s %s (%s)%n", name + ":", where, running);
  }
}
