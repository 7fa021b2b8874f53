package org.quiver.engine.segment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.quiver.engine.api.status.Damage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The damaged files found since the engine opened (or since a table was last loaded), by table:
 * reads of a table with an unreadable file fail instead of answering from the rest, and {@code
 * sys.damage} lists them all. Thread-safe.
 */
public final class DamageLog {
  private static final Logger LOG = LoggerFactory.getLogger(DamageLog.class);

  private final Map<Long, Map<Path, Damage>> byTable = new ConcurrentHashMap<>();

  /** Records a damaged file; the first report of a file is logged. */
  public void record(Damage damage) {
    Damage earlier = byTable.computeIfAbsent(damage.collectionId(), t -> new ConcurrentHashMap<>())
        .putIfAbsent(damage.file(), damage);
    if (earlier == null) {
      LOG.error("event=file_damaged table_id={} segment={} file={} problem=\"{}\" effect={}",
          damage.collectionId(), damage.segmentId(), damage.file(), damage.problem(),
          damage.effect());
    }
  }

  /**
   * The damage that makes the table unreadable, if there is any, among the segments that {@code
   * current} accepts: a segment compacted away or dropped has its files deleted on purpose, and a
   * reader that met them half deleted found no damage of the table.
   */
  public Optional<Damage> unreadable(long collectionId, LongPredicate current) {
    Map<Path, Damage> files = byTable.get(collectionId);
    return files == null ? Optional.empty() : files.values().stream()
        .filter(d -> d.effect() == Damage.Effect.TABLE_UNREADABLE && current.test(d.segmentId()))
        .findFirst();
  }

  /** Whether any damage of the table is recorded: the cheap test before {@link #unreadable}. */
  public boolean any(long collectionId) {
    Map<Path, Damage> files = byTable.get(collectionId);
    return files != null && !files.isEmpty();
  }

  /** Forgets the table's damage, before it is loaded again and its files are read anew. */
  public void forget(long collectionId) {
    byTable.remove(collectionId);
  }

  /** Every damaged file recorded. */
  public List<Damage> all() {
    List<Damage> all = new ArrayList<>();
    byTable.values().forEach(files -> all.addAll(files.values()));
    return all;
  }
}
