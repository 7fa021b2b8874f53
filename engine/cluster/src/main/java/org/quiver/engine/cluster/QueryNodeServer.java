package org.quiver.engine.cluster;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(QueryNodeServer.class);
  /** How long a scan waits at a time for the client's window before looking again: {@value} ms. */
  private static final long SCAN_WAIT_MS = 1_000;
  /** How long a call cut by {@link #close} may take to return: {@value} ms. */
  private static final long STOP_GRACE_MS = 3_000;

  private final BufferAllocator allocator;
  private final Producer producer;
  private final FlightServer server;
  private final String location;

  private QueryNodeServer(BufferAllocator allocator, Producer producer, FlightServer server,
      String location) {
    this.allocator = allocator;
    this.producer = producer;
    this.server = server;
    this.location = location;
  }

  /**
   * Serves {@code node} on {@code host:port} ({@code port} 0: a free one, see {@link #port}).
   */
  public static QueryNodeServer start(QueryNode node, String host, int port) {
    BufferAllocator allocator = new RootAllocator();
    try {
      Producer producer = new Producer(node, allocator);
      FlightServer server = FlightServer.builder(allocator, Location.forGrpcInsecure(host, port),
          producer).build().start();
      String location = host + ":" + server.getPort();
      LOG.info("event=query_node_serving location={}", location);
      return new QueryNodeServer(allocator, producer, server, location);
    } catch (IOException e) {
      allocator.close();
      throw new QuiverException(ErrorCode.IO_ERROR,
          "could not serve the query node on " + host + ":" + port + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Where clients reach it: {@code host:port}. */
  public String location() {
    return location;
  }

  /**
   * Stops serving: a scan in flight ends before its next chunk, with the status that tells its
   * client the node is unavailable; other calls in flight are given a few seconds (Flight's own
   * grace, 3 s), then cut. The buffers are let go once the last call has returned; a call stuck
   * in the node for {@value #STOP_GRACE_MS} ms more keeps them, and is logged.
   */
  @Override
  public void close() {
    producer.stopping = true;
    try {
      server.close();
      if (producer.awaitIdle(STOP_GRACE_MS)) {
        allocator.close();
      } else {
        LOG.warn("event=query_node_server_call_stuck location={} calls={}", location,
            producer.inFlight());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The Flight side: decodes each call, makes it on the node, sends the answer. */
  private static final class Producer extends NoOpFlightProducer {
    private static final byte[] NOTHING = new byte[0];

    private final QueryNode node;
    private final BufferAllocator allocator;
    private final QueryNodeCodec codec = new QueryNodeCodec();
    /** Set when the server stops: scans end rather than keep the server up. */
    volatile boolean stopping;
    /** Calls that have not returned yet; guarded by {@code this}. */
    private int inFlight;

    Producer(QueryNode node, BufferAllocator allocator) {
      this.node = node;
      this.allocator = allocator;
    }

    private synchronized void enter() {
      inFlight++;
    }

    private synchronized void exit() {
      if (--inFlight == 0) {
        notifyAll();
      }
    }

    synchronized int inFlight() {
      return inFlight;
    }

    /** Waits until no call is in flight, up to {@code millis}; whether none is. */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (inFlight > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        wait(left);
      }
      return true;
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
      for (Class<?> call : QueryNodeCall.class.getPermittedSubclasses()) {
        if (!call.isInterface()) {
          listener.onNext(new ActionType(call.getSimpleName(), ""));
        }
      }
      listener.onCompleted();
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
      enter();
      try {
        QueryNodeCall call = codec.decodeCall(action.getBody());
        if (!call.name().equals(action.getType())) {
          throw new IllegalArgumentException(
              "action " + action.getType() + " carries a " + call.name() + " call");
        }
        listener.onNext(new Result(answer(call)));
        listener.onCompleted();
      } catch (Throwable e) {
        listener.onError(WireErrors.toFlight(e));
      } finally {
        exit();
      }
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
            try (RowStream rows = node.scan(c.info(), c.request(), c.readTs())) {
              stream(listener, c.info(), c.request().outputFields(), rows);
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

    /**
     * Sends a scan's chunks as the client takes them: each waits until the client's window has
     * room, so no more than a chunk is held here; stops when the client cancels.
     */
    private void stream(ServerStreamListener listener, CollectionInfo info, List<String> fields,
        RowStream rows) {
      BackpressureStrategy window = new BackpressureStrategy.CallbackBackpressureStrategy();
      window.register(listener);
      try (VectorSchemaRoot root = ResultBatches.root(allocator, info.schema(), fields, false)) {
        listener.start(root);
        while (rows.hasNext()) {
          if (!awaitWindow(window, listener)) {
            return;
          }
          if (stopping) {
            // No code of the node's: the client takes it for the node gone, as it soon is.
            listener.error(CallStatus.UNAVAILABLE
                .withDescription("the query node stopped in the middle of the scan")
                .toRuntimeException());
            return;
          }
          ResultBatches.write(rows.next(), root);
          listener.putNext();
        }
        listener.completed();
      }
    }

    /** Waits for room to send; false when the client is gone. */
    private boolean awaitWindow(BackpressureStrategy window, ServerStreamListener listener) {
      while (true) {
        if (listener.isCancelled()) {
          return false;
        }
        if (stopping) {
          return true;
        }
        switch (window.waitForListener(SCAN_WAIT_MS)) {
          case READY:
            return true;
          case TIMEOUT:
            continue;
          default:
            return false;
        }
      }
    }
  }
}
