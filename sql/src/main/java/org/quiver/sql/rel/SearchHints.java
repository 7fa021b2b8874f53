package org.quiver.sql.rel;

import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlHint;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The options of a {@code /*+ search(ef = 64, search_mode = 'exact') *}{@code /} hint of the
 * statement being planned. Calcite drops hints it has no strategy for before planning, so the
 * hint is read from the parse tree and handed to {@link VectorSearchRule} through the planning
 * thread ({@link #remember}, {@link #forget}).
 *
 * @param ef the graph search width, or null to use the session's {@code ef_search}
 * @param nprobe the IVF lists probed, or null to use the session's {@code nprobe}
 * @param mode {@code auto} or {@code exact}, or null to use the session's {@code search_mode}
 */
public record SearchHints(Integer ef, Integer nprobe, String mode) {
  static final SearchHints NONE = new SearchHints(null, null, null);
  private static final ThreadLocal<SearchHints> CURRENT = ThreadLocal.withInitial(() -> NONE);

  /** The hints of the statement being planned on this thread. */
  static SearchHints current() {
    return CURRENT.get();
  }

  /** Remembers the search hints of {@code statement} while this thread plans it. */
  public static void remember(SqlNode statement) {
    CURRENT.set(from(statement));
  }

  /** Forgets the hints once the statement is planned. */
  public static void forget() {
    CURRENT.remove();
  }

  static SearchHints from(SqlNode statement) {
    SearchHints[] found = {NONE};
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getHints() != null) {
          for (SqlNode hint : select.getHints()) {
            if (hint instanceof SqlHint h && h.getName().equalsIgnoreCase("search")) {
              found[0] = of(h.getOptionKVPairs());
            }
          }
        }
        return super.visit(call);
      }

      @Override
      public Void visit(SqlNodeList list) {
        list.forEach(n -> {
          if (n != null) {
            n.accept(this);
          }
        });
        return null;
      }
    });
    return found[0];
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
