package org.quiver.engine.proxy;

import java.io.IOException;
import java.util.List;
import org.quiver.engine.api.CompactResult;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.datanode.Compactor;
import org.quiver.engine.rootcoord.Tso;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COMPACT TABLE (and the automatic policy): per channel, merges the sealed segments and purges the
 * rows and deletes older than the retention window, then in this order: builds the merged
 * segment's indexes, swaps it into the catalog in one KV write, hands it to the query node (whose
 * searches in flight finish on the old mappings first), and deletes the old files.
 *
 * <p>A crash before the swap leaves the old segments in the catalog and the merge as an unlisted
 * folder; after it, the old folders are unlisted. Start-up removes unlisted folders, so no row is
 * lost or doubled at any step. Runs on the definition queue: it never races a DROP TABLE.
 */
final class CompactTask extends Task<CompactResult> {
  private static final Logger LOG = LoggerFactory.getLogger(CompactTask.class);
  /**
   * Test hook: a system property naming the step ({@code written}, {@code indexed}, {@code
   * swapped}) at which the process halts, as if killed, for the compaction crash test.
   */
  static final String CRASH_AT = "quiver.test.compaction.crashAt";

  private final Components c;
  private final String name;

  CompactTask(Components c, String name) {
    this.c = c;
    this.name = name;
  }

  @Override
  TaskQueue.Kind queue() {
    return TaskQueue.Kind.DEFINITION;
  }

  @Override
  boolean changesWhatReadsSee() {
    return false;
  }

  @Override
  String describe() {
    return "Compact " + name;
  }

  @Override
  CompactResult execute() {
    CollectionInfo info = c.collection(name);
    int before = c.meta.segments(info.id()).size();
    long horizon = Tso.compose(
        Math.max(0, Tso.physicalMillis(timestamp()) - c.retentionMs), 0);
    List<Compactor.Merge> merges = new Compactor(c.meta, c.segments, c.ids).merge(info, horizon);
    long rows = 0;
    long deletes = 0;
    for (Compactor.Merge m : merges) {
      crashPoint("written");
      try {
        c.indexNode.buildBeforeSwap(info, m.merged());
      } catch (IOException e) {
        throw new QuiverException(ErrorCode.IO_ERROR,
            "cannot build the indexes of merged segment " + m.merged().id() + ": " + e.getMessage(),
            e);
      }
      crashPoint("indexed");
      c.meta.replaceSegments(m.replaced(), m.merged());
      crashPoint("swapped");
      c.queryNode.segmentsCompacted(m.replaced(), m.merged());
      m.replaced().forEach(c.segments::deleteSegment);
      rows += m.rowsPurged();
      deletes += m.deletesPurged();
      LOG.info("event=segments_compacted table={} merged={} replaced={} rows={} rows_purged={}"
              + " deletes_purged={}", info.name(), m.merged().id(),
          m.replaced().stream().map(SegmentInfo::id).toList(), m.merged().rowCount(),
          m.rowsPurged(), m.deletesPurged());
    }
    return new CompactResult(before, c.meta.segments(info.id()).size(), rows, deletes);
  }

  private static void crashPoint(String step) {
    if (step.equals(System.getProperty(CRASH_AT))) {
      Runtime.getRuntime().halt(137);
    }
  }
}
