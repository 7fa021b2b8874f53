package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.server.QuiverServer;

/**
 * The thin driver jar as a BI tool or a plain program meets it: {@code java -cp} that one jar on
 * JDK 17 and JDK 25 against a running server; and the same jar beside quiver-sql, where the
 * embedded URLs must still find the engine.
 */
class ThinDriverJarTest {
  private static final Path JAR = Path.of(System.getProperty("quiver.thin.jar"));
  private static final Path JDK17 =
      Path.of(System.getProperty("quiver.jdk17", "/usr/lib/jvm/java-17-openjdk-amd64"));
  private static final Path JDK_CURRENT = Path.of(System.getProperty("java.home"));
  /** The driver, and avatica-core with its runtime dependencies. */
  private static final List<String> ALLOWED = List.of("org/quiver/jdbc/",
      "org/apache/calcite/avatica/", "com/fasterxml/jackson/", "com/google/protobuf/",
      "org/apache/hc/", "org/joou/", "org/slf4j/");

  @TempDir
  static Path data;
  private static QuiverServer server;
  private static Path client;

  @BeforeAll
  static void start() throws Exception {
    server = QuiverServer.start(data.resolve("db"), "127.0.0.1", 0);
    client = data.resolve("ThinClient.java");
    try (InputStream in = ThinDriverJarTest.class.getResourceAsStream("/thin/ThinClient.java")) {
      Files.write(client, in.readAllBytes());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void jarHoldsOnlyTheDriverAndAvaticaCoreAsJava17Bytecode() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "thin driver jar missing: " + JAR);
    List<String> tooNew = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (!name.endsWith(".class")) {
          continue;
        }
        if (ALLOWED.stream().noneMatch(name::startsWith)) {
          foreign.add(name);
        }
        try (DataInputStream in = new DataInputStream(jar.getInputStream(entry))) {
          in.readInt();
          in.readUnsignedShort();
          int major = in.readUnsignedShort();
          if (major > 61) {
            tooNew.add(name + " (class file " + major + ")");
          }
        }
      }
      assertEquals("org.quiver.jdbc.QuiverDriver", new String(jar.getInputStream(
          jar.getEntry("META-INF/services/java.sql.Driver")).readAllBytes(),
          StandardCharsets.UTF_8).trim());
      assertTrue(jar.getEntry("org/apache/calcite/avatica/remote/Driver.class") != null,
          "avatica-core is inside");
      assertTrue(jar.getEntry("module-info.class") == null);
    }
    assertEquals(List.of(), tooNew, "classes newer than Java 17");
    assertEquals(List.of(), foreign, "classes beyond the driver and avatica-core's dependencies "
        + "(Calcite, Jetty, sqlline must not be there)");
  }

  @Test
  void plainProgramOnJdk17() throws Exception {
    assumeTrue(Files.isExecutable(JDK17.resolve("bin/java")), "no JDK 17 at " + JDK17);
    assertClientWorks(JDK17, JAR.toString(), server.url(), "thin17");
  }

  @Test
  void plainProgramOnCurrentJdk() throws Exception {
    assertClientWorks(JDK_CURRENT, JAR.toString(), server.url(), "thin25");
  }

  @Test
  void embeddedUrlsWorkWithTheThinJarBesideQuiverSql() throws Exception {
    String classPath = Stream.concat(Stream.of(JAR.toString()),
            Stream.of(ChildJava.testClassPath().split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("quiver-jdbc")))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> args = new ArrayList<>(ChildJava.engineFlags());
    args.addAll(List.of("-cp", classPath, client.toString(), "jdbc:quiver:mem:", "embedded"));
    ChildJava.Result r = ChildJava.run(JDK_CURRENT, args, null);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("row 1 [1.0, 0.0, 0.0] [1.0,0.0,0.0]"), r.output());
  }

  private static void assertClientWorks(Path jdk, String classPath, String url, String table)
      throws Exception {
    ChildJava.Result r = ChildJava.run(jdk,
        List.of("-cp", classPath, client.toString(), url, table), null);
    assertEquals(0, r.exitCode(), r.output());
    String out = r.output();
    assertTrue(out.contains("driver Quiver JDBC Driver"), out);
    assertTrue(out.contains("row 1 [1.0, 0.0, 0.0] [1.0,0.0,0.0]"), out);
    assertTrue(out.contains("row 3 [0.9, 0.1, 0.0] [0.9,0.1,0.0]"), out);
    assertTrue(out.contains("count 3"), out);
    assertFalse(out.contains("Exception"), out);
  }
}
