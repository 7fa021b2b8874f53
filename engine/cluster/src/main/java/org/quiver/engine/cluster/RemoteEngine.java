package org.quiver.engine.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.Quiver;
import org.quiver.engine.SharedServices;
import org.quiver.engine.api.CompactResult;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.ReadOptions;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.engine.api.catalog.IndexInfo;
import org.quiver.engine.api.catalog.SegmentInfo;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
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
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.LoadRequest;
import org.quiver.engine.api.request.QueryRequest;
import org.quiver.engine.api.request.ReleaseRequest;
import org.quiver.engine.api.request.RenameTableRequest;
import org.quiver.engine.api.request.ReplaceTableRequest;
import org.quiver.engine.api.request.SearchRequest;
import org.quiver.engine.api.request.StageReplacementRequest;
import org.quiver.engine.api.request.UpsertRequest;
import org.quiver.engine.api.status.Damage;
import org.quiver.engine.api.status.IndexProgress;
import org.quiver.engine.api.status.LoadState;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TableChannelStats;
import org.quiver.engine.api.status.TaskView;
import org.quiver.storage.StorageException;
import org.quiver.storage.column.ArrowColumns;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/**
 * The engine of a cluster's coordinator, called from a proxy over Arrow Flight (the calls as
 * {@link EngineServer} serves them): what {@link Engine#open} gives for a configuration that names
 * a {@linkplain QuiverConfig#coordinator coordinator}. Every call is one round trip; the
 * coordinator's errors come back with their own code and message, and a coordinator that is not
 * listening, drops the connection or misses the deadline fails the call with 08006 naming it.
 * Nothing is cached here: each call sees the catalog as the coordinator has it then.
 *
 * <p>Connects on the first call, and again after the coordinator comes back. {@link #close}
 * closes the connection (and any scan still open); the coordinator's engine stays open.
 * Thread-safe.
 */
public final class RemoteEngine implements Engine {
  /** How long any call but a scan may take: DDL and flushes wait for the coordinator's tasks. */
  private static final Duration CALL_DEADLINE = Duration.ofMinutes(10);
  /** How long a whole scan may take, to its last chunk. */
  private static final Duration SCAN_DEADLINE = Duration.ofHours(1);

  /** The coordinator's {@code host:port} now: given, or last found in the catalog store. */
  private volatile String location;
  /**
   * The catalog store where the coordinator registers its endpoint, when the configuration names
   * one; this proxy's session lives there too. Null for a coordinator given as host:port.
   */
  private final KvStore sessions;
  private final BufferAllocator allocator;
  private final String token;
  /**
   * The connection; replaced after the coordinator is found unreachable, since gRPC's own
   * reconnection backs off up to two minutes, during which calls would fail fast although the
   * coordinator is back. Guarded by {@code this} for writes.
   */
  private volatile FlightClient client;
  private boolean closed;
  /** Where proxies register, one key each, for as long as they run: {@value}. */
  public static final String PROXY_SESSIONS = "session/proxy/";
  private final EngineCodec codec = new EngineCodec();
  private final Set<FlightRowStream> openScans = ConcurrentHashMap.newKeySet();

  /**
   * A client of the coordinator {@code config} names, sending {@code token} with each call (null:
   * none, for a coordinator on loopback without one). Given the catalog store's location, it
   * registers this proxy's session there ({@value #PROXY_SESSIONS}) and finds the coordinator's
   * endpoint there, at the first call and again whenever the coordinator stops answering. 22023
   * when a host:port is not one; 08001 when the catalog store does not answer.
   */
  public RemoteEngine(QuiverConfig config, String token) {
    String given = config.coordinator();
    this.token = token;
    this.allocator = new RootAllocator();
    try {
      if (given.contains("://")) {
        this.location = given.replaceAll("\\?.*", "");
        this.sessions = SharedServices.openForSession(URI.create(given), PROXY_SESSIONS
            + "proxy-" + UUID.randomUUID().toString().substring(0, 8),
            Endpoints.hostName().getBytes(StandardCharsets.UTF_8));
      } else {
        this.sessions = null;
        this.location = given;
        this.client = connect(given);
      }
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  /** The coordinator's {@code host:port}. */
  public String location() {
    return location;
  }

  /**
   * The configuration the coordinator's engine was opened with (its folder, services and query
   * nodes), not this proxy's; each call asks, since the coordinator may restart changed.
   */
  @Override
  public QuiverConfig config() {
    return action(new EngineCall.Config(), new TypeReference<>() {});
  }

  @Override
  public boolean createTable(CreateTableRequest request) {
    return action(new EngineCall.CreateTable(request), new TypeReference<>() {});
  }

  @Override
  public boolean dropTable(DropTableRequest request) {
    return action(new EngineCall.DropTable(request), new TypeReference<>() {});
  }

  @Override
  public void renameTable(RenameTableRequest request) {
    run(new EngineCall.RenameTable(request));
  }

  @Override
  public String stageReplacement(StageReplacementRequest request) {
    return action(new EngineCall.StageReplacement(request), new TypeReference<>() {});
  }

  @Override
  public void replaceTable(ReplaceTableRequest request) {
    run(new EngineCall.ReplaceTable(request));
  }

  @Override
  public boolean discardStaging(DiscardStagingRequest request) {
    return action(new EngineCall.DiscardStaging(request), new TypeReference<>() {});
  }

  @Override
  public void createPartition(CreatePartitionRequest request) {
    run(new EngineCall.CreatePartition(request));
  }

  @Override
  public void dropPartition(DropPartitionRequest request) {
    run(new EngineCall.DropPartition(request));
  }

  @Override
  public void createAlias(CreateAliasRequest request) {
    run(new EngineCall.CreateAlias(request));
  }

  @Override
  public void alterAlias(AlterAliasRequest request) {
    run(new EngineCall.AlterAlias(request));
  }

  @Override
  public boolean dropAlias(DropAliasRequest request) {
    return action(new EngineCall.DropAlias(request), new TypeReference<>() {});
  }

  @Override
  public boolean createIndex(CreateIndexRequest request) {
    return action(new EngineCall.CreateIndex(request), new TypeReference<>() {});
  }

  @Override
  public boolean dropIndex(DropIndexRequest request) {
    return action(new EngineCall.DropIndex(request), new TypeReference<>() {});
  }

  @Override
  public void load(LoadRequest request) {
    run(new EngineCall.Load(request));
  }

  @Override
  public void release(ReleaseRequest request) {
    run(new EngineCall.Release(request));
  }

  @Override
  public int insert(InsertRequest request) {
    return write(new EngineCall.Insert(request.table(), request.partition(),
        request.rows().schema()), request.rows());
  }

  @Override
  public int upsert(UpsertRequest request) {
    return write(new EngineCall.Upsert(request.table(), request.partition(),
        request.rows().schema()), request.rows());
  }

  @Override
  public int delete(DeleteRequest request) {
    return action(new EngineCall.Delete(request), new TypeReference<>() {});
  }

  @Override
  public void flush(FlushRequest request) {
    run(new EngineCall.Flush(request));
  }

  @Override
  public CompactResult compact(CompactRequest request) {
    return action(new EngineCall.Compact(request), new TypeReference<>() {});
  }

  @Override
  public ResultRows search(SearchRequest request, ReadOptions options) {
    return single(read(new EngineCall.Search(request, options)));
  }

  @Override
  public List<ResultRows> searchBatch(BatchSearchRequest request) {
    List<ResultRows> answers = read(new EngineCall.SearchBatch(request));
    if (answers.size() != request.queries().size()) {
      throw QuiverException.of(ErrorCode.INTERNAL_ERROR, "the coordinator at %s answered %d of"
          + " %d queries", location, answers.size(), request.queries().size());
    }
    return answers;
  }

  @Override
  public ResultRows query(QueryRequest request, ReadOptions options) {
    return single(read(new EngineCall.Query(request, options)));
  }

  /**
   * The rows as the coordinator streams them, one chunk per batch; close it to stop its scan. The
   * first chunk is awaited here, so a scan the coordinator refuses fails this call, as a local
   * one does.
   */
  @Override
  public RowStream scan(QueryRequest request, ReadOptions options) {
    FlightStream stream = call(c -> c.getStream(
        new Ticket(codec.encode(new EngineCall.Scan(request, options))),
        timeout(SCAN_DEADLINE)));
    return FlightRowStream.open(stream, ResultBatches::read, this::failure, openScans);
  }

  @Override
  public Optional<CollectionInfo> table(String name) {
    return Optional.ofNullable(action(new EngineCall.Table(name), new TypeReference<>() {}));
  }

  @Override
  public List<CollectionInfo> tables() {
    return action(new EngineCall.Tables(), new TypeReference<>() {});
  }

  @Override
  public Optional<CollectionInfo> tableAt(String name, long asOfMillis) {
    return Optional.ofNullable(
        action(new EngineCall.TableAt(name, asOfMillis), new TypeReference<>() {}));
  }

  @Override
  public Optional<CollectionInfo> tableVersion(long collectionId) {
    return Optional.ofNullable(
        action(new EngineCall.TableVersion(collectionId), new TypeReference<>() {}));
  }

  @Override
  public List<CollectionInfo> droppedTables() {
    return action(new EngineCall.DroppedTables(), new TypeReference<>() {});
  }

  @Override
  public List<String> partitions(String table) {
    return action(new EngineCall.Partitions(table), new TypeReference<>() {});
  }

  @Override
  public Map<String, String> aliases() {
    return action(new EngineCall.Aliases(), new TypeReference<>() {});
  }

  @Override
  public List<IndexInfo> indexes(String table) {
    return action(new EngineCall.Indexes(table), new TypeReference<>() {});
  }

  @Override
  public IndexProgress indexProgress(IndexInfo index) {
    return action(new EngineCall.IndexProgressOf(index), new TypeReference<>() {});
  }

  @Override
  public long indexHeapBytes(IndexInfo index) {
    return action(new EngineCall.IndexHeapBytes(index), new TypeReference<Long>() {});
  }

  @Override
  public List<SegmentInfo> segments(String table) {
    return action(new EngineCall.Segments(table), new TypeReference<>() {});
  }

  @Override
  public boolean isLoaded(CollectionInfo table) {
    return action(new EngineCall.IsLoaded(table), new TypeReference<Boolean>() {});
  }

  @Override
  public LoadState loadState(CollectionInfo table) {
    return action(new EngineCall.LoadStateOf(table, null), new TypeReference<>() {});
  }

  @Override
  public LoadState loadState(CollectionInfo table, String partition) {
    return action(new EngineCall.LoadStateOf(table, partition), new TypeReference<>() {});
  }

  @Override
  public Optional<Long> rowCount(String table) {
    return Optional.ofNullable(
        action(new EngineCall.RowCount(table), new TypeReference<Long>() {}));
  }

  @Override
  public List<TableChannelStats> channels() {
    return action(new EngineCall.Channels(), new TypeReference<>() {});
  }

  @Override
  public List<QueueStats> queues() {
    return action(new EngineCall.Queues(), new TypeReference<>() {});
  }

  @Override
  public List<TaskView> tasks() {
    return action(new EngineCall.Tasks(), new TypeReference<>() {});
  }

  @Override
  public List<Damage> damage() {
    return action(new EngineCall.Damages(), new TypeReference<>() {});
  }

  @Override
  public List<String> queryNodes() {
    return action(new EngineCall.QueryNodes(), new TypeReference<>() {});
  }

  @Override
  public Optional<String> queryNodeOf(long segmentId) {
    return Optional.ofNullable(
        action(new EngineCall.QueryNodeOf(segmentId), new TypeReference<String>() {}));
  }

  @Override
  public Optional<String> growingQueryNodeOf(CollectionInfo table) {
    return Optional.ofNullable(
        action(new EngineCall.GrowingQueryNodeOf(table), new TypeReference<String>() {}));
  }

  @Override
  public long tSafe(String table) {
    return action(new EngineCall.TSafe(table), new TypeReference<Long>() {});
  }

  @Override
  public long now() {
    return action(new EngineCall.Now(), new TypeReference<Long>() {});
  }

  /** Closes the connection (and the scans still open); the coordinator's engine stays open. */
  @Override
  public void close() {
    openScans.forEach(FlightRowStream::close);
    synchronized (this) {
      closed = true;
      if (client != null) {
        closeQuietly(client);
      }
    }
    if (sessions != null) {
      // Ends this proxy's session.
      sessions.close();
    }
    allocator.close();
  }

  private static void closeQuietly(FlightClient connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(EngineCall call) {
    action(call, new TypeReference<Object>() {});
  }

  /** Makes the call and decodes its one answer as {@code type}. */
  private <T> T action(EngineCall call, TypeReference<T> type) {
    byte[] body = codec.encode(call);
    byte[] answer = call(c -> {
      Iterator<Result> results = c.doAction(new Action(call.name(), body),
          timeout(CALL_DEADLINE));
      byte[] first = results.hasNext() ? results.next().getBody() : null;
      results.forEachRemaining(r -> { });
      return first;
    });
    if (answer == null) {
      throw QuiverException.of(ErrorCode.PROTOCOL_VIOLATION,
          "the coordinator at %s answered %s with nothing", location, call.name());
    }
    return codec.decodeAnswer(answer, type);
  }

  /** Every batch the read answers, as rows. */
  private List<ResultRows> read(EngineCall.Read call) {
    byte[] ticket = codec.encode(call);
    return call(c -> FlightRowStream.readAll(
        c.getStream(new Ticket(ticket), timeout(CALL_DEADLINE)), ResultBatches::read));
  }

  /**
   * Sends the rows as one record batch after the call, and returns the count the coordinator
   * answers once the write is durable in its log.
   */
  private int write(EngineCall.Write call, ColumnBatch rows) {
    List<Field> fields = new ArrayList<>(rows.schema().size());
    for (FieldSchema f : rows.schema().fields()) {
      // Nullable on the wire: the engine itself refuses a NULL in a NOT NULL column.
      fields.add(ArrowColumns.field(f.name(), f.type(), f.dimension(), true, null));
    }
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
      int n = rows.rowCount();
      for (int c = 0; c < fields.size(); c++) {
        FieldVector v = root.getVector(c);
        ArrowColumns.allocate(v, n);
        ArrowColumns.write(rows.column(c), 0, n, v);
      }
      root.setRowCount(n);
      byte[] answer = call(c -> {
        SyncPutListener results = new SyncPutListener();
        FlightClient.ClientStreamListener put = c.startPut(
            FlightDescriptor.command(codec.encode(call)), root, results, timeout(CALL_DEADLINE));
        put.putNext();
        put.completed();
        put.getResult();
        try (PutResult result = results.read()) {
          ArrowBuf metadata = result == null ? null : result.getApplicationMetadata();
          if (metadata == null) {
            return null;
          }
          byte[] bytes = new byte[(int) metadata.readableBytes()];
          metadata.getBytes(metadata.readerIndex(), bytes);
          return bytes;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw QuiverException.of(ErrorCode.QUERY_CANCELED,
              "interrupted while the coordinator at %s wrote to %s", location, call.table());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof FlightRuntimeException f ? f
              : new IllegalStateException(e.getCause());
        }
      });
      if (answer == null) {
        throw QuiverException.of(ErrorCode.PROTOCOL_VIOLATION,
            "the coordinator at %s answered a write to %s with nothing", location, call.table());
      }
      return codec.decodeAnswer(answer, new TypeReference<Integer>() {});
    }
  }

  private ResultRows single(List<ResultRows> answers) {
    if (answers.size() != 1) {
      throw QuiverException.of(ErrorCode.INTERNAL_ERROR, "the coordinator at %s answered %d"
          + " batches where one was expected", location, answers.size());
    }
    return answers.get(0);
  }

  private static CallOption timeout(Duration deadline) {
    return CallOptions.timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A call on the connection whose Flight failures become the coordinator's error or 08006
   * naming it; a coordinator found unreachable gets a fresh connection for the next call (to the
   * endpoint registered then, when it is found in the catalog store).
   */
  private <T> T call(Function<FlightClient, T> call) {
    FlightClient used = client;
    if (used == null) {
      used = reconnect(null);
    }
    try {
      return call.apply(used);
    } catch (FlightRuntimeException e) {
      if (e.status().code() == FlightStatusCode.UNAVAILABLE) {
        reconnect(used);
      }
      throw failure(e);
    }
  }

  private FlightClient connect(String endpoint) {
    FlightClient.Builder builder = FlightClient.builder(allocator,
        Endpoints.location(endpoint, "a coordinator"));
    if (token != null) {
      builder.intercept(ClusterToken.sender(token));
    }
    return builder.build();
  }

  /**
   * Replaces the connection {@code failed} (null: none yet) with a fresh one, to the endpoint the
   * catalog store holds now when there is one; the connection now.
   */
  private synchronized FlightClient reconnect(FlightClient failed) {
    if (client == failed && !closed) {
      String endpoint = location;
      if (sessions != null) {
        byte[] registered;
        try {
          registered = sessions.get(Quiver.COORDINATOR_SESSION);
        } catch (StorageException e) {
          if (failed == null) {
            throw new QuiverException(ErrorCode.CONNECTION_FAILURE, "cannot find the coordinator"
                + " in " + location + ": " + e.getMessage(), e);
          }
          // The catalog store is away too: try the last address known.
          registered = null;
        }
        if (registered == null && failed == null) {
          throw QuiverException.of(ErrorCode.CONNECTION_FAILURE, "no coordinator has registered"
              + " its engine in %s; start one (./quiver serve --role coordinator)", location);
        }
        if (registered != null) {
          endpoint = new String(registered, StandardCharsets.UTF_8);
        }
      }
      client = connect(endpoint);
      location = endpoint;
      if (failed != null) {
        // Calls still on it are failing too: the coordinator did not answer it.
        closeQuietly(failed);
      }
    }
    if (closed) {
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "the proxy's engine is closed");
    }
    return client;
  }

  private QuiverException failure(FlightRuntimeException e) {
    return WireErrors.fromFlight(e, (what, cause) -> new QuiverException(
        ErrorCode.CONNECTION_LOST, "the coordinator at " + location + ": " + what, cause));
  }
}
