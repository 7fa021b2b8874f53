package org.quiver.sql.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.quiver.engine.error.ErrorCode;
import org.quiver.engine.error.QuiverException;

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
  /** Candidate list size of an HNSW search. */
  EF_SEARCH("64", List.of(), 1, 32768),
  /** Lists probed by an IVF search. */
  NPROBE("8", List.of(), 1, 65536),
  /** {@code auto} lets the planner pick an index; {@code exact} always scans exactly. */
  SEARCH_MODE("auto", List.of("auto", "exact"), 0, 0),
  /**
   * Milliseconds a statement may run before it fails with 57014 (0: no limit); enforced where the
   * statement runs, so it also holds for remote clients, whose query timeout Avatica never sends.
   */
  STATEMENT_TIMEOUT("0", List.of(), 0, Integer.MAX_VALUE);

  private final String defaultValue;
  private final List<String> allowed;
  private final int min;
  private final int max;

  SessionSetting(String defaultValue, List<String> allowed, int min, int max) {
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.min = min;
    this.max = max;
  }

  /** Returns the setting's name as written in SQL, e.g. {@code ef_search}. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** Returns the setting called {@code name} (any case), if there is one. */
  public static Optional<SessionSetting> find(String name) {
    return Arrays.stream(values())
        .filter(s -> s.settingName().equals(name.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** Returns the setting called {@code name}; fails with 42704 naming it and the known ones. */
  public static SessionSetting of(String name) {
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
    if (!allowed.contains(lower)) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "%s must be one of %s; got '%s'", settingName(), String.join(", ", allowed), text);
    }
    return lower;
  }
}
