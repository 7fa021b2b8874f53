package org.quiver.engine.querynode;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.rootcoord.DroppedCollection;

/**
 * The query node as the rest of the engine calls it: the proxy (loads, releases, reads), the data
 * node (seals handed over), the index node (indexes built) and compaction. Every argument and
 * answer is a plain value, so the node may be {@link LocalQueryNode} in this process or query
 * nodes in others (the cluster's query coordinator fans each call out to them).
 *
 * <p>Reads are MVCC at the read timestamp. The caller makes sure the node has applied every write
 * the read must see first: {@link #tSafe} at or past the read's guarantee, else
 * {@link #advanceTSafe} once no write below the guarantee is still on its way to the log.
 */
public interface QueryNode {

  /**
   * The part of each table this node holds from now on: a cluster's query coordination shares
   * each table's sealed segments and growing rows out over its query nodes ({@link
   * SegmentAssignment}) and tells every node when the nodes change, under a lock its reads wait
   * for. A table whose part changes is loaded anew. {@link SegmentAssignment#WHOLE}, where every
   * node starts, holds everything, as one process does. Every node holds every table's deletes.
   */
  void assign(SegmentAssignment assignment);

  /** Loads a collection's sealed segments and its growing rows (except released partitions). */
  void load(CollectionInfo info);

  /** Loads a dropped table kept for time travel, read only, unless it is loaded. */
  void loadRetained(DroppedCollection dropped);

  /** The partitions of a loaded collection that are released; empty when it is not loaded. */
  Set<String> releasedPartitions(long collectionId);

  /** The collection's load state and memory. */
  LoadState loadState(long collectionId);

  /** One partition's load state and memory ({@code partition} null: the whole collection). */
  LoadState loadState(long collectionId, String partition);

  /** Lets go of a collection. */
  void release(long collectionId);

  /**
   * Lets go of every collection held, as {@link #release} of each: a node that joins a cluster's
   * coordinator starts from nothing, whatever it held for an earlier one.
   */
  void releaseAll();

  /** Lets go of everything held, for the engine's close; the tables load again at the next start. */
  void close();

  /**
   * An index was declared: a node that reads the catalog of another process reads it again, so
   * that its searches use the index from now on, as they would here (a segment not built yet is
   * searched exactly, NULL vectors left out as the index leaves them out).
   */
  void indexCreated(IndexInfo index);

  /** Attaches an index just built for a segment. */
  void indexBuilt(SegmentInfo segment, IndexInfo index);

  /** Detaches and closes a dropped index. */
  void indexDropped(IndexInfo index);

  /** Bytes the index's open segments hold on the heap. */
  long indexHeapBytes(IndexInfo index);

  boolean isLoaded(long collectionId);

  /**
   * The time tick up to which every write to the collection is applied (the lowest over its
   * channels, and over the nodes that hold it); -1 when it is not loaded.
   */
  long tSafe(long collectionId);

  /**
   * Applies the log to its end and moves the collection's tSafe to {@code tick}: the caller
   * promises that every write below {@code tick} is in the log.
   */
  void advanceTSafe(CollectionInfo info, long tick);

  /** Applies every message written to the collection's channels so far. */
  void catchUp(CollectionInfo info);

  /** Hand-off of one seal: its segments replace the growing rows they cover. */
  void segmentsFlushed(List<SegmentInfo> seal);

  /**
   * A partition was created: a node that reads the catalog of another process reads it again, so
   * that it applies the rows written to the partition from now on (before this returns).
   */
  void partitionCreated(long collectionId, String partition);

  /** Lets go of a dropped partition's rows. */
  void partitionDropped(long collectionId, String partition);

  /** Compaction's hand-off: the merged segment replaces the segments it merges. */
  void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged);

  /** The damage that keeps the table from being read, if any. */
  Optional<Damage> unreadable(CollectionInfo info);

  /** The k nearest visible rows at {@code readTs}, after the request's offset. */
  ResultRows search(CollectionInfo info, SearchRequest request, long readTs);

  /** Exact k-NN of many queries, one answer per query, in order. */
  List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs);

  /** The visible rows at {@code readTs} that pass the filter (and have one of its keys). */
  ResultRows query(CollectionInfo info, QueryRequest request, long readTs);

  /** As {@link #query} without keys, read a chunk at a time as the caller takes them. */
  RowStream scan(CollectionInfo info, QueryRequest request, long readTs);

  /** The visible rows at {@code readTs} whose key is one of the request's keys. */
  ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs);
}
