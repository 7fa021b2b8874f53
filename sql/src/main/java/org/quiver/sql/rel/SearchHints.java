package org.quiver.sql.rel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.hint.RelHint;

/**
 * The options of a {@code /*+ search(ef = 64, search_mode = 'exact') *}{@code /} hint, as the
 * scan of a searched table carries it ({@link QuiverHints}).
 *
 * @param ef the graph search width, or null to use the session's {@code ef_search}
 * @param nprobe the IVF lists probed, or null to use the session's {@code nprobe}
 * @param mode {@code auto} or {@code exact}, or null to use the session's {@code search_mode}
 */
public record SearchHints(Integer ef, Integer nprobe, String mode) {
  static final SearchHints NONE = new SearchHints(null, null, null);

  /**
   * The search hint among a scan's {@code hints} that is nearest to it: that of the scan's own
   * query block, else of the nearest enclosing block that has one; {@link #NONE} if none has.
   */
  static SearchHints of(List<RelHint> hints) {
    RelHint nearest = null;
    for (RelHint hint : hints) {
      if (hint.hintName.equalsIgnoreCase(QuiverHints.SEARCH)
          && (nearest == null || hint.inheritPath.size() < nearest.inheritPath.size())) {
        nearest = hint;
      }
    }
    return nearest == null ? NONE : of(nearest.kvOptions);
  }

  private static SearchHints of(Map<String, String> options) {
    Integer ef = null;
    Integer nprobe = null;
    String mode = null;
    for (Map.Entry<String, String> e : options.entrySet()) {
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "ef", "ef_search" -> ef = Integer.valueOf(e.getValue());
        case "nprobe" -> nprobe = Integer.valueOf(e.getValue());
        case "search_mode" -> mode = e.getValue().toLowerCase(Locale.ROOT);
        default -> { }
      }
    }
    return new SearchHints(ef, nprobe, mode);
  }
}
