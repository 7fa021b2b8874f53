package org.quiver.engine.cluster;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.quiver.engine.api.request.DeleteRequest;

/**
 * The JSON form of every {@link EngineCall} and of the answers of the engine's actions (rows go
 * as Arrow batches, see {@link ResultBatches}). Records are written as Jackson writes them, with
 * the forms {@link QueryNodeCodec} gives the values Jackson cannot keep (filters, query vectors,
 * keys, paths); a delete's keys keep their Java class too ({@link TypedValues}), so a BIGINT key
 * stays a Long. Unknown fields are skipped. Thread-safe.
 */
public final class EngineCodec {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper json;

  public EngineCodec() {
    SimpleModule module = QueryNodeCodec.values("quiver-engine");
    QueryNodeCodec.add(module, DeleteRequest.class, EngineCodec::deleteToJson,
        EngineCodec::deleteFromJson);
    this.json = QueryNodeCodec.mapper(module).addMixIn(EngineCall.class, CallNamed.class);
    for (Class<?> call : EngineCall.class.getPermittedSubclasses()) {
      json.registerSubtypes(
          call.isInterface() ? call.getPermittedSubclasses() : new Class<?>[] {call});
    }
  }

  /** Names each call in its {@code call} field by its record's simple name. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "call")
  private interface CallNamed {}

  public byte[] encode(EngineCall call) {
    return QueryNodeCodec.write(json, call);
  }

  public EngineCall decodeCall(byte[] bytes) {
    return QueryNodeCodec.read(json, bytes, new TypeReference<>() {});
  }

  /** The answer of an action: a value, a record, a list or map of them, or null. */
  public byte[] encodeAnswer(Object answer) {
    return QueryNodeCodec.write(json, answer);
  }

  public <T> T decodeAnswer(byte[] answer, TypeReference<T> type) {
    return QueryNodeCodec.read(json, answer, type);
  }

  private static JsonNode deleteToJson(DeleteRequest request) {
    ObjectNode node = NODES.objectNode().put("table", request.table());
    ArrayNode keys = node.putArray("primaryKeys");
    request.primaryKeys().forEach(k -> keys.add(TypedValues.toJson(k)));
    return node;
  }

  private static DeleteRequest deleteFromJson(JsonNode node) {
    List<Object> keys = new ArrayList<>();
    node.get("primaryKeys").forEach(k -> keys.add(TypedValues.fromJson(k)));
    return new DeleteRequest(node.get("table").textValue(), keys);
  }
}
