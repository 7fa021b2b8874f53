package org.quiver.sql.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.quiver.jdbc.internal.PasswordRedaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The server's structured log: one event per server start and stop, connection opened and closed,
 * slow statement, failed statement (with its SQLSTATE), logged through SLF4J on the logger
 * {@value #LOGGER} with the event's name as the message and its fields as key-value pairs. How a
 * line looks (key=value text or one JSON object) is the logging backend's to say: the command
 * line's Logback configuration writes both. Statements are logged with passwords hidden, vector
 * literals abbreviated and at most {@value #MAX_SQL} characters; parameter values are never
 * logged.
 */
public final class EventLog {
  /** The logger every event goes to. */
  public static final String LOGGER = "quiver.events";
  public static final Duration DEFAULT_SLOW_QUERY = Duration.ofSeconds(1);
  static final int MAX_SQL = 500;
  private static final int MAX_PREPARED = 65_536;
  private static final Logger EVENTS = LoggerFactory.getLogger(LOGGER);

  private final Duration slowQuery;
  /** The text of open prepared statements, by statement id, for the events of their executions. */
  private final Map<Integer, String> prepared = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
      return size() > MAX_PREPARED;
    }
  };

  /** Statements slower than {@code slowQuery} are logged as {@code slow_statement}. */
  public EventLog(Duration slowQuery) {
    this.slowQuery = slowQuery;
  }

  /** Statements slower than one second logged. */
  public static EventLog standard() {
    return new EventLog(DEFAULT_SLOW_QUERY);
  }

  public Duration slowQuery() {
    return slowQuery;
  }

  /**
   * Logs {@code event} at {@code level} ({@code info}, {@code warn}, ...) with {@code fields}
   * (name, value, name, value, ...); nulls are left out.
   */
  public void event(String level, String event, Object... fields) {
    LoggingEventBuilder line = EVENTS.atLevel(Level.valueOf(level.toUpperCase(Locale.ROOT)))
        .setMessage(event);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i + 1] != null) {
        line = line.addKeyValue((String) fields[i], fields[i + 1]);
      }
    }
    line.log();
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
}
