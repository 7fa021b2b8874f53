package org.quiver.engine.api.request;

import java.util.List;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.SearchOptions;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.storage.index.IndexMetric;

/**
 * A k-nearest-neighbour search: the {@code k} rows nearest to {@code query} by {@code metric}
 * among those that pass {@code filter} (null: all rows), skipping the first {@code offset}, in
 * {@code partitions} (null: every partition). A float query takes a float metric (L2, IP,
 * COSINE), a bit-string query a bit metric (HAMMING, JACCARD), a sparse query L2, IP, COSINE or
 * L1.
 */
public record SearchRequest(
    String collection,
    String vectorField,
    SearchVector query,
    IndexMetric metric,
    int k,
    int offset,
    Expr filter,
    List<String> outputFields,
    SearchOptions options,
    List<String> partitions) {

  /** A search of a float vector. */
  public SearchRequest(String collection, String vectorField, float[] query, IndexMetric metric,
      int k, int offset, Expr filter, List<String> outputFields, SearchOptions options,
      List<String> partitions) {
    this(collection, vectorField, new SearchVector.Floats(query), metric, k, offset, filter,
        outputFields, options, partitions);
  }

  public SearchRequest(String collection, String vectorField, float[] query, IndexMetric metric,
      int k, int offset, Expr filter, List<String> outputFields, SearchOptions options) {
    this(collection, vectorField, query, metric, k, offset, filter, outputFields, options, null);
  }

  public SearchRequest(String collection, String vectorField, float[] query, IndexMetric metric,
      int k, int offset, Expr filter, List<String> outputFields) {
    this(collection, vectorField, query, metric, k, offset, filter, outputFields,
        SearchOptions.DEFAULT);
  }

  public SearchRequest {
    outputFields = List.copyOf(outputFields);
    options = options == null ? SearchOptions.DEFAULT : options;
    partitions = partitions == null ? null : List.copyOf(partitions);
    if (query == null) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE, "a search needs a query");
    }
    boolean fits = metric != null && switch (query) {
      case SearchVector.Floats f -> IndexMetric.FLOAT_METRICS.contains(metric);
      case SearchVector.Bits b -> metric.isBinary();
      case SearchVector.Sparse s -> metric.isSparse();
    };
    if (!fits) {
      throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
          "a %s query cannot be compared by %s", kind(query), metric);
    }
    if (k < 0 || offset < 0) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "k and offset must not be negative, got k = %d, offset = %d", k, offset);
    }
  }

  /**
   * Rows a search ranks at most (k plus the offset, counted up to the table's rows), as in Milvus:
   * more fails with 54000 rather than holding a result of that size.
   */
  public static final int MAX_DEPTH = 16_384;

  /** The float components of the query; 42804 when it is a bit string or a sparse vector. */
  public float[] floats() {
    if (query instanceof SearchVector.Floats f) {
      return f.values();
    }
    throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
        "a %s query where column \"%s\" takes float vectors", kind(query), vectorField);
  }

  /** What kind of query {@code query} is, in words. */
  static String kind(SearchVector query) {
    return switch (query) {
      case SearchVector.Floats f -> "float vector";
      case SearchVector.Bits b -> "bit-string";
      case SearchVector.Sparse s -> "sparse vector";
    };
  }

  /**
   * This search without its offset, for its first {@link #depth} rows: what each of several
   * query nodes that share a table answers before the merge skips the offset.
   */
  public SearchRequest withoutOffset() {
    return new SearchRequest(collection, vectorField, query, metric, depth(), 0, filter,
        outputFields, options, partitions);
  }

  /** How many nearest rows the search must find: k after the offset, without overflow. */
  public int depth() {
    return (int) Math.min((long) k + offset, Integer.MAX_VALUE);
  }
}
