package org.quiver.storage.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.quiver.storage.FileTrees;

/**
 * A single-member etcd server in a child process on loopback, with random ports and a temporary
 * data directory, for tests and benchmarks; {@link #close} kills it and removes the directory.
 *
 * <p>The binary is {@code /usr/bin/etcd} (Debian's etcd-server package) unless the system property
 * {@code quiver.etcd} names another.
 */
public final class LocalEtcd implements AutoCloseable {
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final String endpoint;

  private LocalEtcd(Process process, Path dataDir, Path log, String endpoint) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.endpoint = endpoint;
  }

  /** The etcd binary to run. */
  public static Path binary() {
    return Path.of(System.getProperty("quiver.etcd", DEFAULT_BINARY.toString()));
  }

  /**
   * Starts etcd and waits until it reports healthy.
   *
   * @throws IllegalStateException if the binary is missing (with how to install it) or etcd does
   *     not become healthy
   */
  public static LocalEtcd start() {
    Path binary = binary();
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "etcd not found at " + binary + ": run ./quiver setup (it installs Debian's"
              + " etcd-server package), or set -Dquiver.etcd=<path>");
    }
    try {
      Path dataDir = Files.createTempDirectory("quiver-etcd-");
      Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
      int clientPort = freePort();
      int peerPort = freePort();
      String endpoint = "http://127.0.0.1:" + clientPort;
      String peer = "http://127.0.0.1:" + peerPort;
      List<String> command =
          List.of(
              binary.toString(),
              "--name", "quiver-test",
              "--data-dir", dataDir.resolve("data").toString(),
              "--listen-client-urls", endpoint,
              "--advertise-client-urls", endpoint,
              "--listen-peer-urls", peer,
              "--initial-advertise-peer-urls", peer,
              "--initial-cluster", "quiver-test=" + peer,
              "--heartbeat-interval", "10",
              "--election-timeout", "100",
              "--max-txn-ops", "10000");
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      LocalEtcd etcd = new LocalEtcd(process, dataDir, log, endpoint);
      try {
        etcd.awaitHealthy();
      } catch (RuntimeException e) {
        etcd.close();
        throw e;
      }
      return etcd;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd " + binary, e);
    }
  }

  /** The client URL, such as {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return endpoint;
  }

  private void awaitHealthy() throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint + "/health")).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "etcd exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd", e);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for etcd", e);
      }
    }
    throw new IllegalStateException(
        "etcd did not become healthy within " + START_TIMEOUT + ":\n" + Files.readString(log));
  }

  /** Kills etcd and deletes its data directory and log. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    FileTrees.deleteRecursively(dataDir);
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove etcd log " + log, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
