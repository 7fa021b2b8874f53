package org.quiver.engine.rootcoord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/** The catalog's persisted table schemas: records written before assigned keys stay readable. */
class CatalogSchemaFormatTest {
  @TempDir Path dir;

  @Test
  void aRecordWithoutTheAssignedKeyFlagsReadsAsGivenKeys() {
    String old = "{\"id\":7,\"name\":\"docs\",\"schema\":{\"fields\":["
        + "{\"id\":1,\"name\":\"id\",\"type\":\"INT64\",\"dimension\":0,\"nullable\":false,"
        + "\"primaryKey\":true},"
        + "{\"id\":2,\"name\":\"v\",\"type\":\"FLOAT_VECTOR\",\"dimension\":2,\"nullable\":false,"
        + "\"primaryKey\":false}]},"
        + "\"channels\":[\"dml_0\"],\"createTs\":5,\"loaded\":true}";
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      kv.put("collection/7", old.getBytes(StandardCharsets.UTF_8));
      CollectionSchema schema = new MetaTable(kv).collection("docs").orElseThrow().schema();
      assertEquals(new FieldSchema(1, "id", DataType.INT64, 0, false, true), schema.primaryKey());
      assertFalse(schema.primaryKey().autoId());
      assertFalse(schema.hasHiddenKey());
      assertEquals(2, schema.visibleFields().size());
    }
  }

  @Test
  void aHiddenRowIdSurvivesAReopen() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "embedding", DataType.FLOAT_VECTOR, 3, false, false),
        FieldSchema.rowId(2)));
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      new MetaTable(kv).saveCollection(
          new CollectionInfo(9, "items", schema, List.of("dml_0"), 1, true));
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      CollectionSchema read = new MetaTable(kv).collection("items").orElseThrow().schema();
      assertEquals(schema, read);
      assertTrue(read.hasHiddenKey());
      assertTrue(read.primaryKey().autoId());
      assertEquals(List.of("embedding"),
          read.visibleFields().stream().map(FieldSchema::name).toList());
    }
  }
}
