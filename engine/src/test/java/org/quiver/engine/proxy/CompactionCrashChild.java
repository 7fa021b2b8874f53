package org.quiver.engine.proxy;

import java.nio.file.Path;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;

/**
 * The child of {@link CompactionTest#crashAtEveryStepLosesAndDoublesNothing}: fills a table with
 * small segments and deletes (retention 0, so they are purged), then compacts with the crash hook
 * set to the step named, where the process halts at once, as if killed.
 */
public final class CompactionCrashChild {
  private CompactionCrashChild() {}

  /** Arguments: data directory, crash step. */
  public static void main(String[] args) {
    Quiver quiver = Quiver.open(CompactionTest.config(Path.of(args[0])).withRetentionMs(0));
    Proxy proxy = quiver.proxy();
    CompactionTest.fill(proxy);
    System.setProperty(CompactTask.CRASH_AT, args[1]);
    System.out.println("compacting");
    System.out.flush();
    proxy.compact(CompactionTest.TABLE);
    System.out.println("survived");
    System.out.flush();
    quiver.close();
  }
}
