package org.quiver.engine.cluster;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.storage.column.ColumnBuilder;
import org.quiver.storage.schema.FieldSchema;

/**
 * A query node that records every call it receives (as the {@link QueryNodeCall} of its
 * arguments) and passes it on to a real node, or, without one, answers the fixed values below;
 * it can be made to fail or to stall each call, and counts the scans it was asked to close.
 */
final class RecordingQueryNode implements QueryNode {
  static final LoadState STATE = new LoadState("loading", 61, 1_234, 5_678);
  static final Set<String> RELEASED = Set.of("p1", "p2");

  final List<QueryNodeCall> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger scansClosed = new AtomicInteger();
  private final QueryNode delegate;
  volatile RuntimeException failure;
  volatile long stallMillis;
  /** How long a search stalls, on top of {@link #stallMillis}. */
  volatile long stallSearchMillis;
  /** How long a scan stalls before each chunk after its first. */
  volatile long stallScanMillis;
  /** What a scan throws in place of its third chunk, if anything. */
  volatile RuntimeException scanFailure;
  volatile boolean closed;

  RecordingQueryNode(QueryNode delegate) {
    this.delegate = delegate;
  }

  private void arrived(QueryNodeCall call) {
    calls.add(call);
    if (stallMillis > 0) {
      try {
        Thread.sleep(stallMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  QueryNodeCall last() {
    return calls.getLast();
  }

  @Override
  public void load(CollectionInfo info) {
    arrived(new QueryNodeCall.Load(info));
    if (delegate != null) {
      delegate.load(info);
    }
  }

  @Override
  public void loadRetained(DroppedCollection dropped) {
    arrived(new QueryNodeCall.LoadRetained(dropped));
    if (delegate != null) {
      delegate.loadRetained(dropped);
    }
  }

  @Override
  public Set<String> releasedPartitions(long collectionId) {
    arrived(new QueryNodeCall.ReleasedPartitions(collectionId));
    return delegate == null ? RELEASED : delegate.releasedPartitions(collectionId);
  }

  @Override
  public LoadState loadState(long collectionId) {
    arrived(new QueryNodeCall.LoadStateOf(collectionId, null));
    return delegate == null ? STATE : delegate.loadState(collectionId);
  }

  @Override
  public LoadState loadState(long collectionId, String partition) {
    arrived(new QueryNodeCall.LoadStateOf(collectionId, partition));
    return delegate == null ? STATE : delegate.loadState(collectionId, partition);
  }

  @Override
  public void release(long collectionId) {
    arrived(new QueryNodeCall.Release(collectionId));
    if (delegate != null) {
      delegate.release(collectionId);
    }
  }

  @Override
  public void assign(SegmentAssignment assignment) {
    arrived(new QueryNodeCall.Assign(assignment));
    if (delegate != null) {
      delegate.assign(assignment);
    }
  }

  @Override
  public void releaseAll() {
    arrived(new QueryNodeCall.ReleaseAll());
    if (delegate != null) {
      delegate.releaseAll();
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public void indexCreated(IndexInfo index) {
    arrived(new QueryNodeCall.IndexCreated(index));
    if (delegate != null) {
      delegate.indexCreated(index);
    }
  }

  @Override
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    arrived(new QueryNodeCall.IndexBuilt(segment, index));
    if (delegate != null) {
      delegate.indexBuilt(segment, index);
    }
  }

  @Override
  public void indexDropped(IndexInfo index) {
    arrived(new QueryNodeCall.IndexDropped(index));
    if (delegate != null) {
      delegate.indexDropped(index);
    }
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    arrived(new QueryNodeCall.IndexHeapBytes(index));
    return delegate == null ? Long.MAX_VALUE - 1 : delegate.indexHeapBytes(index);
  }

  @Override
  public boolean isLoaded(long collectionId) {
    arrived(new QueryNodeCall.IsLoaded(collectionId));
    return delegate == null ? collectionId % 2 == 0 : delegate.isLoaded(collectionId);
  }

  @Override
  public long tSafe(long collectionId) {
    arrived(new QueryNodeCall.TSafe(collectionId));
    return delegate == null ? -collectionId : delegate.tSafe(collectionId);
  }

  @Override
  public void advanceTSafe(CollectionInfo info, long tick) {
    arrived(new QueryNodeCall.AdvanceTSafe(info, tick));
    if (delegate != null) {
      delegate.advanceTSafe(info, tick);
    }
  }

  @Override
  public void catchUp(CollectionInfo info) {
    arrived(new QueryNodeCall.CatchUp(info));
    if (delegate != null) {
      delegate.catchUp(info);
    }
  }

  @Override
  public void segmentsFlushed(List<SegmentInfo> seal) {
    arrived(new QueryNodeCall.SegmentsFlushed(seal));
    if (delegate != null) {
      delegate.segmentsFlushed(seal);
    }
  }

  @Override
  public void partitionCreated(long collectionId, String partition) {
    arrived(new QueryNodeCall.PartitionCreated(collectionId, partition));
    if (delegate != null) {
      delegate.partitionCreated(collectionId, partition);
    }
  }

  @Override
  public void partitionDropped(long collectionId, String partition) {
    arrived(new QueryNodeCall.PartitionDropped(collectionId, partition));
    if (delegate != null) {
      delegate.partitionDropped(collectionId, partition);
    }
  }

  @Override
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    arrived(new QueryNodeCall.SegmentsCompacted(replaced, merged));
    if (delegate != null) {
      delegate.segmentsCompacted(replaced, merged);
    }
  }

  @Override
  public Optional<Damage> unreadable(CollectionInfo info) {
    arrived(new QueryNodeCall.Unreadable(info));
    return delegate == null ? Optional.of(Samples.DAMAGE) : delegate.unreadable(info);
  }

  @Override
  public ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    arrived(new QueryNodeCall.Search(info, request, readTs));
    if (stallSearchMillis > 0) {
      try {
        Thread.sleep(stallSearchMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.search(info, request, readTs);
  }

  @Override
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs) {
    arrived(new QueryNodeCall.SearchBatch(info, request, queries, readTs));
    return delegate.searchBatch(info, request, queries, readTs);
  }

  @Override
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    arrived(new QueryNodeCall.Query(info, request, readTs));
    return delegate.query(info, request, readTs);
  }

  @Override
  public RowStream scan(CollectionInfo info, QueryRequest request, long readTs) {
    arrived(new QueryNodeCall.Scan(info, request, readTs));
    RowStream rows = delegate == null ? endless(info) : delegate.scan(info, request, readTs);
    return new RowStream() {
      private int served;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public ResultRows next() {
        if (served == 2 && scanFailure != null) {
          throw scanFailure;
        }
        if (served++ > 0 && stallScanMillis > 0) {
          try {
            Thread.sleep(stallScanMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return rows.next();
      }

      @Override
      public void close() {
        scansClosed.incrementAndGet();
        rows.close();
      }
    };
  }

  /** Chunks of 1,000 rows of the table's key, counting up, without end. */
  private static RowStream endless(CollectionInfo info) {
    FieldSchema key = info.schema().primaryKey();
    return new RowStream() {
      private long next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public ResultRows next() {
        ColumnBuilder keys = new ColumnBuilder(key, 1_000);
        for (int i = 0; i < 1_000; i++) {
          keys.append(next++);
        }
        return new ResultRows(List.of(key.name()), List.of(keys.build()), 1_000, null);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    arrived(new QueryNodeCall.GetByKeys(info, request, readTs));
    return delegate.getByKeys(info, request, readTs);
  }
}
