package org.quiver.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program in a child JVM, as a user would from a shell, and collects its output. */
final class ChildJava {
  /** What the program printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  private ChildJava() {}

  /** The JVM flags the engine needs (the launcher's), for children that run the engine. */
  static List<String> engineFlags() {
    List<String> flags = new ArrayList<>();
    for (String flag : System.getProperty("quiver.jvm.flags", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        flags.add(flag);
      }
    }
    return flags;
  }

  /** The class path this test runs with. */
  static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static Result run(Path javaHome, List<String> arguments, String stdin)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.addAll(arguments);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("child JVM did not exit: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
