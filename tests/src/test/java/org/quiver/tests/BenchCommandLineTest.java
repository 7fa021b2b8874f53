package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.bench.Bench;

/**
 * {@code ./quiver bench}'s command line: every benchmark listed and documented with its options
 * and their defaults (the spellings docs/benchmarks.md uses), a bad argument refused with exit 2
 * by name, and a real, tiny run whose standard output is CSV and nothing else.
 */
class BenchCommandLineTest {
  private static final List<String> BENCHMARKS = List.of("ingest", "search", "all", "ann",
      "scan", "transfer", "storage", "remote", "consistency", "deletes", "fuzz", "pgvector");

  /** Per benchmark, options as docs/benchmarks.md spells them, with today's defaults. */
  private static final Map<String, List<String>> DOCUMENTED = Map.ofEntries(
      Map.entry("ingest", List.of("--door=embedded|remote", "Default: embedded", "--batch=N",
          "Default: 1000", "--repeats=N", "Default: 5", "--shards=N", "--dataset=")),
      Map.entry("search", List.of("--door=embedded|remote", "--batch=N", "--repeats=N")),
      Map.entry("all", List.of("--door=embedded|remote", "--batch=N", "--repeats=N")),
      Map.entry("ann", List.of("--method=hnsw|ivf_flat|ivf_pq", "Default: hnsw", "--doors=DOOR",
          "--ef=N", "Default: 10,20,40,80,160", "--nprobe=N", "Default: 1,2,4,8,16,32",
          "--m=N", "Default: 16", "--ef-construction=N", "Default: 100", "--nlist=N",
          "--pq-m=N", "--seconds=S", "Default: 2", "--selectivity=F", "--shared-graph",
          "--at-recall=R", "Default: 0.95", "--overhead", "--plot=FILE", "--pgvector-url=",
          "--dataset=siftsmall|synthetic", "--rows=N", "--dim=N", "--queries=N", "--seed=N")),
      Map.entry("scan", List.of("--rows=N", "Default: 200000", "--dim=N", "Default: 128",
          "--queries=N", "Default: 20", "--batch=N", "Default: 64", "--seconds=S", "Default: 3",
          "--seed=N", "Default: 42", "--runs=N", "Default: 3")),
      Map.entry("transfer", List.of("--rows=N", "Default: 50000", "--batch=N", "Default: 10000",
          "--repeats=N", "Default: 3", "--dims=N", "Default: 128,768", "--exports-only")),
      Map.entry("storage", List.of("--dir=DIR", "--seconds=S", "Default: 3")),
      Map.entry("remote", List.of("--executions=N", "Default: 5000", "--drivers=NAME",
          "Default: quiver,quiver-http,avatica", "--dataset=")),
      Map.entry("consistency", List.of("--rounds=N", "Default: 5000", "--dim=N",
          "Default: 128")),
      Map.entry("deletes", List.of("--rows=N", "Default: 20000", "--dim=N", "--seal-rows=N",
          "Default: 2000", "--seconds=S", "Default: 5")),
      Map.entry("fuzz", List.of("--statements=N", "Default: 10000", "--seed=N",
          "--door=embedded|remote|both", "Default: both")),
      Map.entry("pgvector", List.of("--tests=DIR", "--files=NAME", "Default: vector_type,")));

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Bench.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryBenchmark() {
    Run run = run("--help");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("Usage: quiver bench"), run.out());
    for (String benchmark : BENCHMARKS) {
      assertTrue(run.out().contains("\n  " + benchmark + " "), benchmark + " listed: " + run.out());
    }
  }

  @Test
  void everyBenchmarkShowsItsOptionsWithTheirDefaults() {
    assertEquals(BENCHMARKS.stream().sorted().toList(),
        DOCUMENTED.keySet().stream().sorted().toList());
    for (String benchmark : BENCHMARKS) {
      Run run = run(benchmark, "--help");
      assertEquals(0, run.exit(), benchmark + ": " + run.err());
      assertTrue(run.out().startsWith("Usage: quiver bench " + benchmark + " "), run.out());
      for (String expected : DOCUMENTED.get(benchmark)) {
        assertTrue(run.out().contains(expected), benchmark + " shows " + expected + ":\n"
            + run.out());
      }
    }
  }

  @Test
  void anUnknownOptionIsRefusedByName() {
    Run sub = run("scan", "--bogus");
    assertEquals(2, sub.exit());
    assertTrue(sub.err().startsWith("Unknown option: '--bogus'"), sub.err());
    assertTrue(sub.err().contains("Usage: quiver bench scan"), sub.err());

    Run top = run("--rowz");
    assertEquals(2, top.exit());
    assertTrue(top.err().startsWith("Unknown option: '--rowz'"), top.err());
  }

  @Test
  void aBadValueIsRefusedByValue() {
    Run method = run("ann", "--method", "flat");
    assertEquals(2, method.exit());
    assertTrue(method.err().contains("unknown index method 'flat'"), method.err());

    Run number = run("transfer", "--dims", "128,x");
    assertEquals(2, number.exit());
    assertTrue(number.err().contains("'x' is not an int"), number.err());

    Run runs = run("scan", "--runs", "0");
    assertEquals(2, runs.exit());
    assertTrue(runs.err().contains("--runs must be at least 1, got 0"), runs.err());
  }

  @Test
  void optionsBeforeABenchmarkNameAreRefusedRatherThanIgnored() {
    Run run = run("--door", "remote", "ingest");
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("options before the benchmark's name are those of 'all'; "
        + "put them after 'ingest'"), run.err());
  }

  /**
   * {@code bench pgvector} on a suite of two statements in pgvector's layout (a psql script and
   * psql's echo of it): an answer that agrees (1.0 against psql's 1), one that does not, and an
   * error where psql printed one.
   */
  @Test
  void pgvectorCountsTheStatementsAnsweredAsPsqlPrinted(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sql"));
    Files.createDirectories(dir.resolve("expected"));
    Files.writeString(dir.resolve("sql").resolve("tiny.sql"), """
        -- a comment
        SELECT '[1,2]'::vector;
        SELECT 1 + 1;
        SELECT '[1,x]'::vector;
        \\echo a psql command
        """);
    Files.writeString(dir.resolve("expected").resolve("tiny.out"), """
        -- a comment
        SELECT '[1,2]'::vector;
         vector
        --------
         [1,2]
        (1 row)

        SELECT 1 + 1;
         ?column?
        ----------
                3
        (1 row)

        SELECT '[1,x]'::vector;
        ERROR:  invalid input syntax for type vector: "[1,x]"
        LINE 1: SELECT '[1,x]'::vector;
                       ^
        \\echo a psql command
        a psql command
        """);
    Run run = run("pgvector", "--tests", dir.toString(), "--files", "tiny");
    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("file,statements,same,differ", "tiny,3,2,1"), run.out().lines().toList());
    assertTrue(run.err().contains("tiny #1: SELECT 1 + 1\n  pgvector: [3]\n  quiver:   [2]"),
        run.err());
  }

  /** The cheapest benchmark for real, in a child JVM as the launcher runs it. */
  @Test
  void aTinyScanPrintsCsvOnStandardOutputAndProgressOnStandardError(@TempDir Path dir)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ChildJava.engineFlags());
    command.add("-Djava.io.tmpdir=" + dir);
    command.addAll(List.of("-cp", ChildJava.testClassPath(), Bench.class.getName(), "scan",
        "--rows", "2000", "--queries", "2", "--batch", "4", "--seconds", "0.05", "--runs", "2"));
    Path err = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the scan finished");
    String stderr = Files.readString(err);
    assertEquals(0, p.exitValue(), stderr);

    List<String> lines = out.lines().toList();
    assertEquals("bench,dataset,door,index,params,build_s,qps,recall@10,p50_ms,p99_ms,"
        + "rows_returned,threads,vectors_per_s", lines.get(0), out);
    List<String> doors = new ArrayList<>();
    for (String row : lines.subList(1, lines.size())) {
      assertTrue(row.startsWith("scan,synthetic-2000x128-seed42,"), "a CSV row: " + row);
      assertTrue(row.endsWith(",1,"), "threads and an empty rate last: " + row);
      doors.add(row.split(",")[2]);
    }
    List<String> figures = List.of("kernel", "engine", "engine-batch");
    List<String> expected = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      expected.addAll(figures);
    }
    assertEquals(expected, doors, "two runs of each figure, then each one's summary: " + out);
    for (String row : lines.subList(1, 7)) {
      assertTrue(row.matches(".*run [12] of 2 \\(load average .*\\).* GB/s; memory-read .* GB/s "
          + "in the passes between; [0-9.]+ of memory-read.*"), row);
    }
    for (String row : lines.subList(7, 10)) {
      assertTrue(row.matches(
          ".*median of 2 runs: [0-9.]+ of memory-read \\(spread [0-9.]+-[0-9.]+\\).*"), row);
    }
    assertTrue(stderr.contains("generating 100%"), "the progress bar, on stderr: " + stderr);
  }
}
