package org.quiver.engine.cluster;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.SearchVector;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.cluster.QueryNodeCall.Read;
import org.quiver.engine.querynode.QueryNode;
import org.quiver.engine.querynode.QueryNodeUnavailableException;
import org.quiver.engine.querynode.SegmentAssignment;
import org.quiver.engine.rootcoord.DroppedCollection;
import org.quiver.storage.schema.CollectionSchema;

/**
 * A query node in another process, called over Arrow Flight (the calls as {@link
 * QueryNodeServer} serves them). Every call has a deadline ({@link Deadlines}); a node that is
 * not listening, drops the connection or misses the deadline fails the call with {@link
 * QueryNodeUnavailableException} (08006, naming the node), and a node that refuses the call fails
 * it with the node's own {@link QuiverException}, code and message unchanged.
 *
 * <p>Connects on the first call. {@link #close} closes the connection (and any scan still open)
 * and leaves the remote node as it is: what it holds is the coordinator's to release. Thread-safe.
 */
public final class RemoteQueryNode implements QueryNode, AutoCloseable {

  /**
   * How long each kind of call may take before the node counts as unavailable.
   *
   * @param ping a {@link #ping}
   * @param call every other call, from a release to a search, sent and answered
   * @param scan a whole {@link #scan}, to its last chunk
   * @param load a call that may read whole segments from the object store: a load, a seal or a
   *     compaction handed over, an index built, or letting go of everything held
   */
  public record Deadlines(Duration ping, Duration call, Duration scan, Duration load) {
    public static final Deadlines DEFAULT = new Deadlines(Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(10));

    public Deadlines {
      for (Duration d : new Duration[] {ping, call, scan, load}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("a deadline must be positive, got " + d);
        }
      }
    }
  }

  private final String location;
  private final Deadlines deadlines;
  private final BufferAllocator allocator;
  private final FlightClient client;
  private final QueryNodeCodec codec = new QueryNodeCodec();
  private final Set<FlightRowStream> openScans = ConcurrentHashMap.newKeySet();

  public RemoteQueryNode(String location) {
    this(location, Deadlines.DEFAULT);
  }

  /** A client of the node at {@code location}, {@code host:port}; 22023 when it is not that. */
  public RemoteQueryNode(String location, Deadlines deadlines) {
    this(location, deadlines, null);
  }

  /** As above, sending {@code token} with each call ({@link ClusterToken}; null: none). */
  public RemoteQueryNode(String location, Deadlines deadlines, String token) {
    Location at = Endpoints.location(location, "a query node");
    this.location = location;
    this.deadlines = deadlines;
    this.allocator = new RootAllocator();
    FlightClient.Builder builder = FlightClient.builder(allocator, at);
    if (token != null) {
      builder.intercept(ClusterToken.sender(token));
    }
    this.client = builder.build();
  }

  /** The node's {@code host:port}. */
  public String location() {
    return location;
  }

  /**
   * Returns when the node's server answers (without asking the node);
   * {@link QueryNodeUnavailableException} within the ping deadline otherwise.
   */
  public void ping() {
    action(new QueryNodeCall.Ping(), deadlines.ping());
  }

  @Override
  public void load(CollectionInfo info) {
    action(new QueryNodeCall.Load(info), deadlines.load());
  }

  @Override
  public void loadRetained(DroppedCollection dropped) {
    action(new QueryNodeCall.LoadRetained(dropped), deadlines.load());
  }

  @Override
  public Set<String> releasedPartitions(long collectionId) {
    return codec.decodeNames(action(new QueryNodeCall.ReleasedPartitions(collectionId)));
  }

  @Override
  public LoadState loadState(long collectionId) {
    return loadState(collectionId, null);
  }

  @Override
  public LoadState loadState(long collectionId, String partition) {
    return codec.decodeLoadState(action(new QueryNodeCall.LoadStateOf(collectionId, partition)));
  }

  @Override
  public void release(long collectionId) {
    action(new QueryNodeCall.Release(collectionId));
  }

  /** Given the load deadline: a part that changes is loaded anew. */
  @Override
  public void assign(SegmentAssignment assignment) {
    action(new QueryNodeCall.Assign(assignment), deadlines.load());
  }

  @Override
  public void releaseAll() {
    action(new QueryNodeCall.ReleaseAll(), deadlines.load());
  }

  @Override
  public void indexCreated(IndexInfo index) {
    action(new QueryNodeCall.IndexCreated(index));
  }

  @Override
  public void indexBuilt(SegmentInfo segment, IndexInfo index) {
    action(new QueryNodeCall.IndexBuilt(segment, index), deadlines.load());
  }

  @Override
  public void indexDropped(IndexInfo index) {
    action(new QueryNodeCall.IndexDropped(index));
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    return codec.decodeLong(action(new QueryNodeCall.IndexHeapBytes(index)));
  }

  @Override
  public boolean isLoaded(long collectionId) {
    return codec.decodeBoolean(action(new QueryNodeCall.IsLoaded(collectionId)));
  }

  @Override
  public long tSafe(long collectionId) {
    return codec.decodeLong(action(new QueryNodeCall.TSafe(collectionId)));
  }

  @Override
  public void advanceTSafe(CollectionInfo info, long tick) {
    action(new QueryNodeCall.AdvanceTSafe(info, tick));
  }

  @Override
  public void catchUp(CollectionInfo info) {
    action(new QueryNodeCall.CatchUp(info));
  }

  @Override
  public void segmentsFlushed(List<SegmentInfo> seal) {
    action(new QueryNodeCall.SegmentsFlushed(seal), deadlines.load());
  }

  @Override
  public void partitionCreated(long collectionId, String partition) {
    action(new QueryNodeCall.PartitionCreated(collectionId, partition));
  }

  @Override
  public void partitionDropped(long collectionId, String partition) {
    action(new QueryNodeCall.PartitionDropped(collectionId, partition));
  }

  @Override
  public void segmentsCompacted(List<SegmentInfo> replaced, SegmentInfo merged) {
    action(new QueryNodeCall.SegmentsCompacted(replaced, merged), deadlines.load());
  }

  @Override
  public Optional<Damage> unreadable(CollectionInfo info) {
    return codec.decodeDamage(action(new QueryNodeCall.Unreadable(info)));
  }

  @Override
  public ResultRows search(CollectionInfo info, SearchRequest request, long readTs) {
    return single(read(new QueryNodeCall.Search(info, request, readTs)));
  }

  @Override
  public List<ResultRows> searchBatch(CollectionInfo info, SearchRequest request,
      List<SearchVector> queries, long readTs) {
    List<ResultRows> answers =
        read(new QueryNodeCall.SearchBatch(info, request, queries, readTs));
    if (answers.size() != queries.size()) {
      throw QuiverException.of(ErrorCode.INTERNAL_ERROR,
          "query node %s answered %d of %d queries", location, answers.size(), queries.size());
    }
    return answers;
  }

  @Override
  public ResultRows query(CollectionInfo info, QueryRequest request, long readTs) {
    return single(read(new QueryNodeCall.Query(info, request, readTs)));
  }

  @Override
  public ResultRows getByKeys(CollectionInfo info, QueryRequest request, long readTs) {
    return single(read(new QueryNodeCall.GetByKeys(info, request, readTs)));
  }

  /**
   * The rows as the node streams them, one chunk per batch; close it to stop the node's scan. The
   * first chunk is awaited here, so a scan the node refuses fails this call, as a local one does.
   */
  @Override
  public RowStream scan(CollectionInfo info, QueryRequest request, long readTs) {
    FlightStream stream = call(() -> client.getStream(
        new Ticket(codec.encode(new QueryNodeCall.Scan(info, request, readTs))),
        timeout(deadlines.scan())));
    return FlightRowStream.open(stream, root -> ResultBatches.read(root, info.schema()),
        e -> WireErrors.fromFlight(e, location), openScans);
  }

  /** Closes the connection (and the scans still open); the node keeps what it holds. */
  @Override
  public void close() {
    openScans.forEach(FlightRowStream::close);
    try {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      allocator.close();
    }
  }

  private byte[] action(QueryNodeCall call) {
    return action(call, deadlines.call());
  }

  /** Makes the call and returns its one answer (empty for a call that answers nothing). */
  private byte[] action(QueryNodeCall call, Duration deadline) {
    byte[] body = codec.encode(call);
    return call(() -> {
      Iterator<Result> results = client.doAction(new Action(call.name(), body), timeout(deadline));
      byte[] answer = results.hasNext() ? results.next().getBody() : new byte[0];
      results.forEachRemaining(r -> { });
      return answer;
    });
  }

  /** Every batch the read answers, as rows. */
  private List<ResultRows> read(Read call) {
    byte[] ticket = codec.encode(call);
    CollectionSchema schema = call.info().schema();
    return call(() -> FlightRowStream.readAll(
        client.getStream(new Ticket(ticket), timeout(deadlines.call())),
        root -> ResultBatches.read(root, schema)));
  }

  private ResultRows single(List<ResultRows> answers) {
    if (answers.size() != 1) {
      throw QuiverException.of(ErrorCode.INTERNAL_ERROR,
          "query node %s answered %d batches where one was expected", location, answers.size());
    }
    return answers.get(0);
  }

  private static CallOption timeout(Duration deadline) {
    return CallOptions.timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A call whose Flight failures become what {@link WireErrors} says. */
  private <T> T call(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (FlightRuntimeException e) {
      throw WireErrors.fromFlight(e, location);
    }
  }
}
