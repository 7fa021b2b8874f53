package org.quiver.engine.cluster;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.LoadState;

/**
 * The JSON form of every {@link QueryNodeCall} and of the small answers of the node's actions
 * (rows go as Arrow batches, see {@link ResultBatches}). The catalog records (collections,
 * segments, indexes, dropped tables) and the requests' plain fields are written as Jackson writes
 * records, as the catalog itself stores them ({@code MetaTable}); the types whose Java class
 * Jackson cannot keep have their own form here, so the api stays free of wire annotations:
 * filters ({@link Expr}, whose literals are {@link TypedValues}), query vectors ({@link
 * SearchVector}, whose arrays go as little-endian bytes in base64, exact and a third of the size
 * of decimal text), the keys of a {@link QueryRequest} (typed values) and file paths (as written,
 * not made absolute as Jackson's URI form would).
 *
 * <p>Unknown fields are skipped, so a node may answer a coordinator one version behind it.
 * Thread-safe.
 */
public final class QueryNodeCodec {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper json;

  public QueryNodeCodec() {
    this.json = mapper(values("quiver-query-node")).addMixIn(QueryNodeCall.class, CallNamed.class);
    for (Class<?> call : QueryNodeCall.class.getPermittedSubclasses()) {
      json.registerSubtypes(
          call.isInterface() ? call.getPermittedSubclasses() : new Class<?>[] {call});
    }
  }

  /**
   * A module with the forms of the values Jackson cannot keep by itself (see the class comment),
   * shared with {@link EngineCodec}.
   */
  static SimpleModule values(String name) {
    SimpleModule module = new SimpleModule(name);
    add(module, Expr.class, QueryNodeCodec::exprToJson, QueryNodeCodec::exprFromJson);
    add(module, SearchVector.class, QueryNodeCodec::vectorToJson, QueryNodeCodec::vectorFromJson);
    add(module, QueryRequest.class, QueryNodeCodec::queryToJson, QueryNodeCodec::queryFromJson);
    add(module, Path.class, p -> NODES.textNode(p.toString()), n -> Path.of(n.textValue()));
    return module;
  }

  /** A mapper with {@code module} that skips unknown fields. */
  static ObjectMapper mapper(SimpleModule module) {
    return new ObjectMapper()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .registerModule(module);
  }

  /** Names each call in its {@code call} field by its record's simple name. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "call")
  private interface CallNamed {}

  public byte[] encode(QueryNodeCall call) {
    return write(call);
  }

  public QueryNodeCall decodeCall(byte[] bytes) {
    return read(bytes, new TypeReference<>() {});
  }

  /** The answer of an action: a number, a boolean, a set of names, a record or null. */
  public byte[] encodeAnswer(Object answer) {
    return write(answer);
  }

  public long decodeLong(byte[] answer) {
    return read(answer, new TypeReference<Long>() {});
  }

  public boolean decodeBoolean(byte[] answer) {
    return read(answer, new TypeReference<Boolean>() {});
  }

  public Set<String> decodeNames(byte[] answer) {
    return Set.copyOf(read(answer, new TypeReference<List<String>>() {}));
  }

  public LoadState decodeLoadState(byte[] answer) {
    return read(answer, new TypeReference<>() {});
  }

  /** {@link #encodeAnswer} of {@code damage.orElse(null)}. */
  public Optional<Damage> decodeDamage(byte[] answer) {
    return Optional.ofNullable(read(answer, new TypeReference<Damage>() {}));
  }

  private byte[] write(Object value) {
    return write(json, value);
  }

  private <T> T read(byte[] bytes, TypeReference<T> type) {
    return read(json, bytes, type);
  }

  /** {@code value} as JSON; a value the mapper refuses keeps its own error. */
  static byte[] write(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      // A value the codec refuses (an unsendable literal) keeps its own error.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof RuntimeException r && !(t instanceof UncheckedIOException)) {
          throw r;
        }
      }
      throw new UncheckedIOException(e);
    }
  }

  /** The value of {@code bytes}; a record's refusal of what it was given keeps its error. */
  static <T> T read(ObjectMapper json, byte[] bytes, TypeReference<T> type) {
    try {
      return json.readValue(bytes, type);
    } catch (IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof RuntimeException r) {
          // A record's constructor refused what it was given: its own error, as a local call.
          throw r;
        }
      }
      throw new UncheckedIOException("unreadable message", e);
    }
  }

  static <T> void add(SimpleModule module, Class<T> type, Function<T, JsonNode> out,
      Function<JsonNode, T> in) {
    module.addSerializer(type, new JsonSerializer<>() {
      @Override
      public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeTree(out.apply(value));
      }
    });
    module.addDeserializer(type, new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return in.apply(p.readValueAsTree());
      }
    });
  }

  static JsonNode exprToJson(Expr expr) {
    if (expr == null) {
      return NODES.nullNode();
    }
    ObjectNode node = NODES.objectNode();
    switch (expr) {
      case Expr.Column c -> node.put("kind", "column").put("name", c.name());
      case Expr.Literal l ->
          node.put("kind", "literal").set("value", TypedValues.toJson(l.value()));
      case Expr.Compare c -> {
        node.put("kind", "compare").put("op", c.op().name());
        node.set("left", exprToJson(c.left()));
        node.set("right", exprToJson(c.right()));
      }
      case Expr.And a -> terms(node.put("kind", "and"), a.terms());
      case Expr.Or o -> terms(node.put("kind", "or"), o.terms());
      case Expr.Not n -> node.put("kind", "not").set("operand", exprToJson(n.operand()));
      case Expr.IsNull n -> node.put("kind", "isNull").set("operand", exprToJson(n.operand()));
      case Expr.IsNotNull n ->
          node.put("kind", "isNotNull").set("operand", exprToJson(n.operand()));
    }
    return node;
  }

  private static void terms(ObjectNode node, List<Expr> terms) {
    ArrayNode array = node.putArray("terms");
    terms.forEach(t -> array.add(exprToJson(t)));
  }

  static Expr exprFromJson(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String kind = node.path("kind").asText();
    return switch (kind) {
      case "column" -> new Expr.Column(node.get("name").textValue());
      case "literal" -> new Expr.Literal(TypedValues.fromJson(node.get("value")));
      case "compare" -> new Expr.Compare(Expr.CompareOp.valueOf(node.get("op").textValue()),
          exprFromJson(node.get("left")), exprFromJson(node.get("right")));
      case "and" -> new Expr.And(terms(node));
      case "or" -> new Expr.Or(terms(node));
      case "not" -> new Expr.Not(exprFromJson(node.get("operand")));
      case "isNull" -> new Expr.IsNull(exprFromJson(node.get("operand")));
      case "isNotNull" -> new Expr.IsNotNull(exprFromJson(node.get("operand")));
      default -> throw new IllegalArgumentException("unknown filter expression '" + kind + "'");
    };
  }

  private static List<Expr> terms(JsonNode node) {
    List<Expr> terms = new ArrayList<>();
    node.get("terms").forEach(t -> terms.add(exprFromJson(t)));
    return terms;
  }

  static JsonNode vectorToJson(SearchVector vector) {
    ObjectNode node = NODES.objectNode();
    switch (vector) {
      case SearchVector.Floats f -> node.put("kind", "floats").put("values", floats(f.values()));
      case SearchVector.Bits b -> node.put("kind", "bits").put("length", b.length())
          .put("packed", Base64.getEncoder().encodeToString(b.packed()));
      case SearchVector.Sparse s -> node.put("kind", "sparse").put("dimension", s.dimension())
          .put("indices", ints(s.indices())).put("values", floats(s.values()));
    }
    return node;
  }

  static SearchVector vectorFromJson(JsonNode node) {
    String kind = node.path("kind").asText();
    return switch (kind) {
      case "floats" -> new SearchVector.Floats(floats(node.get("values").textValue()));
      case "bits" -> new SearchVector.Bits(node.get("length").intValue(),
          Base64.getDecoder().decode(node.get("packed").textValue()));
      case "sparse" -> new SearchVector.Sparse(node.get("dimension").intValue(),
          ints(node.get("indices").textValue()), floats(node.get("values").textValue()));
      default -> throw new IllegalArgumentException("unknown query vector kind '" + kind + "'");
    };
  }

  private static String floats(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] floats(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64))
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  private static String ints(int[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(values);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static int[] ints(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64))
        .order(ByteOrder.LITTLE_ENDIAN);
    int[] values = new int[bytes.remaining() / Integer.BYTES];
    bytes.asIntBuffer().get(values);
    return values;
  }

  private static JsonNode queryToJson(QueryRequest request) {
    ObjectNode node = NODES.objectNode();
    node.put("collection", request.collection());
    node.set("filter", exprToJson(request.filter()));
    request.outputFields().forEach(node.putArray("outputFields")::add);
    node.put("limit", request.limit());
    if (request.keys() != null) {
      ArrayNode keys = node.putArray("keys");
      request.keys().forEach(k -> keys.add(TypedValues.toJson(k)));
    }
    if (request.partitions() != null) {
      request.partitions().forEach(node.putArray("partitions")::add);
    }
    return node;
  }

  private static QueryRequest queryFromJson(JsonNode node) {
    List<Object> keys = null;
    if (node.hasNonNull("keys")) {
      keys = new ArrayList<>();
      for (JsonNode key : node.get("keys")) {
        keys.add(TypedValues.fromJson(key));
      }
    }
    return new QueryRequest(node.get("collection").textValue(), exprFromJson(node.get("filter")),
        strings(node.get("outputFields")), node.get("limit").longValue(), keys,
        node.hasNonNull("partitions") ? strings(node.get("partitions")) : null);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(s -> out.add(s.textValue()));
    return out;
  }
}
