package org.quiver.sql.rel;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexNode;
import org.quiver.engine.querynode.Metric;
import org.quiver.engine.querynode.SearchOptions;
import org.quiver.engine.rootcoord.IndexInfo;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.SessionSetting;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.FieldSchema;

/**
 * k-nearest-neighbour search executed by the engine: the rows of {@code table} nearest to a query
 * vector by {@code metric}, among those passing {@code filter}, nearest first. Its rows are the
 * {@code outputs} columns followed by the distance.
 */
public final class QuiverVectorSearch extends AbstractRelNode implements EnumerableRel {
  private final RelOptTable table;
  private final QuiverTable quiverTable;
  private final int vectorField;
  private final Metric metric;
  private final RexNode query;
  private final RexNode fetch;
  private final RexNode offset;
  private final RexNode filter;
  private final List<Integer> outputs;
  private final RelDataType distanceType;
  private final SearchHints hints;

  QuiverVectorSearch(RelOptCluster cluster, RelTraitSet traits, RelOptTable table,
      QuiverTable quiverTable, int vectorField, Metric metric, RexNode query, RexNode fetch,
      RexNode offset, RexNode filter, List<Integer> outputs, RelDataType distanceType,
      SearchHints hints) {
    super(cluster, traits);
    this.table = table;
    this.quiverTable = quiverTable;
    this.vectorField = vectorField;
    this.metric = metric;
    this.query = query;
    this.fetch = fetch;
    this.offset = offset;
    this.filter = filter;
    this.outputs = List.copyOf(outputs);
    this.distanceType = distanceType;
    this.hints = hints;
  }

  /** How IVF searches treat filters, for EXPLAIN. */
  private static final String IVF_FILTERS = "under a filter nprobe grows by 1 / the share of rows "
      + "passing, and filters few rows pass are scanned exactly";

  /**
   * How the search will run, as far as the plan can tell: through the index of the query's
   * metric (segment by segment, where it is built; growing rows and segments without it are
   * scanned exactly), or exactly.
   */
  private String strategy() {
    String mode = hints.mode() != null ? hints.mode()
        : quiverTable.session().setting(SessionSetting.SEARCH_MODE);
    if (mode.equals("exact")) {
      return "exact (search_mode = exact)";
    }
    String field = quiverTable.field(vectorField).name();
    IndexMetric wanted = SearchExecutor.indexMetric(metric);
    List<IndexInfo> indexes = quiverTable.session().proxy().indexes(quiverTable.name());
    for (IndexInfo index : indexes) {
      if (!index.field().equals(field) || index.metric() != wanted
          || index.method() == IndexMethod.FLAT) {
        continue;
      }
      SearchOptions widths = new SearchOptions(
          SearchExecutor.width(hints.ef(), quiverTable.session(), SessionSetting.EF_SEARCH),
          SearchExecutor.width(hints.nprobe(), quiverTable.session(), SessionSetting.NPROBE),
          false);
      return switch (index.method()) {
        case HNSW -> "hnsw index " + index.name() + " (m = " + index.m() + ", ef = "
            + widths.efFor(0, index) + "); segments of at most ef * m rows, and filters few rows "
            + "pass, are scanned exactly";
        case IVF_FLAT -> "ivf_flat index " + index.name() + " (nlist = " + index.nlist()
            + ", nprobe = " + widths.nprobeFor(index) + "); " + IVF_FILTERS;
        case IVF_PQ -> "ivf_pq index " + index.name() + " (nlist = " + index.nlist() + ", m = "
            + index.pqM() + ", nbits = 8, nprobe = " + widths.nprobeFor(index)
            + ", re-ranked exactly); " + IVF_FILTERS;
        case FLAT -> throw new AssertionError();
      };
    }
    String lower = wanted.name().toLowerCase(java.util.Locale.ROOT);
    for (IndexInfo index : indexes) {
      if (index.field().equals(field) && index.method() != IndexMethod.FLAT) {
        return "exact (index " + index.name() + " is for metric "
            + index.metric().name().toLowerCase(java.util.Locale.ROOT) + ", the query uses "
            + lower + ")";
      }
    }
    return "exact (no index for metric " + lower + ")";
  }

  @Override
  protected RelDataType deriveRowType() {
    RelDataTypeFactory.Builder b = getCluster().getTypeFactory().builder();
    List<org.apache.calcite.rel.type.RelDataTypeField> fields = table.getRowType().getFieldList();
    for (int i : outputs) {
      b.add(fields.get(i));
    }
    b.add("distance", distanceType);
    return b.uniquify().build();
  }

  @Override
  public RelOptTable getTable() {
    return table;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("table", table.getQualifiedName())
        .item("vector", quiverTable.field(vectorField).name())
        .item("metric", metric.name().toLowerCase(java.util.Locale.ROOT))
        .item("query", query)
        .itemIf("per_row_of", VectorSearchRule.isCorrelated(query)
            ? ((RexFieldAccess) query).getReferenceExpr() : null, VectorSearchRule.isCorrelated(query))
        .item("k", fetch)
        .itemIf("offset", offset, offset != null)
        .itemIf("filter", filter, filter != null)
        .itemIf("asOf", quiverTable.asOf(), quiverTable.asOf() != null)
        .item("strategy", strategy())
        .item("outputs", outputs.stream().map(i -> quiverTable.field(i).name()).toList());
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return 10;
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return planner.getCostFactory().makeTinyCost();
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = PhysTypeImpl.of(
        implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY, false);
    FilterTranslator translator = new FilterTranslator(quiverTable, getCluster().getRexBuilder());
    List<FieldSchema> outputFields = outputs.stream().map(quiverTable::field).toList();
    SearchExecutor executor = new SearchExecutor(quiverTable, quiverTable.field(vectorField),
        metric, query, fetch, offset, filter == null ? null : translator.translate(filter),
        outputFields, hints);
    Expression exec = implementor.stash(executor, SearchExecutor.class);
    if (VectorSearchRule.isCorrelated(query)) {
      // A search per outer row: the vector is read from the row the correlate is at.
      RexFieldAccess access = (RexFieldAccess) query;
      BlockBuilder block = new BlockBuilder();
      Expression vector = implementor
          .getCorrelVariableGetter(((RexCorrelVariable) access.getReferenceExpr()).getName())
          .field(block, access.getField().getIndex(), Object.class);
      block.add(Expressions.call(exec, "execute", DataContext.ROOT,
          Expressions.convert_(vector, Object.class)));
      return implementor.result(physType, block.toBlock());
    }
    return implementor.result(physType,
        Blocks.toBlock(Expressions.call(exec, "execute", DataContext.ROOT)));
  }
}
