package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.cli.Main;
import picocli.CommandLine;

/**
 * {@code ./quiver}'s command line, parsed in this JVM: help prints and starts nothing, and a bad
 * argument is refused with exit 2, a message naming it and the command's usage.
 */
class CommandLineTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void serveHelpPrintsTheUsageAndStartsNothing(@TempDir Path dir) {
    Path data = dir.resolve("data");
    Run run = run("serve", "--help", "--data", data.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("Usage: quiver serve"), run.out());
    assertTrue(run.out().contains("--flight-port=N|off"), run.out());
    assertTrue(run.out().contains("Default: 8765"), "defaults shown: " + run.out());
    assertFalse(Files.exists(data), "no server opened the data directory");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] command : new String[][] {{"serve"}, {"user"}, {"user", "add"},
        {"user", "remove"}, {"user", "password"}, {"user", "list"}, {"console"}, {"import"},
        {"check"}}) {
      String[] args = Arrays.copyOf(command, command.length + 1);
      args[command.length] = "-h";
      Run run = run(args);
      assertEquals(0, run.exit(), String.join(" ", command) + ": " + run.err());
      assertTrue(run.out().contains("Usage: quiver " + String.join(" ", command)), run.out());
    }
  }

  @Test
  void anUnknownOptionIsRefusedByName() {
    Run run = run("serve", "--bogus");
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("Unknown option: '--bogus'"), run.err());
    assertTrue(run.err().contains("Usage: quiver serve"), run.err());
  }

  @Test
  void aBadValueIsRefusedByValue() {
    Run port = run("serve", "--port", "x");
    assertEquals(2, port.exit());
    assertTrue(port.err().startsWith("Invalid value for option '--port': 'x'"), port.err());
    assertTrue(port.err().contains("Usage: quiver serve"), port.err());

    Run flight = run("serve", "--flight-port", "70000");
    assertEquals(2, flight.exit());
    assertTrue(flight.err().contains("must be in [0, 65535] or off, got '70000'"), flight.err());

    Run role = run("user", "add", "bob", "--role", "boss");
    assertEquals(2, role.exit());
    assertTrue(role.err().contains("unknown role 'boss'"), role.err());

    Run format = run("serve", "--log-format", "xml");
    assertEquals(2, format.exit());
    assertTrue(format.err().contains("unknown log format 'xml'"), format.err());
  }

  @Test
  void serveSegmentsNamesAnObjectStore(@TempDir Path dir) {
    Run help = run("serve", "--help");
    assertTrue(help.out().contains("--segments=URI") && help.out().contains("BUCKET/PREFIX"),
        help.out());

    Run notALocation = run("serve", "--segments", "my-bucket");
    assertEquals(2, notALocation.exit());
    assertTrue(notALocation.err().startsWith("--segments must be a URI"), notALocation.err());

    // A location whose scheme no module on the class path serves stops the server at start,
    // saying so on the process's standard error.
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    Run unknown;
    System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      unknown = run("serve", "--data", dir.resolve("data").toString(), "--port", "0",
          "--segments", "gs://bucket/prefix");
    } finally {
      System.setErr(saved);
    }
    String said = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, unknown.exit(), said);
    assertTrue(said.contains("'gs' is not one of [s3]"), said);
  }

  @Test
  void aQueryNodeRefusesTheOptionsOfTheSqlDoorsAndNeedsTheSharedServices(@TempDir Path dir) {
    Run doors = run("serve", "--role", "querynode", "--flight-port", "9999", "--retention", "1h");
    assertEquals(2, doors.exit());
    assertTrue(doors.err().startsWith("--flight-port, --retention set the SQL doors, which a query"
        + " node does not run"), doors.err());

    Run nodeId = run("serve", "--node-id", "n1");
    assertEquals(2, nodeId.exit());
    assertTrue(nodeId.err().startsWith("--node-id names a query node"), nodeId.err());

    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    Run alone;
    System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      alone = run("serve", "--role", "querynode", "--data", dir.resolve("node").toString());
    } finally {
      System.setErr(saved);
    }
    String said = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, alone.exit(), said);
    assertTrue(said.contains("give all three locations"), said);
  }

  @Test
  void aProxyNeedsItsCoordinatorAndTakesTheEngineFromIt() {
    Run engine = run("serve", "--role", "proxy", "--coordinator", "127.0.0.1:8767",
        "--retention", "1h", "--catalog", "etcd://127.0.0.1:2379/q/");
    assertEquals(2, engine.exit());
    assertTrue(engine.err().startsWith("--catalog, --retention set the engine, which a proxy"
        + " takes from its coordinator"), engine.err());

    Run alone = run("serve", "--role", "proxy");
    assertEquals(2, alone.exit());
    assertTrue(alone.err().startsWith("a proxy needs --coordinator HOST:PORT"), alone.err());

    Run notProxy = run("serve", "--coordinator", "127.0.0.1:8767");
    assertEquals(2, notProxy.exit());
    assertTrue(notProxy.err().startsWith("--coordinator names a proxy's coordinator"),
        notProxy.err());

    Run enginePort = run("serve", "--role", "querynode", "--engine-port", "9000");
    assertEquals(2, enginePort.exit());
    assertTrue(enginePort.err().startsWith("--engine-port is where a coordinator serves"),
        enginePort.err());
  }

  @Test
  void theRetentionWindowTakesADurationWithAUnit() {
    for (String[] given : new String[][] {{"30m", "PT30M"}, {"1h", "PT1H"}, {"0s", "PT0S"},
        {"250ms", "PT0.25S"}, {"2d", "PT48H"}}) {
      CommandLine.ParseResult parsed = Main.commandLine()
          .parseArgs("serve", "--retention", given[0]).subcommand();
      assertEquals(given[1], parsed.matchedOptionValue("--retention", null).toString());
    }
    for (String bad : List.of("30", "-1h", "1.5h", "1 h", "forever")) {
      Run run = run("serve", "--retention", bad);
      assertEquals(2, run.exit(), bad);
      assertTrue(run.err().contains("must be a whole number with a unit ms, s, m, h or d"
          + " (30m, 1h, 0s), got '" + bad + "'"), run.err());
      assertTrue(run.err().contains("Usage: quiver serve"), run.err());
    }
  }

  @Test
  void aTlsKeyWithoutItsCertificateIsRefusedBeforeAnythingStarts(@TempDir Path dir) {
    Path data = dir.resolve("data");
    Run run = run("serve", "--data", data.toString(),
        "--tls-key", dir.resolve("key.pem").toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith(
        "TLS needs either --tls-cert and --tls-key (PEM) or --keystore"), run.err());
    assertTrue(run.err().contains("Usage: quiver serve"), run.err());
    assertFalse(Files.exists(data), "no server opened the data directory");
  }

  @Test
  void userAddNeedsAName() {
    Run run = run("user", "add");
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("Missing required parameter: 'NAME'"), run.err());
    assertTrue(run.err().contains("Usage: quiver user add"), run.err());
  }

  @Test
  void withoutACommandTheUsageListsTheCommands() {
    Run run = run();
    assertEquals(2, run.exit());
    for (String command : new String[] {"serve", "user", "console", "import", "check"}) {
      assertTrue(run.err().contains("\n  " + command + " "), command + " listed: " + run.err());
    }
  }

  @Test
  void generatesABashCompletionScriptForEveryCommand() {
    Run run = run("generate-completion");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("complete -F _complete_quiver"), run.out());
    assertTrue(run.out().contains("--flight-port"), "serve's options completed");
  }

  @Test
  void versionPrintsTheBuiltVersion() {
    Run run = run("--version");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().matches("quiver \\d+\\.\\d+\\.\\d+.*\\R"), run.out());
  }
}
