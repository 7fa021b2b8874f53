package org.quiver.engine.rootcoord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

/**
 * The catalog's persisted table records: records written before assigned keys or replaces stay
 * readable, and a replace's swap is durable as one write.
 */
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
  void aRecordFromBeforeReplacesIsVisibleFromItsCreation() {
    String old = "{\"id\":7,\"name\":\"docs\",\"schema\":{\"fields\":["
        + "{\"id\":1,\"name\":\"id\",\"type\":\"INT64\",\"dimension\":0,\"nullable\":false,"
        + "\"primaryKey\":true}]},\"channels\":[\"dml_0\"],\"createTs\":5,\"loaded\":true}";
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      kv.put("collection/7", old.getBytes(StandardCharsets.UTF_8));
      MetaTable meta = new MetaTable(kv);
      assertEquals(5, meta.collection("docs").orElseThrow().visibleSince());
      assertTrue(meta.collectionAt("docs", 5).isPresent());
      assertTrue(meta.collectionAt("docs", 4).isEmpty());
    }
  }

  @Test
  void aSwapRetiresTheOldTableAndMovesTheNameAndAliasesAtOneTimestamp() {
    CollectionSchema schema = new CollectionSchema(List.of(
        new FieldSchema(1, "id", DataType.INT64, 0, false, true)));
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      MetaTable meta = new MetaTable(kv);
      CollectionInfo old = new CollectionInfo(1, "t", schema, List.of("dml_1_0"), 10, true);
      CollectionInfo staging = new CollectionInfo(2, MetaTable.stagingName("t", 3), schema,
          List.of("dml_2_0"), 20, true);
      meta.saveCollection(old);
      meta.saveCollection(staging);
      meta.saveAlias(new AliasInfo("current", 1));
      meta.swapIn(staging, old, 30, java.util.Map.of("dml_1_0", 7L));
    }
    try (RocksKvStore kv = RocksKvStore.open(dir)) {
      MetaTable meta = new MetaTable(kv);
      assertEquals(List.of("t"), meta.collections().stream().map(CollectionInfo::name).toList());
      assertEquals(2, meta.collection("t").orElseThrow().id());
      assertEquals(2, meta.alias("current").orElseThrow().collectionId());
      assertEquals(30, meta.dropped(1).orElseThrow().dropTs());
      assertEquals(java.util.Map.of("dml_1_0", 7L), meta.dropped(1).orElseThrow().checkpoints());
      assertEquals(1, meta.collectionAt("t", 29).orElseThrow().id());
      assertEquals(2, meta.collectionAt("t", 30).orElseThrow().id());
      assertTrue(meta.collectionAt("t", 9).isEmpty());
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
