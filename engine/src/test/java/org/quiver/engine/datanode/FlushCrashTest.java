package org.quiver.engine.datanode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.Quiver;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.rootcoord.Tso;
import org.quiver.engine.segment.FlushedSegment;
import org.quiver.engine.segment.SegmentStore;
import org.quiver.fixtures.ChildJvm;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.segment.SegmentManifest;

/**
 * Kills a child JVM with SIGKILL while it inserts, the data node seals and flushes segments
 * every few rows and the log deletes what they cover, restarts on the same directory, and checks: every acknowledged row is there
 * exactly once, the catalog holds only segments whose files verify (a folder without a manifest
 * is never in it), and the TSO issues timestamps above every one stored.
 *
 * <p>The kill point of each round is how many lines the test reads from the child, from a seeded
 * random; the seed is printed and {@code -Dquiver.seed=<seed>} replays the choices (the timing of
 * the background flushes is the machine's).
 */
class FlushCrashTest {
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void acknowledgedRowsSurviveSigkillDuringFlushExactlyOnce() throws IOException {
    long seed = Long.getLong("quiver.seed", new Random().nextLong());
    System.out.println("FlushCrashTest seed=" + seed + " (replay with -Dquiver.seed=" + seed + ")");
    Random random = new Random(seed);
    Set<Long> acked = new HashSet<>();
    long lastTs = 0;
    int tornFolders = 0;
    long trimmedThrough = -1;
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + ", round " + round;
      long firstId = round * 1_000_000L;
      int killAfter = 1 + random.nextInt(16);
      Set<Long> inFlight = new HashSet<>();
      try (ChildJvm child = ChildJvm.start(FlushCrashChild.class, dir.toString(),
          Long.toString(firstId), Long.toString(random.nextLong()))) {
        assertEquals("ready", child.readLine(), where);
        int read = 0;
        String line;
        while ((line = child.readLine()) != null) {
          String[] parts = line.split(" ");
          if (!parts[0].equals("flush")) {
            long first = Long.parseLong(parts[1]);
            int count = Integer.parseInt(parts[2]);
            for (long id = first; id < first + count; id++) {
              (parts[0].equals("ack") ? acked : inFlight).add(id);
            }
          }
          if (++read == killAfter) {
            child.kill();
          }
        }
      }
      inFlight.removeAll(acked);

      long maxStored;
      try (Quiver quiver = Quiver.open(FlushCrashChild.config(dir))) {
        List<Object[]> rows = quiver.proxy().query(new QueryRequest(
            FlushCrashChild.TABLE, null, List.of("id", "label"), -1)).rows();
        Map<Long, Integer> seen = new HashMap<>();
        for (Object[] row : rows) {
          long id = (Long) row[0];
          assertEquals("row-" + id, row[1], where);
          seen.merge(id, 1, Integer::sum);
        }
        for (long id : acked) {
          assertEquals(1, seen.getOrDefault(id, 0), where + ": acknowledged row " + id);
        }
        for (Map.Entry<Long, Integer> e : seen.entrySet()) {
          assertTrue(acked.contains(e.getKey()) || inFlight.contains(e.getKey()),
              where + ": row " + e.getKey() + " was never inserted");
          assertEquals(1, e.getValue(), where + ": row " + e.getKey());
        }
        acked.addAll(seen.keySet());

        // Seal everything so that every row's timestamp is in a verified segment file.
        quiver.proxy().flush(FlushCrashChild.TABLE);
        CollectionInfo info = quiver.proxy().collection(FlushCrashChild.TABLE).orElseThrow();
        List<SegmentInfo> catalog = quiver.proxy().segments(FlushCrashChild.TABLE);
        maxStored = verifySegments(info, catalog, where, acked.size());
        for (TableChannelStats channel : quiver.proxy().channelStats()) {
          trimmedThrough = Math.max(trimmedThrough, channel.beginId() - 1);
        }
        tornFolders = tornFolders(info, catalog, where);
      }
      try (RocksKvStore kv = RocksKvStore.open(dir.resolve("meta"))) {
        long ts = new Tso(kv).next();
        assertTrue(ts > maxStored && ts > lastTs, where + ": TSO issued " + ts
            + " after " + Math.max(maxStored, lastTs));
        lastTs = ts;
      }
    }
    System.out.println("FlushCrashTest rows=" + acked.size() + " folders_without_manifest=" + tornFolders);
    assertTrue(!acked.isEmpty(), "the rounds acknowledged rows");
    assertTrue(trimmedThrough >= 0, "the log deleted what the seals covered");
  }

  /**
   * Reads every catalog segment through its manifest, checks that together they hold exactly the
   * {@code expectedRows} rows written so far (all flushed), and returns the highest timestamp
   * stored.
   */
  private long verifySegments(CollectionInfo info, List<SegmentInfo> catalog, String where,
      int expectedRows) {
    SegmentStore store = new SegmentStore(dir);
    long max = 0;
    int rows = 0;
    for (SegmentInfo segment : catalog) {
      FlushedSegment data = store.read(info.schema(), segment);
      assertEquals(segment.rowCount(), data.rows().rowCount(), where + ": segment " + segment.id());
      rows += data.rows().rowCount();
      for (long t : data.insertTs()) {
        max = Math.max(max, t);
      }
    }
    // A round may be killed before it writes anything; then nothing new is flushed either.
    assertEquals(expectedRows, rows, where + ": rows in flushed segments");
    return max;
  }

  /** Checks that no folder without a manifest is in the catalog; returns how many there are. */
  private int tornFolders(CollectionInfo info, List<SegmentInfo> catalog, String where)
      throws IOException {
    Set<String> inCatalog = new HashSet<>();
    catalog.forEach(s -> inCatalog.add(dir.resolve(s.directory()).normalize().toString()));
    List<Path> torn = new ArrayList<>();
    Path segments = dir.resolve("segments/" + info.id() + "/_default");
    if (!Files.isDirectory(segments)) {
      assertTrue(catalog.isEmpty(), where + ": segments in the catalog but no segment folder");
      return 0;
    }
    try (Stream<Path> folders = Files.list(segments)) {
      folders.filter(f -> !Files.exists(f.resolve(SegmentManifest.FILE_NAME))).forEach(torn::add);
    }
    for (Path folder : torn) {
      assertTrue(!inCatalog.contains(folder.normalize().toString()),
          where + ": segment folder without a manifest is in the catalog: " + folder);
    }
    return torn.size();
  }
}
