package org.quiver.sql.server;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.quiver.jdbc.internal.PasswordRedaction;

/**
 * The server's structured log: one line per event (server start and stop, connections opened and
 * closed, slow statements, failed statements with their SQLSTATE), as {@code key=value} pairs or
 * as one JSON object per line. Statements are logged with passwords hidden, vector literals
 * abbreviated and at most {@value #MAX_SQL} characters; parameter values are never logged.
 *
 * <p>Thread-safe: each event is one {@code println} on a stream that locks per call.
 */
public final class EventLog {
  /** How lines look. */
  public enum Format {
    TEXT, JSON;

    public static Format parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "text", "kv", "key-value" -> TEXT;
        case "json" -> JSON;
        default -> throw new IllegalArgumentException("unknown log format '" + name
            + "': expected text or json");
      };
    }
  }

  public static final Duration DEFAULT_SLOW_QUERY = Duration.ofSeconds(1);
  static final int MAX_SQL = 500;
  private static final int MAX_PREPARED = 65_536;

  private final PrintStream out;
  private final Format format;
  private final Duration slowQuery;
  /** The text of open prepared statements, by statement id, for the events of their executions. */
  private final Map<Integer, String> prepared = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
      return size() > MAX_PREPARED;
    }
  };

  public EventLog(PrintStream out, Format format, Duration slowQuery) {
    this.out = out;
    this.format = format;
    this.slowQuery = slowQuery;
  }

  /** Key=value lines on standard error, statements slower than one second logged. */
  public static EventLog standard() {
    return new EventLog(System.err, Format.TEXT, DEFAULT_SLOW_QUERY);
  }

  public Duration slowQuery() {
    return slowQuery;
  }

  /** Logs {@code event} with {@code fields} (name, value, name, value, ...); nulls are left out. */
  public void event(String level, String event, Object... fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ts", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    line.put("level", level);
    line.put("event", event);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i + 1] != null) {
        line.put((String) fields[i], fields[i + 1]);
      }
    }
    out.println(format == Format.JSON ? json(line) : text(line));
  }

  void prepared(int statementId, String sql) {
    synchronized (prepared) {
      prepared.put(statementId, sql);
    }
  }

  void closed(int statementId) {
    synchronized (prepared) {
      prepared.remove(statementId);
    }
  }

  /** The text of a prepared statement, or null if unknown. */
  String preparedSql(int statementId) {
    synchronized (prepared) {
      return prepared.get(statementId);
    }
  }

  /** A statement as logs show it: passwords hidden, vectors abbreviated, length bounded. */
  static String loggable(String sql) {
    if (sql == null) {
      return null;
    }
    String s = abbreviateVectors(PasswordRedaction.redact(sql));
    s = s.replaceAll("\\s+", " ").trim();
    return s.length() <= MAX_SQL ? s : s.substring(0, MAX_SQL) + "...";
  }

  /**
   * Replaces each vector literal (a bracketed list of numbers) by {@code [vector]}. A scan, not a
   * regular expression: Java's matcher recurses once per repeated group and a vector literal of
   * 65,536 values overflowed the stack.
   */
  static String abbreviateVectors(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end = c == '[' ? vectorEnd(sql, i) : -1;
      if (end < 0) {
        out.append(c);
        i++;
      } else {
        out.append("[vector]");
        i = end + 1;
      }
    }
    return out.toString();
  }

  /** The index of the {@code ]} closing a list of numbers that opens at {@code start}, or -1. */
  private static int vectorEnd(String sql, int start) {
    boolean digit = false;
    for (int i = start + 1; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == ']') {
        return digit ? i : -1;
      }
      if (Character.isDigit(c)) {
        digit = true;
      } else if ("+-.eE, \t\r\n".indexOf(c) < 0) {
        return -1;
      }
    }
    return -1;
  }

  private static String text(Map<String, Object> line) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : line.entrySet()) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(e.getKey()).append('=');
      String value = String.valueOf(e.getValue());
      if (e.getValue() instanceof Number || value.matches("[A-Za-z0-9_.:/@+-]+")) {
        sb.append(value);
      } else {
        sb.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")
            .replace("\n", "\\n")).append('"');
      }
    }
    return sb.toString();
  }

  private static String json(Map<String, Object> line) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : line.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      if (e.getValue() instanceof Number || e.getValue() instanceof Boolean) {
        sb.append(e.getValue());
      } else {
        jsonString(sb, String.valueOf(e.getValue()));
      }
    }
    return sb.append('}').toString();
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
