package org.quiver.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A single-node Apache Kafka broker on loopback in KRaft combined mode (the one process is broker
 * and controller), in a JVM of its own on a given class path that holds {@code
 * org.apache.kafka:kafka_2.13}.
 *
 * <p>Starting is two JVMs the first time: {@code kafka.tools.StorageTool format} writes the node's
 * metadata into a new log folder (Kafka 4 refuses an unformatted one), then {@code kafka.Kafka}
 * runs the broker; a folder formatted before is started as it is, with what it holds. Both get a
 * small heap and only the quick compiler (C1), which starts a broker in about two thirds of the
 * time on a busy machine. The broker is waited for until it answers a cluster description.
 */
public final class KafkaBroker {
  private static final String BROKER_MAIN = "kafka.Kafka";
  private static final String FORMAT_MAIN = "kafka.tools.StorageTool";

  private final ServiceProcess process;
  private final String bootstrapServers;

  private KafkaBroker(ServiceProcess process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker whose configuration, log folder ({@code dir/data}) and output live in {@code
   * dir}, formatting the log folder first if it is new, and waits until it answers.
   *
   * @param classPath a class path holding kafka_2.13 and its dependencies
   * @param quick retention checked every half second from the start and a short broker session,
   *     for tests of retention and restarts
   * @throws IllegalStateException if the broker does not come up
   */
  public static KafkaBroker start(String classPath, Path dir, Path output, int brokerPort,
      int controllerPort, boolean quick, boolean detached) {
    String bootstrap = "127.0.0.1:" + brokerPort;
    Path data = dir.resolve("data");
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      Files.writeString(config, serverProperties(data, brokerPort, controllerPort, quick));
      Path classPathArgs = dir.resolve("classpath.args");
      // An argument file keeps a long class path off the command line.
      Files.writeString(classPathArgs, "-cp \"" + escape(classPath) + "\"\n");
      if (!Files.exists(data.resolve("meta.properties"))) {
        format(classPathArgs, dir, config);
      }
      List<String> broker = java(classPathArgs, dir, "-Xmx512m", "-Xms64m",
          "-XX:TieredStopAtLevel=1");
      broker.addAll(List.of(BROKER_MAIN, config.toString()));
      KafkaBroker kafka = new KafkaBroker(
          ServiceProcess.start("Kafka", broker, output, detached), bootstrap);
      try {
        kafka.awaitReady();
      } catch (RuntimeException e) {
        kafka.process.kill();
        throw e;
      }
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka in " + dir, e);
    }
  }

  private static void format(Path classPathArgs, Path dir, Path config) throws IOException {
    List<String> format = java(classPathArgs, dir, "-Xmx128m", "-XX:TieredStopAtLevel=1");
    format.addAll(List.of(FORMAT_MAIN, "format", "-t", clusterId(), "-c", config.toString()));
    Path output = dir.resolve("format.log");
    Process formatting = new ProcessBuilder(format)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    try {
      if (!formatting.waitFor(ServiceProcess.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          || formatting.exitValue() != 0) {
        formatting.destroyForcibly();
        throw new IllegalStateException(
            "formatting Kafka's log folder failed:\n" + Files.readString(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      formatting.destroyForcibly();
      throw new IllegalStateException("interrupted while formatting Kafka's log folder", e);
    }
  }

  /** Waits until the broker answers a cluster description (after a start or a restart). */
  public void awaitReady() {
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100);
    // Listening first, so that the admin client does not log a warning for every refused try.
    int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    process.awaitReady(ServiceProcess.START_TIMEOUT, () -> ServiceProcess.accepts(port));
    try (Admin admin = Admin.create(config)) {
      process.awaitReady(ServiceProcess.START_TIMEOUT, () -> !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(1_000))
          .nodes().get().isEmpty());
    }
  }

  /** The broker's address for {@code bootstrap.servers}, such as {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public ServiceProcess process() {
    return process;
  }

  /** The child's command up to its main class: this JVM's java, the class path, a quiet log. */
  private static List<String> java(Path classPathArgs, Path dir, String... jvmFlags) {
    List<String> command = new ArrayList<>();
    command.add(ServiceProcess.javaBinary());
    command.addAll(List.of(jvmFlags));
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.io.tmpdir=" + dir);
    // When slf4j-simple is the provider on the class path, it writes to the redirected output.
    command.add("-Dorg.slf4j.simpleLogger.logFile=System.out");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("@" + classPathArgs);
    return command;
  }

  private static String serverProperties(Path data, int brokerPort, int controllerPort,
      boolean quick) {
    String broker = "127.0.0.1:" + brokerPort;
    String controller = "127.0.0.1:" + controllerPort;
    List<String> lines = new ArrayList<>(List.of(
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + controller,
        "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
        "advertised.listeners=PLAINTEXT://" + broker,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data.toString().replace("\\", "\\\\"),
        "num.partitions=1",
        "auto.create.topics.enable=false",
        // One node: the internal topics can only have one replica.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // The broker is unfenced (and answers) after a heartbeat to the controller: beat often.
        "broker.heartbeat.interval.ms=200",
        // Few threads: one machine shared with the rest of the cluster.
        "num.network.threads=2",
        "num.io.threads=2",
        "background.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "log.cleaner.enable=false"));
    if (quick) {
      lines.addAll(List.of(
          // A restarted broker cannot register until its killed self's session expires (9 s by
          // default); 3 s still leaves room for a busy machine's pauses.
          "broker.session.timeout.ms=3000",
          // Retention checks every half second from the start (not after the default 30 s), and
          // deleted segments go at once.
          "log.initial.task.delay.ms=0",
          "log.retention.check.interval.ms=500",
          "log.segment.delete.delay.ms=0"));
    }
    lines.add("");
    return String.join("\n", lines);
  }

  /** A random cluster id as Kafka spells one: 16 bytes in URL-safe base64 without padding. */
  private static String clusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      // One that starts with '-' would read as an option on the format command line.
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  /** Quotes a value for a java argument file: backslashes and quotes are escaped. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
