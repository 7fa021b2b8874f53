package org.quiver.sql.rel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysType;
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
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.Quantization;
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
  private final IndexMetric metric;
  private final RexNode query;
  private final RexNode fetch;
  private final RexNode offset;
  private final RexNode filter;
  private final List<Integer> outputs;
  private final RelDataType distanceType;
  private final SearchHints hints;
  /** The partitions searched ({@code /*+ partitions(...) *}{@code /}), or null: all. */
  private final List<String> partitions;

  QuiverVectorSearch(RelOptCluster cluster, RelTraitSet traits, RelOptTable table,
      QuiverTable quiverTable, int vectorField, IndexMetric metric, RexNode query, RexNode fetch,
      RexNode offset, RexNode filter, List<Integer> outputs, RelDataType distanceType,
      SearchHints hints, List<String> partitions) {
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
    this.partitions = partitions;
  }

  /** The index the search goes through: one on the column, for the query's metric. */
  private IndexInfo index() {
    String field = quiverTable.field(vectorField).name();
    IndexMetric wanted = metric;
    for (IndexInfo index : quiverTable.session().engine().indexes(quiverTable.name())) {
      if (index.field().equals(field) && index.metric() == wanted
          && index.method() != IndexMethod.FLAT) {
        return index;
      }
    }
    return null;
  }

  private boolean exactMode() {
    String mode = hints.mode() != null ? hints.mode()
        : quiverTable.session().setting(SessionSetting.SEARCH_MODE);
    return mode.equals("exact");
  }

  /**
   * The index used, or why the search is an exact scan of every visible row, as far as the plan
   * can tell.
   */
  private String indexTerm(IndexInfo index) {
    if (exactMode()) {
      return "none: exact (search_mode = exact"
          + (hints.mode() != null ? ", from the search hint)" : ")");
    }
    String field = quiverTable.field(vectorField).name();
    String wanted = lower(metric.name());
    if (index == null) {
      for (IndexInfo other : quiverTable.session().engine().indexes(quiverTable.name())) {
        if (other.field().equals(field) && other.method() != IndexMethod.FLAT) {
          return "none: exact (index " + other.name() + " is for metric "
              + lower(other.metric().name()) + ", the query uses " + wanted + ")";
        }
      }
      return "none: exact (no index on " + field + " for metric " + wanted + ")";
    }
    return switch (index.method()) {
      case HNSW -> "hnsw index " + index.name() + " (m = " + index.m() + ", ef_construction = "
          + index.efConstruction() + (index.quantization() == Quantization.NONE ? ""
              : ", quantization = " + index.quantization().sqlName() + " ("
                  + index.quantization().codeBytes(quiverTable.field(vectorField).dimension(),
                      index.pqM()) + " bytes per vector), re-ranked exactly") + ")";
      case IVF_FLAT -> "ivf_flat index " + index.name() + " (nlist = " + index.nlist() + ")";
      case IVF_SQ8 -> "ivf_sq8 index " + index.name() + " (nlist = " + index.nlist()
          + ", one byte per dimension, re-ranked exactly)";
      case IVF_PQ -> "ivf_pq index " + index.name() + " (nlist = " + index.nlist() + ", m = "
          + index.pqM() + ", nbits = 8, re-ranked exactly)";
      case FLAT -> throw new AssertionError();
    };
  }

  /** The search width and where it comes from. */
  private String parametersTerm(IndexInfo index) {
    if (exactMode() || index == null) {
      return "exact";
    }
    Session session = quiverTable.session();
    SearchOptions widths = new SearchOptions(
        SearchExecutor.width(hints.ef(), session, SessionSetting.EF_SEARCH),
        SearchExecutor.width(hints.nprobe(), session, SessionSetting.NPROBE), false);
    if (index.method() == IndexMethod.HNSW) {
      String source = source(hints.ef(), SessionSetting.EF_SEARCH, index.efSearch());
      String floor = index.rerank() > 0
          ? "at least k + offset and the index's rerank = " + index.rerank() : "at least k + offset";
      int ef = widths.efFor(0, index);
      String reranked = index.quantization() == Quantization.NONE ? ""
          : index.rerank() > 0 && index.rerank() < ef
              ? "the " + index.rerank() + " best of the ef candidates by their codes re-ranked "
                  + "against the full vectors; "
              : "the ef best candidates by their codes re-ranked against the full vectors; ";
      return "ef = " + ef + " (" + source + "; " + floor + "); " + reranked
          + "sealed segments of at most ef * m rows, segments still without the index and "
          + "growing rows are scanned exactly";
    }
    String source = source(hints.nprobe(), SessionSetting.NPROBE, index.nprobe());
    return "nprobe = " + widths.nprobeFor(index) + " (" + source + "); segments still without "
        + "the index and growing rows are scanned exactly";
  }

  private String source(Integer hint, SessionSetting setting, int indexDefault) {
    if (hint != null) {
      return "search hint";
    }
    if (quiverTable.session().isSet(setting)) {
      return "session " + setting.settingName();
    }
    return indexDefault > 0 ? "index default" : "engine default";
  }

  /** How the filter is applied. */
  private String filterTerm(IndexInfo index) {
    if (exactMode() || index == null) {
      return "evaluated on every row during the exact scan";
    }
    if (index.method() == IndexMethod.HNSW) {
      return "pre-filter inside the graph search (rows failing it are never returned); a segment "
          + "where fewer than max(4 * (k + offset), sqrt(ef * m * rows)) rows pass is scanned "
          + "exactly";
    }
    return "pre-filter while scanning the probed lists, nprobe grown by 1 / the share of rows "
        + "passing; a segment where few rows pass is scanned exactly";
  }

  /**
   * The distance the search orders by, as EXPLAIN names it: the operator's distance, so the
   * negated inner product of {@code <#>} rather than the index metric IP that ranks alike.
   */
  private static String distanceName(IndexMetric metric) {
    return metric == IndexMetric.IP ? "negative_dot" : lower(metric.name());
  }

  private static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
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
    IndexInfo index = index();
    return super.explainTerms(pw)
        .item("table", table.getQualifiedName())
        .item("vector", quiverTable.field(vectorField).name())
        .item("metric", distanceName(metric))
        .item("query", query)
        .itemIf("per_row_of", VectorSearchRule.isCorrelated(query)
            ? ((RexFieldAccess) query).getReferenceExpr() : null, VectorSearchRule.isCorrelated(query))
        .item("k", fetch)
        .itemIf("offset", offset, offset != null)
        .itemIf("filter", filter, filter != null)
        .itemIf("asOf", quiverTable.asOf(), quiverTable.asOf() != null)
        .itemIf("partitions", partitions, partitions != null)
        .item("index", indexTerm(index))
        .item("search", parametersTerm(index))
        .itemIf("filter_strategy", filter == null ? null : filterTerm(index), filter != null)
        .itemIf("query_nodes", queryNodesTerm(), isCluster())
        .item("outputs", outputs.stream().map(i -> quiverTable.field(i).name()).toList());
  }

  private boolean isCluster() {
    return quiverTable.session().engine().config().remoteQueryNodes();
  }

  /**
   * Where the search runs in a cluster: the live query nodes share the table's segments out, each
   * searches its part (the node named with the growing rows searches those too), and the
   * coordinator merges their top k.
   */
  private String queryNodesTerm() {
    Engine engine = quiverTable.session().engine();
    List<String> nodes = engine.queryNodes();
    if (nodes.isEmpty()) {
      return "none up (the search fails with 55000)";
    }
    Map<String, Integer> segments = new TreeMap<>();
    nodes.forEach(n -> segments.put(n, 0));
    CollectionInfo table = quiverTable.info();
    for (SegmentInfo s : engine.segments(table.name())) {
      engine.queryNodeOf(s.id()).ifPresent(n -> segments.merge(n, 1, Integer::sum));
    }
    String growing = engine.growingQueryNodeOf(table).orElse(null);
    StringBuilder parts = new StringBuilder();
    segments.forEach((node, count) -> parts.append(parts.isEmpty() ? "" : ", ").append(node)
        .append(": ").append(count).append(count == 1 ? " segment" : " segments")
        .append(node.equals(growing) ? " and the growing rows" : ""));
    return nodes.size() + (nodes.size() == 1 ? " node [" : " nodes [") + parts
        + "], top k merged";
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
    PhysType physType = RowFormats.physType(implementor, getRowType());
    FilterTranslator translator = new FilterTranslator(quiverTable, getCluster().getRexBuilder());
    List<FieldSchema> outputFields = outputs.stream().map(quiverTable::field).toList();
    SearchExecutor executor = new SearchExecutor(quiverTable, quiverTable.field(vectorField),
        metric, query, fetch, offset, filter == null ? null : translator.translate(filter),
        outputFields, hints, partitions);
    Expression exec = implementor.stash(executor, SearchExecutor.class);
    if (VectorSearchRule.isCorrelated(query)) {
      // A search per outer row: the vector is read from the row the correlate is at.
      RexFieldAccess access = (RexFieldAccess) query;
      BlockBuilder block = new BlockBuilder();
      Expression vector = implementor
          .getCorrelVariableGetter(((RexCorrelVariable) access.getReferenceExpr()).getName())
          .field(block, access.getField().getIndex(), Object.class);
      block.add(RowFormats.shape(physType, Expressions.call(exec, "execute", DataContext.ROOT,
          Expressions.convert_(vector, Object.class))));
      return implementor.result(physType, block.toBlock());
    }
    return implementor.result(physType,
        Blocks.toBlock(RowFormats.shape(physType,
            Expressions.call(exec, "execute", DataContext.ROOT))));
  }
}
