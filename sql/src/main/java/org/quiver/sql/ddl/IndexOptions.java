package org.quiver.sql.ddl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.grammar.ast.SqlCreateIndex;
import org.quiver.grammar.ast.SqlTableOption;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.schema.FieldSchema;

/**
 * Checks CREATE INDEX at the boundary: the column is a vector column of the table, the method is
 * known, and every option is known to the method and within its range.
 */
public final class IndexOptions {
  /** The methods and, for each, the integer options it takes with their ranges. */
  private static final Map<String, Map<String, long[]>> METHODS = Map.of(
      "FLAT", Map.of(),
      "HNSW", Map.of("m", new long[] {2, 512}, "ef_construction", new long[] {1, 32768},
          "ef_search", new long[] {1, 32768}),
      "IVF_FLAT", Map.of("nlist", new long[] {1, 65536}, "nprobe", new long[] {1, 65536}),
      "IVF_PQ", Map.of("nlist", new long[] {1, 65536}, "m", new long[] {1, 32768},
          "nbits", new long[] {1, 16}, "nprobe", new long[] {1, 65536}));
  private static final List<String> METRICS = List.of("l2", "ip", "cosine");

  private IndexOptions() {}

  /** Validates {@code create} against {@code table}; fails with 42703, 42P16 or 22023 naming the bad value. */
  public static void validate(SqlCreateIndex create, CollectionInfo table) {
    String column = create.column().getSimple();
    FieldSchema field = table.schema().field(column).orElseThrow(() -> QuiverException.of(
        ErrorCode.UNDEFINED_COLUMN, "column \"%s\" does not exist in table \"%s\"", column,
        table.name()));
    if (!field.isVector()) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "column \"%s\" is not a VECTOR column; indexes are built on vector columns", column);
    }
    String method = create.method();
    Map<String, long[]> ranges = METHODS.get(method);
    if (ranges == null) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "unknown index method %s; methods are FLAT, HNSW, IVF_FLAT, IVF_PQ", method);
    }
    Set<String> seen = new HashSet<>();
    for (SqlTableOption option : create.options()) {
      String key = Options.key(option);
      if (!seen.add(key)) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "index option \"%s\" is given twice", key);
      }
      if (key.equals("metric")) {
        String metric = Options.text(option.value()).toLowerCase(Locale.ROOT);
        if (!METRICS.contains(metric)) {
          throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
              "metric must be one of l2, ip, cosine; got '%s'", Options.text(option.value()));
        }
        continue;
      }
      long[] range = ranges.get(key);
      if (range == null) {
        List<String> known = new ArrayList<>(ranges.keySet());
        known.sort(null);
        known.add(0, "metric");
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "unknown option \"%s\" for index method %s; its options are %s", key, method,
            String.join(", ", known));
      }
      Options.integer(option, range[0], range[1],
          "an integer in [" + range[0] + ", " + range[1] + "]");
    }
  }

  /**
   * The options of an index, with defaults for those not given.
   *
   * @param params how the index is built ({@code m} is HNSW's neighbours, IVF_PQ's sub-quantizers)
   * @param efSearch HNSW's default search width, 0 for the engine's
   * @param nprobe IVF's default lists probed, 0 for the engine's
   */
  public record Values(IndexParams params, int efSearch, int nprobe) {}

  /**
   * Defaults: metric l2; HNSW m 16, ef_construction 100; IVF nlist 128; IVF_PQ m = dimension / 4
   * and nbits 8 (the only code width built: others fail with 0A000). Call after {@link #validate}.
   */
  public static Values values(SqlCreateIndex create) {
    boolean pq = create.method().equals("IVF_PQ");
    IndexMetric metric = IndexMetric.L2;
    int m = pq ? 0 : IndexParams.DEFAULT_M;
    int efConstruction = IndexParams.DEFAULT_EF_CONSTRUCTION;
    int nlist = IndexParams.DEFAULT_NLIST;
    int efSearch = 0;
    int nprobe = 0;
    for (SqlTableOption option : create.options()) {
      switch (Options.key(option)) {
        case "metric" -> metric = IndexMetric.ofName(Options.text(option.value()));
        case "m" -> m = (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "ef_construction" -> efConstruction =
            (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "ef_search" -> efSearch =
            (int) Options.integer(option, 1, 32768, "an integer in [1, 32768]");
        case "nlist" -> nlist = (int) Options.integer(option, 1, 65536, "an integer in [1, 65536]");
        case "nprobe" -> nprobe =
            (int) Options.integer(option, 1, 65536, "an integer in [1, 65536]");
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
    return new Values(new IndexParams(metric, pq ? 0 : m, efConstruction, nlist, pq ? m : 0, 0),
        efSearch, nprobe);
  }
}
