package org.quiver.sql.prepare;

import java.util.List;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.plan.Context;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexShuttle;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.sql.rel.VectorSearchRule;

/**
 * Keeps a query's correlations when it searches once per row of another relation, as in
 * {@code FROM queries q, LATERAL (SELECT id FROM items ORDER BY items.v <-> q.v LIMIT 3)} or a
 * scalar sub-query ordered by the distance to an outer column.
 *
 * <p>Calcite's decorrelator would rewrite such a top-k into a cross join of both tables ranked by
 * ROW_NUMBER: correct, but an exact scan of the whole table for every outer row. Left
 * correlated, the planner runs the inner side per outer row (EnumerableCorrelate), where
 * {@link VectorSearchRule} turns it into an engine search with the outer row's vector.
 * Decorrelation is skipped for the whole statement then; sub-queries of other shapes in the same
 * statement run as nested loops, which is correct, if slower.
 *
 * <p>One instance belongs to the planner of one statement, as part of its context: it decides once
 * the statement is converted, and Calcite's optimizer program reads the decision through the
 * planner's context.
 */
final class PerRowSearch implements Context {
  private final CalciteConnectionConfigImpl config;
  /**
   * The connection's configuration with decorrelation turned off, once the statement this planner
   * plans is found to keep its correlations; null until then.
   */
  private CalciteConnectionConfig keepingCorrelations;

  PerRowSearch(CalciteConnectionConfigImpl config) {
    this.config = config;
  }

  /**
   * Decides for the statement whose relational tree is {@code root}: true when it keeps its
   * correlations, and then Calcite's optimizer program, which decorrelates a second time if the
   * planner's configuration says so, reads a configuration that does not.
   */
  boolean keepCorrelations(RelNode root) {
    if (!contains(root)) {
      return false;
    }
    keepingCorrelations = config.set(CalciteConnectionProperty.FORCE_DECORRELATE, "false");
    return true;
  }

  /**
   * This object, and while the statement keeps its correlations the configuration that says so;
   * otherwise nothing, so that the planner's context goes on to the connection's configuration.
   */
  @Override
  public <C> @Nullable C unwrap(Class<C> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return type == CalciteConnectionConfig.class ? type.cast(keepingCorrelations) : null;
  }

  /** Whether some node of the tree, or of its sub-queries, is a per-row top-k by distance. */
  private static boolean contains(RelNode node) {
    if (isPerRowTopK(node)) {
      return true;
    }
    boolean[] found = {false};
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        found[0] |= contains(subQuery.rel);
        return subQuery;
      }
    });
    if (found[0]) {
      return true;
    }
    for (RelNode input : node.getInputs()) {
      if (contains(input)) {
        return true;
      }
    }
    return false;
  }

  /** {@code Sort(fetch, by distance asc) - Project(.., v <-> $cor.x, ..)}. */
  private static boolean isPerRowTopK(RelNode node) {
    if (!(node instanceof Sort sort) || sort.fetch == null
        || !(sort.getInput() instanceof LogicalProject project)) {
      return false;
    }
    List<RelFieldCollation> keys = sort.getCollation().getFieldCollations();
    if (keys.size() != 1 || keys.get(0).getDirection() != RelFieldCollation.Direction.ASCENDING) {
      return false;
    }
    RexNode key = project.getProjects().get(keys.get(0).getFieldIndex());
    return key instanceof RexCall call && VectorSearchRule.isDistance(call)
        && call.getOperands().stream().anyMatch(VectorSearchRule::isCorrelated);
  }
}
