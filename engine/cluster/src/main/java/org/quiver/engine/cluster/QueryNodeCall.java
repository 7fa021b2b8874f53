package org.quiver.engine.cluster;

import java.util.List;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.engine.rootcoord.DroppedCollection;

/**
 * One call of {@link org.quiver.engine.querynode.QueryNode} as it travels to a query node in
 * another process: a record of the method's arguments, named by {@link #name} (the Flight action
 * type, and the {@code call} field of its JSON). {@link Read}s answer rows and go as Flight
 * {@code DoGet} tickets, streamed back as Arrow record batches; every other call goes as a
 * {@code DoAction} whose one result is a small JSON answer.
 */
public sealed interface QueryNodeCall {

  /** The call's name on the wire: the record's simple name ({@code Load}, {@code Scan}). */
  default String name() {
    return getClass().getSimpleName();
  }

  /** A call that answers rows. */
  sealed interface Read extends QueryNodeCall {
    /** The table read, whose schema types the rows' columns. */
    CollectionInfo info();
  }

  /** Whether the node answers at all; nothing else. */
  record Ping() implements QueryNodeCall {}

  record Load(CollectionInfo info) implements QueryNodeCall {}

  record LoadRetained(DroppedCollection dropped) implements QueryNodeCall {}

  record ReleasedPartitions(long collectionId) implements QueryNodeCall {}

  /** {@code partition} null: the whole collection. */
  record LoadStateOf(long collectionId, String partition) implements QueryNodeCall {}

  record Release(long collectionId) implements QueryNodeCall {}

  record ReleaseAll() implements QueryNodeCall {}

  record Assign(SegmentAssignment assignment) implements QueryNodeCall {}

  record IndexCreated(IndexInfo index) implements QueryNodeCall {}

  record IndexBuilt(SegmentInfo segment, IndexInfo index) implements QueryNodeCall {}

  record IndexDropped(IndexInfo index) implements QueryNodeCall {}

  record IndexHeapBytes(IndexInfo index) implements QueryNodeCall {}

  record IsLoaded(long collectionId) implements QueryNodeCall {}

  record TSafe(long collectionId) implements QueryNodeCall {}

  record AdvanceTSafe(CollectionInfo info, long tick) implements QueryNodeCall {}

  record CatchUp(CollectionInfo info) implements QueryNodeCall {}

  record SegmentsFlushed(List<SegmentInfo> seal) implements QueryNodeCall {}

  record PartitionCreated(long collectionId, String partition) implements QueryNodeCall {}

  record PartitionDropped(long collectionId, String partition) implements QueryNodeCall {}

  record SegmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged)
      implements QueryNodeCall {}

  record Unreadable(CollectionInfo info) implements QueryNodeCall {}

  record Search(CollectionInfo info, SearchRequest request, long readTs) implements Read {}

  record SearchBatch(CollectionInfo info, SearchRequest request, List<SearchVector> queries,
      long readTs) implements Read {}

  record Query(CollectionInfo info, QueryRequest request, long readTs) implements Read {}

  record GetByKeys(CollectionInfo info, QueryRequest request, long readTs) implements Read {}

  record Scan(CollectionInfo info, QueryRequest request, long readTs) implements Read {}
}
