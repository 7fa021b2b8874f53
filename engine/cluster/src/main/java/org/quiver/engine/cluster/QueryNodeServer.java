package org.quiver.engine.cluster;

import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.cluster.QueryNodeCall.AdvanceTSafe;
import org.quiver.engine.cluster.QueryNodeCall.Assign;
import org.quiver.engine.cluster.QueryNodeCall.CatchUp;
import org.quiver.engine.cluster.QueryNodeCall.GetByKeys;
import org.quiver.engine.cluster.QueryNodeCall.IndexBuilt;
import org.quiver.engine.cluster.QueryNodeCall.IndexCreated;
import org.quiver.engine.cluster.QueryNodeCall.IndexDropped;
import org.quiver.engine.cluster.QueryNodeCall.IndexHeapBytes;
import org.quiver.engine.cluster.QueryNodeCall.IsLoaded;
import org.quiver.engine.cluster.QueryNodeCall.Load;
import org.quiver.engine.cluster.QueryNodeCall.LoadRetained;
import org.quiver.engine.cluster.QueryNodeCall.LoadStateOf;
import org.quiver.engine.cluster.QueryNodeCall.PartitionCreated;
import org.quiver.engine.cluster.QueryNodeCall.PartitionDropped;
import org.quiver.engine.cluster.QueryNodeCall.Ping;
import org.quiver.engine.cluster.QueryNodeCall.Query;
import org.quiver.engine.cluster.QueryNodeCall.Read;
import org.quiver.engine.cluster.QueryNodeCall.Release;
import org.quiver.engine.cluster.QueryNodeCall.ReleaseAll;
import org.quiver.engine.cluster.QueryNodeCall.ReleasedPartitions;
import org.quiver.engine.cluster.QueryNodeCall.Scan;
import org.quiver.engine.cluster.QueryNodeCall.Search;
import org.quiver.engine.cluster.QueryNodeCall.SearchBatch;
import org.quiver.engine.cluster.QueryNodeCall.SegmentsCompacted;
import org.quiver.engine.cluster.QueryNodeCall.SegmentsFlushed;
import org.quiver.engine.cluster.QueryNodeCall.TSafe;
import org.quiver.engine.cluster.QueryNodeCall.Unreadable;
import org.quiver.engine.querynode.QueryNode;

/**
 * Serves a {@link QueryNode} of this process to others over Arrow Flight: each {@link
 * QueryNodeCall} but the reads is a {@code DoAction} (its JSON the body, its name the type) whose
 * one result is the JSON answer (empty for a call that answers nothing); a {@link Read} is a
 * {@code DoGet} whose ticket is the call's JSON and whose answer is a stream of Arrow record
 * batches ({@link ResultBatches}): one for a search, a query or a key lookup, one per query for a
 * batch search, one per chunk for a scan, which is sent as the caller takes it (the chunks wait
 * for the client's window, so a scan holds one chunk at a time) and closed when it ends or the
 * client goes away. A failure travels as {@link WireErrors} describes.
 *
 * <p>Closing the server stops serving; the node is its owner's to close.
 */
public final class QueryNodeServer implements AutoCloseable {
  private final FlightService service;

  private QueryNodeServer(FlightService service) {
    this.service = service;
  }

  /**
   * Serves {@code node} on {@code host:port} ({@code port} 0: a free one, see {@link #port}).
   */
  public static QueryNodeServer start(QueryNode node, String host, int port) {
    return start(node, host, port, null);
  }

  /** As above, every call needing {@code token} ({@link ClusterToken}; null: loopback only). */
  public static QueryNodeServer start(QueryNode node, String host, int port, String token) {
    return new QueryNodeServer(FlightService.start("query_node", host, port, token,
        allocator -> new Producer(node, allocator)));
  }

  public int port() {
    return service.port();
  }

  /** Where clients reach it: {@code host:port}. */
  public String location() {
    return service.location();
  }

  /** Stops serving, as {@link FlightService#close} says. */
  @Override
  public void close() {
    service.close();
  }

  /** The Flight side: decodes each call, makes it on the node, sends the answer. */
  private static final class Producer extends CallProducer {
    private static final byte[] NOTHING = new byte[0];

    private final QueryNode node;
    private final QueryNodeCodec codec = new QueryNodeCodec();

    Producer(QueryNode node, BufferAllocator allocator) {
      super(allocator);
      this.node = node;
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
      listCalls(QueryNodeCall.class, listener);
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
      act(action, listener, codec::decodeCall, QueryNodeCall::name, this::answer);
    }

    private byte[] answer(QueryNodeCall call) {
      return switch (call) {
        case Ping p -> NOTHING;
        case Load c -> {
          node.load(c.info());
          yield NOTHING;
        }
        case LoadRetained c -> {
          node.loadRetained(c.dropped());
          yield NOTHING;
        }
        case ReleasedPartitions c ->
            codec.encodeAnswer(List.copyOf(node.releasedPartitions(c.collectionId())));
        case LoadStateOf c -> codec.encodeAnswer(c.partition() == null
            ? node.loadState(c.collectionId()) : node.loadState(c.collectionId(), c.partition()));
        case Release c -> {
          node.release(c.collectionId());
          yield NOTHING;
        }
        case ReleaseAll c -> {
          node.releaseAll();
          yield NOTHING;
        }
        case Assign c -> {
          node.assign(c.assignment());
          yield NOTHING;
        }
        case IndexCreated c -> {
          node.indexCreated(c.index());
          yield NOTHING;
        }
        case IndexBuilt c -> {
          node.indexBuilt(c.segment(), c.index());
          yield NOTHING;
        }
        case IndexDropped c -> {
          node.indexDropped(c.index());
          yield NOTHING;
        }
        case IndexHeapBytes c -> codec.encodeAnswer(node.indexHeapBytes(c.index()));
        case IsLoaded c -> codec.encodeAnswer(node.isLoaded(c.collectionId()));
        case TSafe c -> codec.encodeAnswer(node.tSafe(c.collectionId()));
        case AdvanceTSafe c -> {
          node.advanceTSafe(c.info(), c.tick());
          yield NOTHING;
        }
        case CatchUp c -> {
          node.catchUp(c.info());
          yield NOTHING;
        }
        case SegmentsFlushed c -> {
          node.segmentsFlushed(c.seal());
          yield NOTHING;
        }
        case PartitionCreated c -> {
          node.partitionCreated(c.collectionId(), c.partition());
          yield NOTHING;
        }
        case PartitionDropped c -> {
          node.partitionDropped(c.collectionId(), c.partition());
          yield NOTHING;
        }
        case SegmentsCompacted c -> {
          node.segmentsCompacted(c.replaced(), c.merged());
          yield NOTHING;
        }
        case Unreadable c -> codec.encodeAnswer(node.unreadable(c.info()).orElse(null));
        case Read r -> throw new IllegalArgumentException(
            r.name() + " is a read: it goes as a DoGet ticket");
      };
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
      enter();
      try {
        if (!(codec.decodeCall(ticket.getBytes()) instanceof Read read)) {
          throw new IllegalArgumentException("a DoGet ticket must be a read");
        }
        switch (read) {
          case Search c -> send(listener, c.info(), c.request().outputFields(), true,
              List.of(node.search(c.info(), c.request(), c.readTs())));
          case SearchBatch c -> send(listener, c.info(), c.request().outputFields(), true,
              node.searchBatch(c.info(), c.request(), c.queries(), c.readTs()));
          case Query c -> send(listener, c.info(), c.request().outputFields(), false,
              List.of(node.query(c.info(), c.request(), c.readTs())));
          case GetByKeys c -> send(listener, c.info(), c.request().outputFields(), false,
              List.of(node.getByKeys(c.info(), c.request(), c.readTs())));
          case Scan c -> {
            try (RowStream rows = node.scan(c.info(), c.request(), c.readTs());
                VectorSchemaRoot root = ResultBatches.root(allocator, c.info().schema(),
                    c.request().outputFields(), false)) {
              stream(listener, root, null, rows, "the query node");
            }
          }
        }
      } catch (Throwable e) {
        listener.error(WireErrors.toFlight(e));
      } finally {
        exit();
      }
    }

    /** Answers whole results, computed before the first byte is sent. */
    private void send(ServerStreamListener listener, CollectionInfo info, List<String> fields,
        boolean distances, List<ResultRows> results) {
      try (VectorSchemaRoot root = ResultBatches.root(allocator, info.schema(), fields,
          distances)) {
        listener.start(root);
        for (ResultRows rows : results) {
          ResultBatches.write(rows, root);
          listener.putNext();
        }
        listener.completed();
      }
    }
  }
}
