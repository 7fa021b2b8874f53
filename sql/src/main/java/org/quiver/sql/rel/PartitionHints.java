package org.quiver.sql.rel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;

/**
 * The partitions named by {@code /*+ partitions(p1, ...) *}{@code /} hints after table names in
 * the statement being planned on this thread, by table. A scan or search of a hinted table reads
 * only those partitions; an INSERT or UPSERT into a hinted table writes into its one partition.
 * Like {@link SearchHints}, they are read from the parse tree (by the parse-tree checks, which
 * validate them) and handed to the planner rules through the planning thread.
 */
public final class PartitionHints {
  private static final ThreadLocal<Map<String, List<String>>> CURRENT =
      ThreadLocal.withInitial(HashMap::new);
  /** The hint on the target table of an INSERT or UPSERT, by table. */
  private static final ThreadLocal<Map<String, List<String>>> TARGET =
      ThreadLocal.withInitial(HashMap::new);

  private PartitionHints() {}

  /** Records the partitions hinted on the target table of an INSERT or UPSERT. */
  public static void rememberTarget(String table, List<String> partitions) {
    TARGET.get().put(table, List.copyOf(partitions));
  }

  /** The partitions hinted on the target {@code table} of the INSERT being planned, or null. */
  static List<String> target(String table) {
    return TARGET.get().get(table);
  }

  /**
   * Records the partitions hinted for a {@code table} the statement reads; a table hinted twice
   * must name the same.
   */
  public static void remember(String table, List<String> partitions) {
    List<String> before = CURRENT.get().putIfAbsent(table, List.copyOf(partitions));
    if (before != null && !before.equals(partitions)) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "table \"%s\" is hinted with different partitions %s and %s in one statement",
          table, before, partitions);
    }
  }

  /** The partitions hinted for {@code table} in the statement being planned, or null: all. */
  static List<String> of(String table) {
    return CURRENT.get().get(table);
  }

  public static void forget() {
    CURRENT.remove();
    TARGET.remove();
  }
}
