package org.quiver.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code quiver serve} in a child JVM, as a user runs it, so that tests can kill it with SIGKILL
 * and start it again on the same data directory.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ServerProcess start(Path dataDirectory) throws IOException, InterruptedException {
    return start(dataDirectory, new String[0]);
  }

  /** Starts {@code quiver serve} with {@code extraArguments} after the data and port. */
  static ServerProcess start(Path dataDirectory, String... extraArguments)
      throws IOException, InterruptedException {
    int port = freePort();
    Path log = Files.createTempFile("quiver-server-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("quiver.jvm.flags", "");
    for (String flag : flags.trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.addAll(List.of("org.quiver.sql.cli.Main", "serve", "--data", dataDirectory.toString(),
        "--port", Integer.toString(port)));
    List<String> extra = List.of(extraArguments);
    if (!extra.contains("--flight-port")) {
      // Never the default Flight port: another server on this machine may hold it.
      command.addAll(List.of("--flight-port", "0"));
    }
    if (!extra.contains("--channel-port")) {
      // Nor the default channel port, for the same reason.
      command.addAll(List.of("--channel-port", "0"));
    }
    command.addAll(extra);
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    ServerProcess server = new ServerProcess(p, port, log);
    server.awaitListening();
    return server;
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("server did not listen within 60 s:\n" + Files.readString(log));
  }

  String avaticaUrl() {
    return "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=protobuf";
  }

  String quiverUrl() {
    return "jdbc:quiver:remote:http://127.0.0.1:" + port;
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, and waits for the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  /** Kills the server if it still runs and removes its output file. */
  @Override
  public void close() throws InterruptedException, IOException {
    if (process.isAlive()) {
      kill();
    }
    Files.deleteIfExists(log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
