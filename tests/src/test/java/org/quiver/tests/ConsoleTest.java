package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;

/**
 * {@code quiver console} in a child JVM, as a user runs it: {@code -e} and {@code -f}, vectors
 * abbreviated in tables, timing per statement, exit codes that tell failures, and {@code --user}
 * against a server with users (the password from stdin).
 */
class ConsoleTest {
  private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

  @Test
  void scriptAndStatementEmbedded(@TempDir Path data, @TempDir Path dir) throws Exception {
    Path script = dir.resolve("setup.sql");
    Files.writeString(script, """
        CREATE TABLE items (id BIGINT PRIMARY KEY, title VARCHAR(20), v VECTOR(128), s VECTOR(3));
        INSERT INTO items VALUES (1, 'one', [0.12, -0.5%s], [1, 2, 3]);
        """.formatted(", 0".repeat(126)));
    ChildJava.Result setup = console(null, "--data", data.toString(), "-f", script.toString());
    assertEquals(0, setup.exitCode(), setup.output());
    assertTrue(setup.output().contains("1 row affected ("), setup.output());

    ChildJava.Result select = console(null, "--data", data.toString(), "-e",
        "SELECT id, title, v, s FROM items");
    assertEquals(0, select.exitCode(), select.output());
    String out = select.output();
    assertTrue(out.contains("[0.12, -0.5, 0.0, 0.0, ... 128 dims]"), out);
    assertTrue(out.contains("[1.0, 2.0, 3.0]"), "short vectors are shown whole: " + out);
    assertFalse(out.contains("0.0,0.0,0.0"), out);
    assertTrue(out.matches("(?s).*1 row selected \\(\\d+\\.\\d+ seconds\\).*"), out);

    ChildJava.Result failing = console(null, "--data", data.toString(), "-e",
        "SELECT id FROM missing_table");
    assertNotEquals(0, failing.exitCode(), failing.output());
    assertTrue(failing.output().contains("state=42P01"), failing.output());

    Path broken = dir.resolve("broken.sql");
    Files.writeString(broken, """
        INSERT INTO items VALUES (2, 'two', [1%1$s], [0, 0, 1]);
        INSERT INTO items VALUES (2, 'again', [1%1$s], [0, 0, 1]);
        INSERT INTO items VALUES (3, 'never', [1%1$s], [0, 0, 1]);
        """.formatted(", 0".repeat(127)));
    ChildJava.Result script2 = console(null, "--data", data.toString(), "-f", broken.toString());
    assertNotEquals(0, script2.exitCode(), script2.output());
    assertTrue(script2.output().contains("state=23505"), script2.output());
    ChildJava.Result count = console(null, "--data", data.toString(), "-e",
        "SELECT COUNT(*) AS n FROM items");
    assertEquals(0, count.exitCode(), count.output());
    assertTrue(count.output().matches("(?s).*\\|\\s*2\\s*\\|.*"),
        "the script stops at the failing statement: " + count.output());
  }

  @Test
  void remoteWithUserReadsThePasswordFromStdin(@TempDir Path data) throws Exception {
    new UserStore(data).add("alice", Role.READ_WRITE, "alice-secret".toCharArray());
    try (ServerProcess server = ServerProcess.start(data)) {
      ChildJava.Result ok = console("alice-secret\n", "--url", server.quiverUrl(),
          "--user", "alice", "-e", "VALUES 41 + 1");
      assertEquals(0, ok.exitCode(), ok.output());
      assertTrue(ok.output().contains("42"), ok.output());
      assertFalse(ok.output().contains("alice-secret"), ok.output());

      ChildJava.Result wrong = console("wrong\n", "--url", server.quiverUrl(),
          "--user", "alice", "-e", "VALUES 1");
      assertNotEquals(0, wrong.exitCode(), wrong.output());
      assertTrue(wrong.output().contains("28000"), wrong.output());
      assertFalse(wrong.output().contains("wrong\n"), wrong.output());
    }
  }

  private static ChildJava.Result console(String stdin, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(ChildJava.engineFlags());
    command.addAll(List.of("-cp", ChildJava.testClassPath(), "org.quiver.sql.cli.Main",
        "console"));
    command.addAll(List.of(arguments));
    return ChildJava.run(JAVA_HOME, command, stdin);
  }
}
