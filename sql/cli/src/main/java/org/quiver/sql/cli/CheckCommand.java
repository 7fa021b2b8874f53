package org.quiver.sql.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.status.CheckReport;
import org.quiver.engine.api.status.Damage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code quiver check [--data DIR]}: verifies every file of a data directory that no server has
 * open and lists the damage; exits 0 when everything is intact, 1 when something is damaged, 2
 * when the directory cannot be checked.
 */
@Command(name = "check", description = "Verifies every file of a data directory no server has "
    + "open (manifests, CRC32C, catalog); exit 0: intact, 1: damage listed, 2: cannot check.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private DataDirectoryOption data;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CheckReport report;
    try {
      report = Engine.check(data.data);
    } catch (QuiverException e) {
      spec.commandLine().getErr().println("quiver: " + e.getMessage());
      return 2;
    }
    for (Damage d : report.damage()) {
      out.printf("damaged: table %s, segment %d, file %s: %s (%s)%n",
          report.tables().get(d.collectionId()), d.segmentId(), d.file(), d.problem(),
          d.effect().description());
    }
    out.printf("checked %d tables, %d segments, %d index folders in %s: %s%n",
        report.tables().size(), report.segments(), report.indexFiles(),
        data.data.toAbsolutePath().normalize(),
        report.intact() ? "all intact" : report.damage().size() + " damaged file(s)");
    out.flush();
    return report.intact() ? 0 : 1;
  }
}
