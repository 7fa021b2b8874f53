package org.quiver.sql.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.quiver.engine.DataCheck;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.segment.Damage;

/**
 * {@code quiver check [--data DIR]}: verifies every file of a data directory that no server has
 * open and lists the damage; exits 0 when everything is intact, 1 when something is damaged, 2
 * when the directory cannot be checked.
 */
public final class CheckCommand {
  private CheckCommand() {}

  /** Runs the check; returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Path data = Path.of(new Main.Options(args).value("--data", "quiver-data"));
    DataCheck.Report report;
    try {
      report = DataCheck.run(data);
    } catch (QuiverException e) {
      err.println("quiver: " + e.getMessage());
      return 2;
    }
    for (Damage d : report.damage()) {
      out.printf("damaged: table %s, segment %d, file %s: %s (%s)%n",
          report.tables().get(d.collectionId()), d.segmentId(), d.file(), d.problem(),
          d.effect().description());
    }
    out.printf("checked %d tables, %d segments, %d index folders in %s: %s%n",
        report.tables().size(), report.segments(), report.indexFiles(),
        data.toAbsolutePath().normalize(),
        report.intact() ? "all intact" : report.damage().size() + " damaged file(s)");
    return report.intact() ? 0 : 1;
  }
}
