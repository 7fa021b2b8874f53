package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * quiver-sql as an application embeds it: a plain JDBC program in a child JVM whose class path is
 * that artifact and its runtime dependencies and nothing else (the list Maven resolved for it)
 * opens {@code jdbc:quiver:file:}, writes, searches and reopens. The same list holds no server,
 * console, plotting or native Parquet library and no logging binding.
 */
class EmbeddableLibraryTest {
  private static final Path JAR = Path.of(System.getProperty("quiver.library.jar"));
  private static final Path CLASS_PATH = Path.of(System.getProperty("quiver.library.classpath"));
  /** Jars that belong to the server, the command line or the benchmarks, never to the library. */
  private static final Pattern NOT_IN_THE_LIBRARY = Pattern.compile(
      "(jetty|grpc|netty|flight|arrow-dataset|sqlline|xchart|picocli|slf4j-simple|logback"
          + "|log4j-slf4j|jetcd|quiver-server|quiver-cli|quiver-bench|quiver-parquet).*\\.jar");

  @TempDir
  Path dir;

  private static List<String> libraryClassPath() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "library jar missing: " + JAR);
    List<String> entries = new ArrayList<>(List.of(JAR.toString()));
    for (String entry : Files.readString(CLASS_PATH).trim().split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    return entries;
  }

  @Test
  void theLibraryClassPathCarriesNoServerConsoleOrLoggingBinding() throws IOException {
    List<String> foreign = libraryClassPath().stream()
        .filter(entry -> NOT_IN_THE_LIBRARY.matcher(Path.of(entry).getFileName().toString())
            .matches())
        .toList();
    assertEquals(List.of(), foreign);
  }

  @Test
  void aPlainProgramOpensAFileDatabaseOnTheLibraryAlone() throws Exception {
    Path client = dir.resolve("ThinClient.java");
    try (InputStream in = EmbeddableLibraryTest.class.getResourceAsStream("/thin/ThinClient.java")) {
      Files.write(client, in.readAllBytes());
    }
    String url = "jdbc:quiver:file:" + dir.resolve("db");
    String classPath = String.join(File.pathSeparator, libraryClassPath());

    ChildJava.Result first = runClient(classPath, client, url, "items");
    assertEquals(0, first.exitCode(), first.output());
    assertTrue(first.output().contains("row 1 [1.0, 0.0, 0.0] [1.0,0.0,0.0]"), first.output());
    assertTrue(first.output().contains("count 3"), first.output());
    // No logging binding: SLF4J says so once and stays quiet, as it does in any application
    // that brings none; it is the application's to choose.
    assertTrue(first.output().contains("No SLF4J providers were found"), first.output());

    // A second process finds the first one's table on disk: creating it again is refused.
    ChildJava.Result again = runClient(classPath, client, url, "items");
    assertEquals(1, again.exitCode(), again.output());
    assertTrue(again.output().contains("table \"items\" already exists"), again.output());
  }

  @Test
  void copyOfAParquetFileNamesTheModuleItNeeds() throws Exception {
    Path program = dir.resolve("CopyParquet.java");
    Files.writeString(program, """
        import java.sql.*;
        public class CopyParquet {
          public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0]);
                Statement s = c.createStatement()) {
              s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2))");
              s.execute("INSERT INTO t VALUES (1, [1, 2])");
              try {
                s.execute("COPY t TO '" + args[1] + "' WITH (format = 'parquet')");
                System.out.println("copied");
              } catch (SQLException e) {
                System.out.println(e.getSQLState() + " " + e.getMessage());
              }
            }
          }
        }
        """);
    List<String> args = new ArrayList<>(ChildJava.engineFlags());
    args.addAll(List.of("-cp", String.join(File.pathSeparator, libraryClassPath()),
        program.toString(), "jdbc:quiver:file:" + dir.resolve("db"),
        dir.resolve("t.parquet").toString()));
    ChildJava.Result r = ChildJava.run(Path.of(System.getProperty("java.home")), args, null);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("0A000 COPY of Parquet files needs the quiver-parquet module"),
        r.output());
    assertTrue(Files.notExists(dir.resolve("t.parquet")), "no file written");
  }

  private static ChildJava.Result runClient(String classPath, Path client, String url,
      String table) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(ChildJava.engineFlags());
    args.addAll(List.of("-cp", classPath, client.toString(), url, table));
    return ChildJava.run(Path.of(System.getProperty("java.home")), args, null);
  }
}
