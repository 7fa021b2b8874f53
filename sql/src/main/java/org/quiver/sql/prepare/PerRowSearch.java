package org.quiver.sql.prepare;

import java.lang.reflect.Proxy;
import java.util.List;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexShuttle;
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
 */
final class PerRowSearch {
  /** Whether the statement being prepared on this thread keeps its correlations. */
  private static final ThreadLocal<Boolean> KEEP = ThreadLocal.withInitial(() -> false);

  private PerRowSearch() {}

  static boolean keepCorrelations() {
    return KEEP.get();
  }

  /** Decides for the statement whose relational tree is {@code root}. */
  static boolean decide(RelNode root) {
    boolean keep = contains(root);
    KEEP.set(keep);
    return keep;
  }

  static void forget() {
    KEEP.remove();
  }

  /**
   * The connection's configuration, except that it turns decorrelation off while the statement
   * keeps its correlations (Calcite's optimizer program decorrelates a second time, reading this).
   */
  static CalciteConnectionConfig config(CalciteConnectionConfig config) {
    return (CalciteConnectionConfig) Proxy.newProxyInstance(
        PerRowSearch.class.getClassLoader(), new Class<?>[] {CalciteConnectionConfig.class},
        (proxy, method, args) -> {
          if (method.getName().equals("forceDecorrelate") && keepCorrelations()) {
            return false;
          }
          try {
            return method.invoke(config, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
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
