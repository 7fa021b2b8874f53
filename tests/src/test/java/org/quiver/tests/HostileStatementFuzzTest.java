package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.bench.FuzzBench;

/**
 * The hostile-statement fuzz ({@link FuzzBench}) through the embedded driver and through the thin
 * remote driver against a server: no crash, no hang, a proper SQLSTATE on every error, internal
 * errors rare, no data changed by a failed statement. The seed is fixed so that the suite gives
 * the same answer on every run; {@code -Dquiver.fuzz.seed=S} runs another and {@code
 * -Dquiver.fuzz.statements=N} sets its length. Exploring new seeds is the job of {@code ./quiver
 * bench fuzz}, which draws one per run; a seed that finds a defect is worth adding here.
 */
class HostileStatementFuzzTest {
  private static final long SEED = Long.getLong("quiver.fuzz.seed", 9493553408182L);
  private static final int STATEMENTS = Integer.getInteger("quiver.fuzz.statements", 750);

  @TempDir
  Path dir;

  @Test
  void embeddedDoorSurvivesHostileStatements() throws Exception {
    Path data = dir.resolve("data");
    check(FuzzBench.run(() -> DriverManager.getConnection("jdbc:quiver:file:" + data), dir,
        SEED, STATEMENTS, System.out));
  }

  @Test
  void thinDriverDoorSurvivesHostileStatements() throws Exception {
    check(FuzzBench.runRemote(dir.resolve("server"), dir, SEED, STATEMENTS, System.out));
  }

  private static void check(FuzzBench.Report report) {
    String context = report.summary() + "\n" + String.join("\n", report.problems) + "\n"
        + String.join("\n", report.internalErrors);
    assertTrue(report.problems.isEmpty(), context);
    assertTrue(report.internalWithinLimit(), context);
    assertTrue(report.errors > report.statements / 2, "the fuzz should mostly fail: " + context);
  }
}
