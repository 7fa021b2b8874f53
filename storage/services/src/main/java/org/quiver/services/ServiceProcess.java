package org.quiver.services;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service running as a child process: its output (standard output and error) appended to a
 * file, its input empty, so that it keeps running when the process that started it exits.
 */
public final class ServiceProcess {
  /** How long a service may take to answer after it starts. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /** Whether a service is ready yet; an exception counts as not yet. */
  @FunctionalInterface
  public interface Readiness {
    boolean ready() throws Exception;
  }

  private final String name;
  private final List<String> command;
  private final Path output;
  private final boolean detached;
  /** Variables added to the inherited environment: secrets that must stay off command lines. */
  private final Map<String, String> environment;
  private volatile Process process;

  private ServiceProcess(String name, List<String> command, Path output, boolean detached,
      Map<String, String> environment) {
    this.name = name;
    this.command = List.copyOf(command);
    this.output = output;
    this.detached = detached;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Starts {@code command}, its output appended to {@code output}.
   *
   * @param detached in a session of its own ({@code setsid}, where the system has it), so that a
   *     signal to the starter's terminal does not reach it: for services that outlive the command
   *     that started them
   */
  public static ServiceProcess start(String name, List<String> command, Path output,
      boolean detached) {
    return start(name, command, output, detached, Map.of());
  }

  /**
   * As above, with {@code environment} added to the inherited one (for a secret: a command line
   * is readable by every user of the machine, a process's environment only by its owner).
   */
  public static ServiceProcess start(String name, List<String> command, Path output,
      boolean detached, Map<String, String> environment) {
    ServiceProcess service = new ServiceProcess(name, command, output, detached, environment);
    service.launch();
    return service;
  }

  private void launch() {
    List<String> line = new ArrayList<>();
    if (detached && Files.isExecutable(SETSID)) {
      line.add(SETSID.toString());
    }
    line.addAll(command);
    try {
      Files.createDirectories(output.toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(line);
      builder.environment().putAll(environment);
      process = builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", line), e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where the service's output goes. */
  public Path output() {
    return output;
  }

  /**
   * Waits until {@code readiness} says the service answers.
   *
   * @throws IllegalStateException with the end of the service's output if it exits first or does
   *     not answer within {@code timeout}
   */
  public void awaitReady(Duration timeout, Readiness readiness) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (readiness.ready()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      } catch (Exception notYet) {
        // Not answering yet.
      }
      sleep(50);
    }
    throw new IllegalStateException(name + " did not answer within " + timeout + ":\n" + tail());
  }

  /** Kills the service at once, as a crash would, and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    await(Duration.ofSeconds(30));
  }

  /** Asks the service to stop (SIGTERM), and kills it if it still runs after {@code grace}. */
  public void stop(Duration grace) {
    process.destroy();
    if (!await(grace)) {
      kill();
    }
  }

  /** Starts the same command again, as after a crash (kills the running one first). */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  private boolean await(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    }
  }

  /** The last 8,000 characters of the service's output, for error messages. */
  public String tail() {
    try {
      String text = Files.readString(output);
      return text.substring(Math.max(0, text.length() - 8_000));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** This JVM's {@code java} binary, which services that run on the JVM run on too. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** A TCP port free on this machine at the time of the call. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  /** Whether something accepts TCP connections on {@code 127.0.0.1:port}. */
  public static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
