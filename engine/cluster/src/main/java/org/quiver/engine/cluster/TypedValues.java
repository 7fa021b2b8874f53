package org.quiver.engine.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * A value of unknown static type (a filter's literal, a key to look up) as JSON that keeps its
 * Java class: {@code {"type": "int32", "value": 5}}. The query node compares values by class
 * (an INT column with a Long literal, a REAL column with a Float, a BigDecimal exactly), so a
 * value must arrive as what was sent, not as whatever class JSON's number would be read back as.
 * Floats travel as text so NaN and the infinities survive; null is JSON null.
 *
 * <p>The classes are those a filter can hold: what the SQL layer makes of literals (Boolean,
 * String, Long, Double, BigDecimal) and whatever JDBC parameters bind (the other numbers, byte
 * arrays, java.sql and java.time values, lists of them). Any other class fails when sent, naming
 * it, rather than arrive as something else.
 */
final class TypedValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TypedValues() {}

  static JsonNode toJson(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    ObjectNode node = NODES.objectNode();
    switch (value) {
      case Boolean b -> node.put("type", "bool").put("value", b);
      case Byte b -> node.put("type", "int8").put("value", b);
      case Short s -> node.put("type", "int16").put("value", s);
      case Integer i -> node.put("type", "int32").put("value", i);
      case Long l -> node.put("type", "int64").put("value", l);
      case Float f -> node.put("type", "float32").put("value", Float.toString(f));
      case Double d -> node.put("type", "float64").put("value", Double.toString(d));
      case BigDecimal d -> node.put("type", "decimal").put("value", d.toString());
      case BigInteger i -> node.put("type", "bigint").put("value", i.toString());
      case String s -> node.put("type", "text").put("value", s);
      case Character c -> node.put("type", "char").put("value", c.toString());
      case byte[] bytes -> node.put("type", "bytes")
          .put("value", Base64.getEncoder().encodeToString(bytes));
      // java.sql's classes before java.util.Date, whose subclasses they are; millis and nanos,
      // not text, which would be read back in the reader's time zone.
      case java.sql.Timestamp t -> node.put("type", "sql-timestamp").put("value", t.getTime())
          .put("nanos", t.getNanos());
      case java.sql.Date d -> node.put("type", "sql-date").put("value", d.getTime());
      case java.sql.Time t -> node.put("type", "sql-time").put("value", t.getTime());
      case java.util.Date d -> node.put("type", "date").put("value", d.getTime());
      case LocalDate d -> node.put("type", "local-date").put("value", d.toString());
      case LocalTime t -> node.put("type", "local-time").put("value", t.toString());
      case LocalDateTime t -> node.put("type", "local-date-time").put("value", t.toString());
      case Instant i -> node.put("type", "instant").put("value", i.toString());
      case OffsetDateTime t -> node.put("type", "offset-date-time").put("value", t.toString());
      case OffsetTime t -> node.put("type", "offset-time").put("value", t.toString());
      case ZonedDateTime t -> node.put("type", "zoned-date-time").put("value", t.toString());
      case Duration d -> node.put("type", "duration").put("value", d.toString());
      case List<?> list -> {
        ArrayNode items = node.put("type", "list").putArray("value");
        list.forEach(item -> items.add(toJson(item)));
      }
      default -> throw QuiverException.of(ErrorCode.FEATURE_NOT_SUPPORTED,
          "a value of class %s cannot be sent to a query node", value.getClass().getName());
    }
    return node;
  }

  static Object fromJson(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode value = node.get("value");
    String type = node.path("type").asText();
    return switch (type) {
      case "bool" -> value.booleanValue();
      case "int8" -> (byte) value.intValue();
      case "int16" -> (short) value.intValue();
      case "int32" -> value.intValue();
      case "int64" -> value.longValue();
      case "float32" -> Float.parseFloat(value.textValue());
      case "float64" -> Double.parseDouble(value.textValue());
      case "decimal" -> new BigDecimal(value.textValue());
      case "bigint" -> new BigInteger(value.textValue());
      case "text" -> value.textValue();
      case "char" -> value.textValue().charAt(0);
      case "bytes" -> Base64.getDecoder().decode(value.textValue());
      case "sql-timestamp" -> {
        java.sql.Timestamp t = new java.sql.Timestamp(value.longValue());
        t.setNanos(node.get("nanos").intValue());
        yield t;
      }
      case "sql-date" -> new java.sql.Date(value.longValue());
      case "sql-time" -> new java.sql.Time(value.longValue());
      case "date" -> new java.util.Date(value.longValue());
      case "local-date" -> LocalDate.parse(value.textValue());
      case "local-time" -> LocalTime.parse(value.textValue());
      case "local-date-time" -> LocalDateTime.parse(value.textValue());
      case "instant" -> Instant.parse(value.textValue());
      case "offset-date-time" -> OffsetDateTime.parse(value.textValue());
      case "offset-time" -> OffsetTime.parse(value.textValue());
      case "zoned-date-time" -> ZonedDateTime.parse(value.textValue());
      case "duration" -> Duration.parse(value.textValue());
      case "list" -> {
        // Elements may be NULL, which List.of refuses.
        List<Object> items = new ArrayList<>(value.size());
        value.forEach(item -> items.add(fromJson(item)));
        yield Collections.unmodifiableList(items);
      }
      default -> throw new IllegalArgumentException("unknown value type '" + type + "'");
    };
  }
}
