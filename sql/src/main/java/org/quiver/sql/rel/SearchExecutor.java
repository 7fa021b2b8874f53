package org.quiver.sql.rel;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.jdbc.BitValue;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.sql.schema.QuiverTable;
import org.quiver.sql.schema.Session;
import org.quiver.sql.schema.SessionSetting;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.sql.type.BitCasts;
import org.quiver.sql.type.SparsevecCasts;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Runs a {@link QuiverVectorSearch} at execution time: binds the query vector (bit string, sparse
 * vector), k,
 * offset and the filter's parameters, and asks the engine for the k nearest rows.
 */
public final class SearchExecutor {
  private final QuiverTable table;
  private final FieldSchema vectorField;
  private final IndexMetric metric;
  private final RexNode query;
  private final RexNode fetch;
  private final RexNode offset;
  private final Expr filter;
  private final List<FieldSchema> outputs;
  private final SearchHints hints;
  /** The partitions searched ({@code /*+ partitions(...) *}{@code /}), or null: all. */
  private final List<String> partitions;
  /** The names of {@link #outputs}, and the query vector's type: the same for every execution. */
  private final List<String> outputNames;
  private final FieldSchema queryField;

  SearchExecutor(QuiverTable table, FieldSchema vectorField, IndexMetric metric, RexNode query,
      RexNode fetch, RexNode offset, Expr filter, List<FieldSchema> outputs, SearchHints hints,
      List<String> partitions) {
    this.table = table;
    this.vectorField = vectorField;
    this.metric = metric;
    this.query = query;
    this.fetch = fetch;
    this.offset = offset;
    this.filter = filter;
    this.outputs = outputs;
    this.hints = hints;
    this.partitions = partitions;
    this.outputNames = outputs.stream().map(FieldSchema::name).toList();
    this.queryField = new FieldSchema(-1, "query vector", vectorField.type(),
        vectorField.dimension(), false, false);
  }

  /**
   * The statement's search hint, else the session's settings where SET, else 0: the index's own
   * default (CREATE INDEX ... WITH (ef_search = ..., nprobe = ...)), else the engine's, which are
   * the settings' defaults.
   */
  private SearchOptions options() {
    Session session = table.session();
    String mode = hints.mode() != null ? hints.mode() : session.setting(SessionSetting.SEARCH_MODE);
    return new SearchOptions(width(hints.ef(), session, SessionSetting.EF_SEARCH),
        width(hints.nprobe(), session, SessionSetting.NPROBE), mode.equals("exact"));
  }

  /** A search width: the hint's, else the session's if SET, else 0 (the index's default). */
  static int width(Integer hint, Session session, SessionSetting setting) {
    if (hint != null) {
      return hint;
    }
    return session.isSet(setting) ? Integer.parseInt(session.setting(setting)) : 0;
  }

  public Enumerable<Object[]> execute(DataContext context) {
    if (VectorSearchRule.isConstantBits(query)) {
      // B'101' or CAST(x AS BIT(n)): bit_in(x, n) on constants, evaluated once per execution.
      List<RexNode> operands = ((RexCall) query).getOperands();
      Object length = FilterTranslator.constant(operands.get(1), context);
      return execute(context, BitCasts.toBit(FilterTranslator.constant(operands.get(0), context),
          ((Number) length).intValue()));
    }
    return execute(context, FilterTranslator.constant(query, context));
  }

  /**
   * Searches with the query {@code q} (a vector, text or float[]; for a BIT column a bit string or
   * its text; for a SPARSEVEC column a sparse vector or its text; null finds nothing).
   */
  public Enumerable<Object[]> execute(DataContext context, Object q) {
    if (q == null) {
      return Linq4j.emptyEnumerable();
    }
    SearchVector vector = metric.isBinary() ? bits(q)
        : vectorField.type() == DataType.SPARSE_FLOAT_VECTOR ? sparse(q)
        : new SearchVector.Floats((float[]) SqlTypes.toEngine(queryField, q, 1));
    int k = count(fetch, context, "LIMIT");
    int skip = offset == null ? 0 : count(offset, context, "OFFSET");
    if (k == 0) {
      return Linq4j.emptyEnumerable();
    }
    ResultRows result = table.session().engine().search(new SearchRequest(table.name(),
        vectorField.name(), vector, metric, k, skip, FilterTranslator.bind(filter, context),
        outputNames, options(), partitions), table.readOptions(context));
    int width = outputs.size();
    List<Object[]> rows = new ArrayList<>(result.rowCount());
    for (int r = 0; r < result.rowCount(); r++) {
      Object[] row = SqlTypes.toSql(outputs, result, r, width + 1);
      double distance = result.distances()[r];
      // NaN: a row whose vector is NULL, ranked last by a search without an index.
      row[width] = Double.isNaN(distance) ? null : distance;
      rows.add(row);
    }
    return QueryGuard.guard(Linq4j.asEnumerable(rows), context, table.session());
  }

  /**
   * The query sparse vector (a sparsevec or its text), of the column's dimension: 22000 naming
   * both dimensions otherwise, as pgvector's distances of sparsevecs fail.
   */
  private SearchVector sparse(Object q) {
    SparseVectorValue v = SparsevecCasts.sparse(q);
    if (v.dimension() != vectorField.dimension()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION,
          "different sparsevec dimensions %d and %d", vectorField.dimension(), v.dimension());
    }
    return new SearchVector.Sparse(v.dimension(), v.indices(), v.values());
  }

  /**
   * The query bit string, of the column's length: 22000 naming both lengths otherwise, as
   * {@code <~>} and {@code <%>} fail for strings of different lengths.
   */
  private SearchVector bits(Object q) {
    if (q instanceof byte[]) {
      return new SearchVector.Bits(vectorField.dimension(),
          (byte[]) SqlTypes.toEngine(queryField, q, 1));
    }
    BitValue bits = BitCasts.bit(q);
    if (bits.length() != vectorField.dimension()) {
      throw QuiverException.of(ErrorCode.DATA_EXCEPTION, "different bit lengths %d and %d",
          vectorField.dimension(), bits.length());
    }
    return new SearchVector.Bits(bits.length(), bits.toByteArray());
  }

  private static int count(RexNode node, DataContext context, String clause) {
    Object v = FilterTranslator.constant(node, context);
    if (!(v instanceof Number n) || !(n.doubleValue() >= 0)) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "%s must be a non-negative integer, got %s", clause, v);
    }
    // A count beyond any table's rows asks for all of them; the engine bounds what it ranks.
    return n.doubleValue() >= Integer.MAX_VALUE ? Integer.MAX_VALUE : n.intValue();
  }
}
