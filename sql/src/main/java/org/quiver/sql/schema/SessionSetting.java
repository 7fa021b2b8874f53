package org.quiver.sql.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * The settings a connection can change with {@code SET name = value}, read with {@code SHOW name}
 * and restore with {@code RESET name}; each validates its values at the boundary.
 */
public enum SessionSetting {
  /**
   * Read consistency of searches and scans; until SET, each table's own default (strong unless
   * created WITH (consistency_level = ...)).
   */
  CONSISTENCY_LEVEL("strong", List.of("strong", "session", "bounded", "eventually"), 0, 0),
  /** How old, at most, the data a {@code bounded} read sees may be, in milliseconds. */
  BOUNDED_STALENESS_MS("500", List.of(), 0, 3_600_000),
  /** Candidate list size of an HNSW search; pgvector's {@code hnsw.ef_search} is this setting. */
  EF_SEARCH("64", List.of(), 1, 32768),
  /** Lists probed by an IVF search; pgvector's {@code ivfflat.probes} is this setting. */
  NPROBE("8", List.of(), 1, 65536),
  /** {@code auto} lets the planner pick an index; {@code exact} always scans exactly. */
  SEARCH_MODE("auto", List.of("auto", "exact"), 0, 0),
  /**
   * Milliseconds a statement may run before it fails with 57014 (0: no limit); enforced where the
   * statement runs, so it also holds for remote clients, whose query timeout Avatica never sends.
   */
  STATEMENT_TIMEOUT("0", List.of(), 0, Integer.MAX_VALUE),
  /**
   * pgvector's iterative index scan of HNSW. A search with a LIMIT does what Quiver always does
   * whatever the value: a filtered search widens until k rows match (or the table has fewer) and
   * returns them in exact distance order, which satisfies both {@code strict_order} and
   * {@code relaxed_order}, and never returns fewer rows than pgvector's {@code off} would. With
   * {@link #ENABLE_SEQSCAN} off, an ORDER BY without a LIMIT that the index serves gives
   * ef_search rows when this is {@code off}, and otherwise every row the index holds (at most
   * the 16,384 a search ranks), as pgvector's scan goes on.
   */
  HNSW_ITERATIVE_SCAN("hnsw.iterative_scan", "off",
      List.of("off", "relaxed_order", "strict_order")),
  /** pgvector's iterative index scan of IVFFlat, which has no strict order; as above. */
  IVFFLAT_ITERATIVE_SCAN("ivfflat.iterative_scan", "off", List.of("off", "relaxed_order")),
  /**
   * PostgreSQL's planner switch, as pgvector's tests use it: {@code off} makes {@code ORDER BY
   * distance} without a LIMIT, over a column with an HNSW index of that distance, the index's
   * search (at most {@code ef_search} rows, those the index holds: no NULL vectors), as
   * PostgreSQL then scans the index. {@code on} (the default) ranks every row exactly there; a
   * search with a LIMIT takes the index either way, as PostgreSQL's planner prefers it.
   */
  ENABLE_SEQSCAN("enable_seqscan", "on", List.of("on", "off"));

  /** PostgreSQL's other spellings of a boolean setting's values. */
  private static final Map<String, String> BOOLEAN_WORDS = Map.of(
      "true", "on", "yes", "on", "1", "on", "false", "off", "no", "off", "0", "off");

  /** pgvector's names of Quiver's settings. */
  private static final Map<String, SessionSetting> PGVECTOR_NAMES = Map.of(
      "hnsw.ef_search", EF_SEARCH, "ivfflat.probes", NPROBE);

  /**
   * pgvector's settings that have no meaning in Quiver, with the reason: the limits of its
   * iterative scan, which Quiver's filtered search does not need.
   */
  private static final Map<String, String> PGVECTOR_UNSUPPORTED = Map.of(
      "hnsw.max_scan_tuples", "a filtered search widens until k rows match, with no limit on the "
          + "rows it visits",
      "hnsw.scan_mem_multiplier", "a filtered search widens until k rows match, with no limit on "
          + "the memory of its scan",
      "ivfflat.max_probes", "a filtered search widens until k rows match; set ivfflat.probes "
          + "(nprobe) for the lists probed first");

  private final String settingName;
  private final String defaultValue;
  private final List<String> allowed;
  private final int min;
  private final int max;

  SessionSetting(String defaultValue, List<String> allowed, int min, int max) {
    this.settingName = name().toLowerCase(Locale.ROOT);
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.min = min;
    this.max = max;
  }

  /** A setting named {@code settingName} whose values are words. */
  SessionSetting(String settingName, String defaultValue, List<String> allowed) {
    this.settingName = settingName;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.min = 0;
    this.max = 0;
  }

  /** Returns the setting's name as written in SQL, e.g. {@code ef_search}. */
  public String settingName() {
    return settingName;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /**
   * Returns the setting called {@code name} (any case), or by pgvector's name of it
   * ({@code hnsw.ef_search}), if there is one.
   */
  public static Optional<SessionSetting> find(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(s -> s.settingName().equals(lower))
        .findFirst()
        .or(() -> Optional.ofNullable(PGVECTOR_NAMES.get(lower)));
  }

  /**
   * Returns the setting called {@code name}; fails with 0A000 for pgvector's settings that mean
   * nothing here, 42704 naming it and the known ones for the others.
   */
  public static SessionSetting of(String name) {
    String unsupported = PGVECTOR_UNSUPPORTED.get(name.toLowerCase(Locale.ROOT));
    if (unsupported != null) {
      throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "setting %s is not supported: %s", name, unsupported);
    }
    return find(name).orElseThrow(() -> QuiverException.of(ErrorCode.UNDEFINED_OBJECT,
        "unrecognized setting \"%s\"; settings are %s", name, names()));
  }

  /** Returns the names of all settings, comma-separated. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(SessionSetting::settingName).toList());
  }

  /**
   * Returns the canonical text of {@code value} (a string, number or name as written); fails with
   * 22023 naming the value and the allowed values or range.
   */
  public String validate(Object value) {
    String text = String.valueOf(value).strip();
    if (allowed.isEmpty()) {
      long number;
      try {
        number = Long.parseLong(text);
      } catch (NumberFormatException e) {
        number = Long.MIN_VALUE;
      }
      if (number < min || number > max) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "%s must be an integer in [%d, %d], got %s", settingName(), min, max, value);
      }
      return Long.toString(number);
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (allowed.equals(List.of("on", "off"))) {
      lower = BOOLEAN_WORDS.getOrDefault(lower, lower);
    }
    if (!allowed.contains(lower)) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "%s must be one of %s; got '%s'", settingName(), String.join(", ", allowed), text);
    }
    return lower;
  }
}
