package org.quiver.services;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single-member etcd on loopback, from the etcd binary (Debian's etcd-server package, or the
 * one {@link #binary} names), waited for until {@code /health} says it is healthy.
 */
public final class EtcdServer {
  /** Where Debian's etcd-server package puts the binary. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");

  private final ServiceProcess process;
  private final String endpoint;

  private EtcdServer(ServiceProcess process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /**
   * The etcd binary: the system property {@code quiver.etcd}, else the environment variable
   * {@code QUIVER_ETCD}, else {@code etcd} on the {@code PATH}, else {@link #DEFAULT_BINARY}.
   */
  public static Path binary() {
    String named = System.getProperty("quiver.etcd", System.getenv("QUIVER_ETCD"));
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "etcd");
        if (!dir.isEmpty() && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return DEFAULT_BINARY;
  }

  /**
   * Starts etcd on {@code 127.0.0.1}, keeping its data in {@code dataDir}, and waits until it is
   * healthy.
   *
   * @param quick a short heartbeat and election timeout, for tests on one machine
   * @throws IllegalStateException if the binary is missing (saying how to install it) or etcd
   *     does not become healthy
   */
  public static EtcdServer start(Path binary, Path dataDir, Path output, int clientPort,
      int peerPort, boolean quick, boolean detached) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("etcd not found at " + binary + ": run ./quiver setup (it"
          + " installs Debian's etcd-server package), or set QUIVER_ETCD to an etcd binary");
    }
    String endpoint = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new java.util.ArrayList<>(List.of(
        binary.toString(),
        "--name", "quiver",
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", endpoint,
        "--advertise-client-urls", endpoint,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "quiver=" + peer,
        // A transaction of the catalog may hold many keys (a DDL with its segments).
        "--max-txn-ops", "10000"));
    if (quick) {
      command.addAll(List.of("--heartbeat-interval", "10", "--election-timeout", "100"));
    }
    EtcdServer etcd = new EtcdServer(
        ServiceProcess.start("etcd", command, output, detached), endpoint);
    try {
      etcd.awaitHealthy();
    } catch (RuntimeException e) {
      etcd.process.kill();
      throw e;
    }
    return etcd;
  }

  /** Waits until etcd says it is healthy (after a start or a restart). */
  public void awaitHealthy() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    process.awaitReady(ServiceProcess.START_TIMEOUT, () -> {
      HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
    });
  }

  /** The client URL, such as {@code http://127.0.0.1:2379}. */
  public String endpoint() {
    return endpoint;
  }

  public ServiceProcess process() {
    return process;
  }
}
