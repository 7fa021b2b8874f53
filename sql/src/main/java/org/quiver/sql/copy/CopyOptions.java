package org.quiver.sql.copy;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * The options of COPY and {@code quiver import}: {@code format} (from the file name if absent),
 * {@code header} and {@code delimiter} (CSV), {@code id_start} (first generated id for fvecs and
 * npy files), {@code on_error} ({@code stop} or {@code skip}) and {@code batch_rows} (rows per
 * insert task).
 */
public record CopyOptions(Format format, boolean header, char delimiter, long idStart,
    boolean skipBadRows, int batchRows) {
  public static final int DEFAULT_BATCH_ROWS = 10_000;
  private static final Set<String> KNOWN =
      Set.of("format", "header", "delimiter", "id_start", "on_error", "batch_rows");

  /** File formats of COPY. */
  public enum Format {
    CSV, FVECS, NPY, PARQUET;

    static Format parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "unknown COPY format '%s'; known formats are csv, fvecs, npy, parquet", text);
      }
    }
  }

  /** Options from {@code key = value} text; unknown keys and bad values fail with 22023. */
  public static CopyOptions parse(Map<String, String> options, Path file) {
    for (String key : options.keySet()) {
      if (!KNOWN.contains(key)) {
        throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
            "unknown COPY option \"%s\"; known options are format, header, delimiter, "
                + "id_start, on_error, batch_rows", key);
      }
    }
    String formatText = options.get("format");
    Format format = formatText != null ? Format.parse(formatText) : fromName(file);
    boolean header = !"false".equalsIgnoreCase(options.getOrDefault("header", "true"));
    String delimiter = options.getOrDefault("delimiter", ",");
    if (delimiter.length() != 1) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "COPY delimiter must be one character, got '%s'", delimiter);
    }
    String onError = options.getOrDefault("on_error", "stop").toLowerCase(Locale.ROOT);
    if (!onError.equals("stop") && !onError.equals("skip")) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "on_error must be 'stop' or 'skip', got '%s'", onError);
    }
    long idStart = number(options, "id_start", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    int batchRows = (int) number(options, "batch_rows", DEFAULT_BATCH_ROWS, 1, 1_000_000);
    return new CopyOptions(format, header, delimiter.charAt(0), idStart,
        onError.equals("skip"), batchRows);
  }

  private static long number(Map<String, String> options, String key, long fallback, long min,
      long max) {
    String text = options.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text.strip());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
          "COPY option %s must be an integer in [%d, %d], got '%s'", key, min, max, text);
    }
  }

  private static Format fromName(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString()
        .toLowerCase(Locale.ROOT);
    for (Format f : Format.values()) {
      if (name.endsWith("." + f.name().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE,
        "cannot tell the format of '%s' from its name; add WITH (format = 'csv' | 'fvecs' | "
            + "'npy' | 'parquet')", file);
  }
}
