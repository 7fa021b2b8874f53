package org.quiver.sql.ddl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.ast.SqlCreateIndex;
import org.quiver.grammar.ast.SqlTableOption;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;
import org.quiver.sql.schema.SqlTypes;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * Checks CREATE INDEX at the boundary: the column is a vector, bit-string or sparse vector column
 * of the table, the method is known, and every option is known to the method and within its
 * range. pgvector's spelling is read too: the method {@code ivfflat}, the option {@code lists}
 * (IVF's {@code nlist}) and the operator class that picks the metric ({@code vector_l2_ops} and
 * its siblings, {@code vector_l1_ops} and {@code halfvec_l1_ops} for HNSW only, as in pgvector,
 * whose IVFFlat has no L1 class; {@code bit_hamming_ops}, {@code bit_jaccard_ops}, {@code sparsevec_l2_ops},
 * {@code sparsevec_ip_ops}, {@code sparsevec_cosine_ops}, {@code sparsevec_l1_ops}). As in
 * pgvector, BIT and SPARSEVEC columns have no default operator class: their index names its
 * metric, by class or by {@code metric}.
 */
public final class IndexOptions {
  /** The methods and, for each, the integer options it takes with their ranges. */
  private static final Map<String, Map<String, long[]>> METHODS = Map.of(
      "FLAT", Map.of(),
      "HNSW", Map.of("m", new long[] {2, 512}, "ef_construction", new long[] {1, 32768},
          "ef_search", new long[] {1, 32768}, "pq_m", new long[] {1, 16000},
          "rerank", new long[] {1, 32768}),
      "IVF_FLAT", Map.of("nlist", new long[] {1, 65536}, "nprobe", new long[] {1, 65536}),
      "IVF_SQ8", Map.of("nlist", new long[] {1, 65536}, "nprobe", new long[] {1, 65536}),
      "IVF_PQ", Map.of("nlist", new long[] {1, 65536}, "m", new long[] {1, 32768},
          "nbits", new long[] {1, 16}, "nprobe", new long[] {1, 65536}));
  /** The metrics of float vectors; l1 is HNSW's alone, without quantization. */
  private static final List<String> METRICS = List.of("l2", "ip", "cosine", "l1");
  /** The metrics of bit strings, Milvus's names of pgvector's {@code <~>} and {@code <%>}. */
  private static final List<String> BIT_METRICS = List.of("hamming", "jaccard");
  /** The metrics of sparse vectors: pgvector's {@code <->}, {@code <#>}, {@code <=>}, {@code <+>}. */
  private static final List<String> SPARSE_METRICS = List.of("l2", "ip", "cosine", "l1");
  /**
   * pgvector's operator classes of its vector, halfvec and bit types, with the metric each one
   * picks; a class serves columns of the type its name begins with.
   */
  private static final Map<String, String> OPERATOR_CLASSES = Map.ofEntries(
      Map.entry("vector_l2_ops", "l2"), Map.entry("vector_ip_ops", "ip"),
      Map.entry("vector_cosine_ops", "cosine"), Map.entry("vector_l1_ops", "l1"),
      Map.entry("halfvec_l2_ops", "l2"), Map.entry("halfvec_ip_ops", "ip"),
      Map.entry("halfvec_cosine_ops", "cosine"), Map.entry("halfvec_l1_ops", "l1"),
      Map.entry("bit_hamming_ops", "hamming"), Map.entry("bit_jaccard_ops", "jaccard"),
      Map.entry("sparsevec_l2_ops", "l2"), Map.entry("sparsevec_ip_ops", "ip"),
      Map.entry("sparsevec_cosine_ops", "cosine"), Map.entry("sparsevec_l1_ops", "l1"));
  private IndexOptions() {}

  /** Validates {@code create} against {@code table}; fails with 42703, 42P16 or 22023 naming the bad value. */
  public static void validate(SqlCreateIndex create, CollectionInfo table) {
    String column = create.column().getSimple();
    FieldSchema field = table.schema().field(column).orElseThrow(() -> QuiverException.of(
        ErrorCode.UNDEFINED_COLUMN, "column \"%s\" does not exist in table \"%s\"", column,
        table.name()));
    boolean bits = field.type() == DataType.BINARY_VECTOR;
    boolean sparse = field.type() == DataType.SPARSE_FLOAT_VECTOR;
    if (!field.isVector() && !bits && !sparse) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "column \"%s\" is not a VECTOR, HALFVEC, BIT or SPARSEVEC column; indexes are built "
              + "on vector columns", column);
    }
    String method = method(create);
    Map<String, long[]> ranges = METHODS.get(method);
    if (ranges == null) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "unknown index method %s; methods are FLAT, HNSW, IVF_FLAT, IVF_PQ, IVF_SQ8",
          create.method());
    }
    String classMetric = operatorClassMetric(create);
    if (classMetric != null) {
      String operatorClass = create.operatorClass().getSimple();
      String type = SqlTypes.displayName(field);
      String typeName = type.substring(0, type.indexOf('(')).toLowerCase(Locale.ROOT);
      if (!operatorClass.toLowerCase(Locale.ROOT).startsWith(typeName + "_")) {
        throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
            "operator class \"%s\" does not accept data type %s (column \"%s\" is %s)",
            operatorClass, typeName, column, type);
      }
    }
    if (bits && !method.equals("HNSW")) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "index method %s over bit strings is not supported (column \"%s\" is %s); a BIT "
              + "column takes an HNSW index with bit_hamming_ops or bit_jaccard_ops",
          create.method(), column, SqlTypes.displayName(field));
    }
    if (sparse && !method.equals("HNSW")) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "index method %s over sparse vectors is not supported (column \"%s\" is %s); a "
              + "SPARSEVEC column takes an HNSW index with sparsevec_l2_ops, sparsevec_ip_ops, "
              + "sparsevec_cosine_ops or sparsevec_l1_ops",
          create.method(), column, SqlTypes.displayName(field));
    }
    Set<String> seen = new HashSet<>();
    String optionMetric = null;
    for (SqlTableOption option : create.options()) {
      String key = Options.key(option);
      if (!seen.add(canonicalKey(key))) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "index option \"%s\" is given twice", key);
      }
      if (key.equals("metric")) {
        String metric = Options.text(option.value()).toLowerCase(Locale.ROOT);
        if (!METRICS.contains(metric) && !BIT_METRICS.contains(metric)
            && !SPARSE_METRICS.contains(metric)) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "metric must be one of l2, ip, cosine, l1, hamming, jaccard; got '%s'",
              Options.text(option.value()));
        }
        List<String> columnMetrics = bits ? BIT_METRICS : sparse ? SPARSE_METRICS : METRICS;
        if (!columnMetrics.contains(metric)) {
          throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
              "metric '%s' does not compare the values of column \"%s\" (%s); its metrics are %s",
              Options.text(option.value()), column, SqlTypes.displayName(field),
              String.join(", ", columnMetrics));
        }
        optionMetric = metric;
        if (classMetric != null && !classMetric.equals(metric)) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "operator class %s is metric '%s', but the options say metric = '%s'",
              create.operatorClass().getSimple(), classMetric, metric);
        }
        continue;
      }
      if (key.equals("quantization") && method.equals("HNSW")) {
        Quantization q = quantization(option);
        if ((bits || sparse) && q != Quantization.NONE) {
          throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
              "quantization = '%s' over %s is not supported (column \"%s\" is %s): the graph "
                  + "scores the values themselves", q.sqlName(),
              bits ? "bit strings" : "sparse vectors", column, SqlTypes.displayName(field));
        }
        continue;
      }
      long[] range = ranges.get(canonicalKey(key));
      if (range == null) {
        List<String> known = new ArrayList<>(ranges.keySet());
        if (method.equals("HNSW")) {
          known.add("quantization");
        }
        known.sort(null);
        known.add(0, "metric");
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "unknown option \"%s\" for index method %s; its options are %s", key, method,
            String.join(", ", known));
      }
      Options.integer(option, range[0], range[1],
          "an integer in [" + range[0] + ", " + range[1] + "]");
    }
    if (bits && classMetric == null && optionMetric == null) {
      // PostgreSQL's words and code: pgvector gives bit no default operator class.
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "data type bit has no default operator class for access method \"hnsw\"; name one "
              + "for column \"%s\": bit_hamming_ops or bit_jaccard_ops", column);
    }
    if (sparse && classMetric == null && optionMetric == null) {
      // Nor sparsevec: pgvector's hnsw classes of sparsevec are all named, none the default.
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "data type sparsevec has no default operator class for access method \"hnsw\"; name "
              + "one for column \"%s\": sparsevec_l2_ops, sparsevec_ip_ops, "
              + "sparsevec_cosine_ops or sparsevec_l1_ops", column);
    }
    String metric = optionMetric != null ? optionMetric : classMetric;
    if (!bits && !sparse && "l1".equals(metric)) {
      checkL1(create, method, column);
    }
    if (method.equals("HNSW")) {
      Quantization quantization = quantizationOf(create);
      if (seen.contains("pq_m") && quantization != Quantization.PQ) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "index option \"pq_m\" needs quantization = 'pq'");
      }
      if (seen.contains("rerank") && quantization == Quantization.NONE) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "index option \"rerank\" needs quantization = 'pq', 'binary' or 'nvq'");
      }
    }
  }

  /**
   * An index of float vectors by L1 is an HNSW graph that Quiver scores itself, as pgvector has
   * L1 classes for HNSW only: an IVF method fails with 42704 in pgvector's words when an operator
   * class asked for it (0A000 when the option {@code metric} did), and a quantization, whose codes
   * jvector scores by functions none of which is L1, with 0A000 naming it (as for the bit and
   * sparse vector columns, which have no quantization either).
   */
  private static void checkL1(SqlCreateIndex create, String method, String column) {
    if (!method.equals("HNSW")) {
      if (create.operatorClass() != null) {
        throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
            "operator class \"%s\" does not exist for access method \"%s\"; L1 indexes of "
                + "column \"%s\" are HNSW", create.operatorClass().getSimple(),
            create.method().toLowerCase(Locale.ROOT), column);
      }
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "index method %s with metric 'l1' is not supported (column \"%s\"); an L1 index of "
              + "float vectors is HNSW", create.method(), column);
    }
    Quantization quantization = quantizationOf(create);
    if (quantization != Quantization.NONE) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "quantization = '%s' cannot serve metric 'l1' (column \"%s\"): an L1 graph scores the "
              + "vectors themselves; leave quantization out or set it to 'none'",
          quantization.sqlName(), column);
    }
  }

  /** The quantization an option names; 22023 for an unknown one. */
  private static Quantization quantization(SqlTableOption option) {
    String written = Options.text(option.value());
    Quantization q = Quantization.ofSqlName(written);
    if (q == null) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "quantization must be one of %s; got '%s'", Quantization.sqlNames(), written);
    }
    return q;
  }

  private static Quantization quantizationOf(SqlCreateIndex create) {
    for (SqlTableOption option : create.options()) {
      if (Options.key(option).equals("quantization")) {
        return quantization(option);
      }
    }
    return Quantization.NONE;
  }

  /**
   * Returns the index method in upper case, as the engine names it: pgvector's {@code ivfflat}
   * is {@code IVF_FLAT}.
   */
  public static String method(SqlCreateIndex create) {
    return create.method().equals("IVFFLAT") ? "IVF_FLAT" : create.method();
  }

  /** pgvector calls IVF's number of lists {@code lists}; Quiver (and Milvus) {@code nlist}. */
  private static String canonicalKey(String key) {
    return key.equals("lists") ? "nlist" : key;
  }

  /**
   * Returns the metric that the statement's operator class picks, or null without one; fails
   * with 42704 for a class that does not exist.
   */
  private static String operatorClassMetric(SqlCreateIndex create) {
    if (create.operatorClass() == null) {
      return null;
    }
    String written = create.operatorClass().getSimple();
    String operatorClass = written.toLowerCase(Locale.ROOT);
    String metric = OPERATOR_CLASSES.get(operatorClass);
    if (metric == null) {
      throw QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
          "operator class \"%s\" does not exist; operator classes are vector_l2_ops, "
              + "vector_ip_ops, vector_cosine_ops, vector_l1_ops, halfvec_l2_ops, halfvec_ip_ops, "
              + "halfvec_cosine_ops, halfvec_l1_ops, bit_hamming_ops, bit_jaccard_ops, "
              + "sparsevec_l2_ops, sparsevec_ip_ops, sparsevec_cosine_ops, sparsevec_l1_ops",
          written);
    }
    return metric;
  }

  /**
   * The options of an index, with defaults for those not given.
   *
   * @param params how the index is built ({@code m} is HNSW's neighbours, IVF_PQ's sub-quantizers)
   * @param efSearch HNSW's default search width, 0 for the engine's
   * @param nprobe IVF's default lists probed, 0 for the engine's
   * @param rerank a quantized HNSW index's fewest candidates re-ranked, 0 for its search width
   */
  public record Values(IndexParams params, int efSearch, int nprobe, int rerank) {}

  /**
   * Defaults: metric l2 (or the operator class's; a BIT or SPARSEVEC column's index always names
   * one); HNSW m 16, ef_construction 100; IVF nlist 128;
   * IVF_PQ m = dimension / 4 and nbits 8 (the only code width built: others fail with 0A000).
   * Call after {@link #validate}.
   */
  public static Values values(SqlCreateIndex create) {
    boolean pq = method(create).equals("IVF_PQ");
    String classMetric = operatorClassMetric(create);
    IndexMetric metric = classMetric == null ? IndexMetric.L2 : IndexMetric.ofName(classMetric);
    int m = pq ? 0 : IndexParams.DEFAULT_M;
    int efConstruction = IndexParams.DEFAULT_EF_CONSTRUCTION;
    int nlist = IndexParams.DEFAULT_NLIST;
    int efSearch = 0;
    int nprobe = 0;
    int pqM = 0;
    int rerank = 0;
    for (SqlTableOption option : create.options()) {
      switch (canonicalKey(Options.key(option))) {
        case "metric" -> metric = IndexMetric.ofName(Options.text(option.value()));
        case "m" -> m = (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "ef_construction" -> efConstruction =
            (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "ef_search" -> efSearch =
            (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "nlist" -> nlist = (int) Options.integer(option, 1, 65536, "an integer in [1, 65536]");
        case "nprobe" -> nprobe =
            (int) Options.integer(option, 1, 65536, "an integer in [1, 65536]");
        case "pq_m" -> pqM = (int) Options.integer(option, 1, 16000, "an integer in [1, 16000]");
        case "rerank" -> rerank =
            (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "nbits" -> {
          long nbits = Options.integer(option, 1, 16, "an integer in [1, 16]");
          if (nbits != 8) {
            throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
                "nbits = %d is not supported yet; IVF_PQ codes are 8 bits (256 centroids per "
                    + "sub-quantizer)", nbits);
          }
        }
        default -> { }
      }
    }
    Quantization quantization = method(create).equals("HNSW") ? quantizationOf(create)
        : Quantization.NONE;
    return new Values(new IndexParams(metric, pq ? 0 : m, efConstruction, nlist, pq ? m : pqM, 0,
        quantization), efSearch, nprobe, rerank);
  }
}
