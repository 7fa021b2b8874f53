package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's set-up path ({@code ./quiver setup}, which {@code ./quiver test} runs first):
 * it finds the etcd the tests need, and when it cannot, says in one line what to run instead of
 * failing later with a stack trace.
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "quiver").toAbsolutePath().normalize();

  private record Run(int exit, List<String> out, List<String> err) {}

  private static Run setup(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "setup");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out.lines().toList(), err.lines().toList());
  }

  @Test
  void saysInOneLineWhatToRunWhenEtcdIsMissing() throws Exception {
    Run run = setup(Map.of("QUIVER_ETCD", "/nonexistent/etcd"));
    assertEquals(1, run.exit());
    assertEquals(List.of(), run.out());
    assertEquals(List.of("quiver: QUIVER_ETCD=/nonexistent/etcd is not an executable etcd; "
        + "point it at one, or unset it to use /usr/bin/etcd"), run.err());
  }

  @Test
  void usesTheEtcdItIsGiven(@TempDir Path dir) throws Exception {
    Path etcd = dir.resolve("etcd");
    Files.writeString(etcd, "#!/bin/sh\nexit 0\n");
    etcd.toFile().setExecutable(true);
    Run run = setup(Map.of("QUIVER_ETCD", etcd.toString()));
    assertEquals(0, run.exit(), run.err().toString());
    assertEquals(List.of("quiver: etcd at " + etcd), run.out());
  }
}
