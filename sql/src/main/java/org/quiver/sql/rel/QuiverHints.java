package org.quiver.sql.rel;

import java.util.List;
import org.apache.calcite.rel.hint.HintPredicates;
import org.apache.calcite.rel.hint.HintStrategyTable;
import org.apache.calcite.rel.hint.RelHint;

/**
 * Quiver's hints and where Calcite attaches them: {@code /*+ search(ef = 64) *}{@code /} after
 * SELECT is a hint of its query block, which Calcite hands down to the table scans of that block
 * (a nested block's own hint is nearer to its scans); {@code /*+ partitions(p1, p2) *}{@code /}
 * after a table name is a hint of that table's scan alone. Rules read them from the scan, so each
 * query block and each table reference keeps its own.
 */
public final class QuiverHints {
  public static final String SEARCH = "search";
  public static final String PARTITIONS = "partitions";

  /** The strategies given to Calcite's SqlToRelConverter; hints not listed here are dropped. */
  public static final HintStrategyTable STRATEGIES = HintStrategyTable.builder()
      .hintStrategy(SEARCH, HintPredicates.TABLE_SCAN)
      .hintStrategy(PARTITIONS, HintPredicates.TABLE_SCAN)
      .build();

  private QuiverHints() {}

  /**
   * The partitions named by the table's own {@code partitions} hint among {@code hints}, or null:
   * all partitions.
   */
  static List<String> partitions(List<RelHint> hints) {
    for (RelHint hint : hints) {
      if (hint.hintName.equalsIgnoreCase(PARTITIONS) && hint.inheritPath.isEmpty()) {
        return List.copyOf(hint.listOptions);
      }
    }
    return null;
  }
}
