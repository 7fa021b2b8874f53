package org.quiver.sql.rel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.quiver.grammar.QuiverNames;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.sql.type.BitCasts;
import org.quiver.sql.type.SparsevecCasts;
import org.quiver.sql.schema.QuiverTable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.DataType;

/**
 * Turns {@code ORDER BY <distance> LIMIT k} over a Quiver table, optionally filtered, into a
 * {@link QuiverVectorSearch} that the engine executes, with the filter, k and offset pushed down:
 *
 * <pre>Sort(fetch k, by distance) - Project(.., v <-> q, ..) - [Filter] - QuiverTableScan</pre>
 *
 * becomes {@code Project(..) - QuiverVectorSearch}. It applies only when the whole filter can be
 * pushed, the sort key is the distance alone, ascending, between a vector column and a constant
 * (a literal or a parameter) or a column of an outer row (a search per row, under a correlate).
 */
public final class VectorSearchRule extends RelRule<QuiverRuleConfig> {
  static final QuiverRuleConfig FILTERED = QuiverRuleConfig.of("VectorSearchRule(filtered)",
      b0 -> b0.operand(LogicalSort.class).oneInput(b1 ->
          b1.operand(LogicalProject.class).oneInput(b2 ->
              b2.operand(LogicalFilter.class).oneInput(b3 ->
                  b3.operand(QuiverTableScan.class)
                      .predicate(s -> s.condition() == null && s.fallback() == null)
                      .noInputs()))),
      VectorSearchRule::new);

  static final QuiverRuleConfig UNFILTERED = QuiverRuleConfig.of("VectorSearchRule",
      b0 -> b0.operand(LogicalSort.class).oneInput(b1 ->
          b1.operand(LogicalProject.class).oneInput(b2 ->
              b2.operand(QuiverTableScan.class)
                  .predicate(s -> s.condition() == null && s.fallback() == null)
                  .noInputs())),
      VectorSearchRule::new);

  private VectorSearchRule(QuiverRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalSort sort = call.rel(0);
    LogicalProject project = call.rel(1);
    LogicalFilter filter = call.rels.length == 4 ? call.rel(2) : null;
    QuiverTableScan scan = call.rel(call.rels.length - 1);

    List<RelFieldCollation> keys = sort.getCollation().getFieldCollations();
    if (keys.isEmpty()) {
      return;
    }
    RexNode key = project.getProjects().get(keys.get(0).getFieldIndex());
    if (!(key instanceof RexCall distance) || searchMetric(distance) == null) {
      return;
    }
    RexNode a = withoutCast(distance.getOperands().get(0));
    RexNode b = withoutCast(distance.getOperands().get(1));
    RexInputRef column = a instanceof RexInputRef r ? r : b instanceof RexInputRef r2 ? r2 : null;
    RexNode query = column == a ? b : a;
    DataType columnType = column == null ? null
        : scan.quiverTable().field(column.getIndex()).type();
    boolean bits = isBitDistance(distance);
    boolean sparse = columnType == DataType.SPARSE_FLOAT_VECTOR && !bits;
    if (columnType == null || (bits ? columnType != DataType.BINARY_VECTOR
        : !columnType.isVector() && !sparse)) {
      return;
    }
    RexBuilder rex = sort.getCluster().getRexBuilder();
    IndexMetric metric = searchMetric(distance);
    RexNode fetch = sort.fetch;
    if (fetch == null) {
      // Without a LIMIT every row is ranked exactly, unless enable_seqscan is off and an index
      // serves the distance: then, as PostgreSQL scans pgvector's index, the index's search
      // gives its rows (rows without a vector are not in it).
      Integer width = indexScanWidth(scan.quiverTable(), column.getIndex(), metric);
      if (width == null) {
        return;
      }
      fetch = rex.makeExactLiteral(BigDecimal.valueOf(width));
    }
    String reason = null;
    if (sparse && !hasIndex(scan.quiverTable(), column.getIndex(), metric)) {
      // pgvector's answer without an index: every row ranked, NaN distances (a cosine with a zero
      // vector) and NULL last, as only an exact sort in Calcite gives; the engine's search is
      // pgvector's index scan, which leaves rows of no distance out.
      reason = "no index on sparse vector column "
          + scan.quiverTable().field(column.getIndex()).name() + " for metric "
          + metric.name().toLowerCase(Locale.ROOT);
    } else if (keys.get(0).getDirection() != RelFieldCollation.Direction.ASCENDING) {
      reason = "ORDER BY distance DESC asks for the farthest rows, not a nearest-neighbour search";
    } else if (keys.size() != 1) {
      reason = "the sort has keys besides the distance";
    } else if (!(FilterTranslator.isConstant(query)
        || (bits ? isConstantBits(query) : !sparse && isCorrelated(query)))) {
      reason = "the query vector is not a constant, a parameter or a column of an outer row";
    } else if (!FilterTranslator.isConstant(fetch)
        || (sort.offset != null && !FilterTranslator.isConstant(sort.offset))) {
      reason = "LIMIT or OFFSET is not a constant or a parameter";
    } else if (filter != null
        && new FilterTranslator(scan.quiverTable(), rex).translate(filter.getCondition()) == null) {
      reason = "the WHERE clause has a part the engine cannot evaluate, so the engine cannot "
          + "rank only the rows that pass it";
    }
    if (reason != null && sort.fetch == null) {
      // An ORDER BY without a LIMIT that the index cannot serve stays Calcite's exact sort.
      return;
    }
    if (reason != null) {
      // Still correct, in Calcite over an exact scan: EXPLAIN says why on the scan.
      RelNode input = scan.withFallback("exact scan sorted in Calcite: " + reason);
      if (filter != null) {
        input = filter.copy(filter.getTraitSet(), List.of(input));
      }
      if (bits || sparse) {
        // A top k kept as the rows stream by (QuiverLimitSort, whose comparator takes a distance's
        // NaN and infinities), rather than every row sorted and then cut, with the query's text
        // read once per statement.
        RelNode projected = project.copy(project.getTraitSet(), input,
            withQueryValue(project.getProjects(), distance, rex, sparse), project.getRowType());
        call.transformTo(QuiverLimitSort.create(convert(projected,
                projected.getTraitSet().replace(EnumerableConvention.INSTANCE)),
            sort.getCollation(), sort.offset, sort.fetch));
        return;
      }
      call.transformTo(sort.copy(sort.getTraitSet(),
          List.of(project.copy(project.getTraitSet(), List.of(input)))));
      return;
    }

    // The search returns the columns the projection uses (apart from inside the distance itself),
    // then the distance; the projection is rebuilt over that row.
    TreeSet<Integer> used = new TreeSet<>();
    RexVisitorImpl<Void> finder = new RexVisitorImpl<>(true) {
      @Override
      public Void visitInputRef(RexInputRef ref) {
        used.add(ref.getIndex());
        return null;
      }

      @Override
      public Void visitCall(RexCall c) {
        return c.equals(distance) ? null : super.visitCall(c);
      }
    };
    project.getProjects().forEach(e -> e.accept(finder));
    List<Integer> outputs = new ArrayList<>(used);

    // Rows come back nearest first: declare it, so the planner adds no sort above the search.
    RelTraitSet traits = scan.getTraitSet().replaceIf(RelCollationTraitDef.INSTANCE,
        () -> RelCollations.of(outputs.size()));
    QuiverVectorSearch search = new QuiverVectorSearch(sort.getCluster(), traits,
        scan.getTable(), scan.quiverTable(), column.getIndex(), metric, query,
        fetch, sort.offset, filter == null ? null : filter.getCondition(), outputs,
        distance.getType(), SearchHints.of(scan.getHints()), scan.partitions());

    RexInputRef distanceRef = rex.makeInputRef(distance.getType(), outputs.size());
    RexShuttle remap = new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return rex.makeInputRef(ref.getType(), outputs.indexOf(ref.getIndex()));
      }

      @Override
      public RexNode visitCall(RexCall c) {
        return c.equals(distance) ? distanceRef : super.visitCall(c);
      }
    };
    List<RexNode> exprs = project.getProjects().stream().map(e -> e.accept(remap)).toList();
    call.transformTo(call.builder().push(search)
        .project(exprs, project.getRowType().getFieldNames(), true)
        .build());
  }

  /**
   * {@code exprs} with a text operand of the bit-string or sparse vector distance {@code distance}
   * ({@code b <~> '101'}) read as a bit string or a sparse vector once per statement rather than
   * once per row: the distance functions take text as well, but would parse it for every row.
   */
  private static List<RexNode> withQueryValue(List<RexNode> exprs, RexCall distance,
      RexBuilder rex, boolean sparse) {
    BitSqlType anyLength = (BitSqlType) BitSqlType.of(rex.getTypeFactory(),
        BitSqlType.ANY_LENGTH);
    SparsevecSqlType anyDimension = (SparsevecSqlType) SparsevecSqlType.of(rex.getTypeFactory(),
        SparsevecSqlType.ANY_DIMENSION);
    RexShuttle cast = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall c) {
        if (!c.equals(distance)) {
          return super.visitCall(c);
        }
        List<RexNode> operands = new ArrayList<>();
        for (RexNode operand : c.getOperands()) {
          RexNode inner = withoutCast(operand);
          operands.add(inner instanceof RexLiteral literal
              && SqlTypeUtil.isCharacter(literal.getType())
              ? sparse ? SparsevecCasts.cast(rex, anyDimension, inner)
                  : BitCasts.cast(rex, anyLength, inner)
              : operand);
        }
        return c.clone(c.getType(), operands);
      }
    };
    return exprs.stream().map(e -> e.accept(cast)).toList();
  }

  /**
   * Whether {@code rex} is a bit string made of constants: {@code B'101'} and
   * {@code CAST(x AS BIT(n))} are {@code bit_in(x, n)}, which {@link SearchExecutor} evaluates.
   */
  static boolean isConstantBits(RexNode rex) {
    return rex instanceof RexCall c && c.getOperator() == BitCasts.TO_BIT
        && c.getOperands().stream().allMatch(FilterTranslator::isConstant);
  }

  /** Whether {@code call} is one of the distances of bit strings, {@code <~>} and {@code <%>}. */
  private static boolean isBitDistance(RexCall call) {
    return bitMetric(call) != null;
  }

  /** The metric of a distance of bit strings (HAMMING for {@code <~>}, JACCARD for {@code <%>}). */
  private static IndexMetric bitMetric(RexCall call) {
    if (call.getOperands().size() != 2) {
      return null;
    }
    return switch (call.getOperator().getName().toLowerCase(Locale.ROOT)) {
      case QuiverNames.HAMMING_DISTANCE_FUNCTION -> IndexMetric.HAMMING;
      case QuiverNames.JACCARD_DISTANCE_FUNCTION -> IndexMetric.JACCARD;
      default -> null;
    };
  }

  /** The metric the engine searches {@code call}'s distance by: of vectors or of bit strings. */
  private static IndexMetric searchMetric(RexCall call) {
    IndexMetric metric = metric(call);
    return metric != null ? metric : bitMetric(call);
  }

  /**
   * Whether the table has an index (other than FLAT) on column {@code field} for {@code metric}:
   * a sparse vector k-NN goes to the engine only then.
   */
  /**
   * The rows an index search gives for an ORDER BY without a LIMIT when enable_seqscan is off and
   * an index of {@code metric} is on the column, else null: for HNSW the session's ef_search (or,
   * with hnsw.iterative_scan, every row the search can rank), as pgvector's HNSW scan; for IVF
   * every row the search can rank, at least the rows of the lists pgvector's scan would probe.
   */
  private static @Nullable Integer indexScanWidth(QuiverTable table, int field,
      IndexMetric metric) {
    Session session = table.session();
    if (!session.setting(SessionSetting.ENABLE_SEQSCAN).equals("off")) {
      return null;
    }
    List<IndexMethod> methods = indexMethods(table, field, metric);
    if (methods.isEmpty()) {
      return null;
    }
    // pgvector's iterative scan goes on past ef_search through the whole index (up to its
    // hnsw.max_scan_tuples); Quiver's search ranks at most MAX_DEPTH rows.
    boolean efBound = methods.contains(IndexMethod.HNSW)
        && session.setting(SessionSetting.HNSW_ITERATIVE_SCAN).equals("off");
    return efBound ? Integer.valueOf(session.setting(SessionSetting.EF_SEARCH))
        : SearchRequest.MAX_DEPTH;
  }

  private static boolean hasIndex(QuiverTable table, int field, IndexMetric metric) {
    return !indexMethods(table, field, metric).isEmpty();
  }

  /** The methods of the indexes (not FLAT) that serve {@code metric} on column {@code field}. */
  private static List<IndexMethod> indexMethods(QuiverTable table, int field,
      IndexMetric metric) {
    String name = table.field(field).name();
    return table.session().engine().indexes(table.name()).stream()
        .filter(i -> i.field().equals(name) && i.metric() == metric
            && i.method() != IndexMethod.FLAT)
        .map(i -> i.method()).toList();
  }

  /** Whether {@code call} is one of the four distance operators of float vectors. */
  public static boolean isDistance(RexCall call) {
    return metric(call) != null;
  }

  /**
   * Whether {@code rex} is a column of the current row of an outer relation ({@code q.v} inside
   * {@code LATERAL}): the search then runs once per outer row, with that row's vector.
   */
  public static boolean isCorrelated(RexNode rex) {
    return rex instanceof RexFieldAccess access
        && access.getReferenceExpr() instanceof RexCorrelVariable;
  }

  private static IndexMetric metric(RexCall call) {
    if (call.getOperands().size() != 2) {
      return null;
    }
    return switch (call.getOperator().getName().toLowerCase(Locale.ROOT)) {
      case QuiverNames.L2_DISTANCE_FUNCTION -> IndexMetric.L2;
      case QuiverNames.COSINE_DISTANCE_FUNCTION -> IndexMetric.COSINE;
      case QuiverNames.NEGATIVE_INNER_PRODUCT_FUNCTION -> IndexMetric.IP;
      case QuiverNames.L1_DISTANCE_FUNCTION -> IndexMetric.L1;
      default -> null;
    };
  }

  /**
   * The operand without Calcite's casts to the distance function's parameter type (Object, as it
   * takes a vector, an array or text): a cast that changes no value.
   */
  private static RexNode withoutCast(RexNode operand) {
    while (operand instanceof RexCall c && c.getKind() == org.apache.calcite.sql.SqlKind.CAST
        && org.apache.calcite.rel.type.RelDataTypeFactoryImpl.isJavaType(c.getType())) {
      operand = c.getOperands().get(0);
    }
    return operand;
  }
}
