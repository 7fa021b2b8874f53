package org.quiver.engine.cluster;

import org.quiver.engine.api.Engine;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.request.AlterAliasRequest;
import org.quiver.engine.api.request.BatchSearchRequest;
import org.quiver.engine.api.request.CompactRequest;
import org.quiver.engine.api.request.CreateAliasRequest;
import org.quiver.engine.api.request.CreateIndexRequest;
import org.quiver.engine.api.request.CreatePartitionRequest;
import org.quiver.engine.api.request.CreateTableRequest;
import org.quiver.engine.api.request.DeleteRequest;
import org.quiver.engine.api.request.DiscardStagingRequest;
import org.quiver.engine.api.request.DropAliasRequest;
import org.quiver.engine.api.request.DropIndexRequest;
import org.quiver.engine.api.request.DropPartitionRequest;
import org.quiver.engine.api.request.DropTableRequest;
import org.quiver.engine.api.request.FlushRequest;
import org.quiver.engine.api.request.LoadRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.ReleaseRequest;
import org.quiver.engine.api.request.RenameTableRequest;
import org.quiver.engine.api.request.ReplaceTableRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.StageReplacementRequest;
import org.quiver.storage.schema.CollectionSchema;

/**
 * One call of {@link Engine} as it travels from a proxy to its coordinator: a record of the
 * method's arguments, named by {@link #name} (the Flight action type, and the {@code call} field
 * of its JSON). {@link Read}s answer rows and go as {@code DoGet} tickets, answered with Arrow
 * record batches; {@link Write}s carry rows and go as {@code DoPut}, the rows as Arrow record
 * batches; every other call is a {@code DoAction} whose one result is its JSON answer.
 */
public sealed interface EngineCall {

  /** The call's name on the wire: the record's simple name ({@code CreateTable}, {@code Scan}). */
  default String name() {
    return getClass().getSimpleName();
  }

  /** A call that answers rows. */
  sealed interface Read extends EngineCall {}

  /** A call whose rows follow it as record batches of a table of {@code schema}. */
  sealed interface Write extends EngineCall {
    String table();

    String partition();

    CollectionSchema schema();
  }

  /** Whether the coordinator's server answers at all; nothing else. */
  record Ping() implements EngineCall {}

  record Config() implements EngineCall {}

  // Definition.

  record CreateTable(CreateTableRequest request) implements EngineCall {}

  record DropTable(DropTableRequest request) implements EngineCall {}

  record RenameTable(RenameTableRequest request) implements EngineCall {}

  record StageReplacement(StageReplacementRequest request) implements EngineCall {}

  record ReplaceTable(ReplaceTableRequest request) implements EngineCall {}

  record DiscardStaging(DiscardStagingRequest request) implements EngineCall {}

  record CreatePartition(CreatePartitionRequest request) implements EngineCall {}

  record DropPartition(DropPartitionRequest request) implements EngineCall {}

  record CreateAlias(CreateAliasRequest request) implements EngineCall {}

  record AlterAlias(AlterAliasRequest request) implements EngineCall {}

  record DropAlias(DropAliasRequest request) implements EngineCall {}

  record CreateIndex(CreateIndexRequest request) implements EngineCall {}

  record DropIndex(DropIndexRequest request) implements EngineCall {}

  record Load(LoadRequest request) implements EngineCall {}

  record Release(ReleaseRequest request) implements EngineCall {}

  // Manipulation.

  record Insert(String table, String partition, CollectionSchema schema) implements Write {}

  record Upsert(String table, String partition, CollectionSchema schema) implements Write {}

  record Delete(DeleteRequest request) implements EngineCall {}

  record Flush(FlushRequest request) implements EngineCall {}

  record Compact(CompactRequest request) implements EngineCall {}

  // Reads.

  record Search(SearchRequest request, ReadOptions options) implements Read {}

  record SearchBatch(BatchSearchRequest request) implements Read {}

  record Query(QueryRequest request, ReadOptions options) implements Read {}

  record Scan(QueryRequest request, ReadOptions options) implements Read {}

  // The catalog and status views.

  record Table(String name) implements EngineCall {}

  record Tables() implements EngineCall {}

  record TableAt(String name, long asOfMillis) implements EngineCall {}

  record TableVersion(long collectionId) implements EngineCall {}

  record DroppedTables() implements EngineCall {}

  record Partitions(String table) implements EngineCall {}

  record Aliases() implements EngineCall {}

  record Indexes(String table) implements EngineCall {}

  record IndexProgressOf(IndexInfo index) implements EngineCall {}

  record IndexHeapBytes(IndexInfo index) implements EngineCall {}

  record Segments(String table) implements EngineCall {}

  record IsLoaded(CollectionInfo table) implements EngineCall {}

  /** {@code partition} null: the whole table. */
  record LoadStateOf(CollectionInfo table, String partition) implements EngineCall {}

  record RowCount(String table) implements EngineCall {}

  record Channels() implements EngineCall {}

  record Queues() implements EngineCall {}

  record Tasks() implements EngineCall {}

  record Damages() implements EngineCall {}

  record QueryNodes() implements EngineCall {}

  record QueryNodeOf(long segmentId) implements EngineCall {}

  record GrowingQueryNodeOf(CollectionInfo table) implements EngineCall {}

  record TSafe(String table) implements EngineCall {}

  record Now() implements EngineCall {}
}
