package org.quiver.sql.rel;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;

/** The planner rules of Quiver, as constants. */
public final class QuiverRules {
  public static final RelOptRule VECTOR_SEARCH = VectorSearchRule.UNFILTERED.toRule();
  public static final RelOptRule VECTOR_SEARCH_FILTERED = VectorSearchRule.FILTERED.toRule();
  public static final RelOptRule FILTER_INTO_SCAN = FilterIntoScanRule.CONFIG.toRule();
  public static final RelOptRule TABLE_MODIFY = QuiverTableModifyRule.CONFIG.toRule();
  public static final RelOptRule SNAPSHOT_SCAN = SnapshotScanRule.DIRECT.toRule();
  public static final RelOptRule SNAPSHOT_PROJECT_SCAN = SnapshotScanRule.PROJECTED.toRule();
  /** In place of Calcite's EnumerableSortRule. */
  public static final RelOptRule SORT = QuiverSortRule.SORT.toRule();
  /** In place of Calcite's EnumerableLimitSortRule. */
  public static final RelOptRule LIMIT_SORT = QuiverSortRule.LIMIT_SORT.toRule();

  public static final List<RelOptRule> ALL =
      List.of(VECTOR_SEARCH, VECTOR_SEARCH_FILTERED, FILTER_INTO_SCAN, TABLE_MODIFY,
          SNAPSHOT_SCAN, SNAPSHOT_PROJECT_SCAN, SORT, LIMIT_SORT);

  private QuiverRules() {}
}
