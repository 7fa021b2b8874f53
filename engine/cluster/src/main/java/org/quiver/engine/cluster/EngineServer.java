package org.quiver.engine.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.ResultRows;
import org.quiver.engine.api.RowStream;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.request.InsertRequest;
import org.quiver.engine.api.request.UpsertRequest;
import org.quiver.engine.cluster.EngineCall.Read;
import org.quiver.engine.cluster.EngineCall.Write;
import org.quiver.storage.column.ArrowColumns;
import org.quiver.storage.column.Column;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.FieldSchema;

/**
 * Serves an {@link Engine} of this process (a cluster's coordinator's) to proxies over Arrow
 * Flight. Each {@link EngineCall} but the reads and writes is a {@code DoAction} (its JSON the
 * body, its name the type) whose one result is the JSON answer; a {@link Read} is a {@code DoGet}
 * whose ticket is the call's JSON, answered with Arrow record batches whose columns say their own
 * types ({@link ResultBatches#describedSchema}): one for a search or a query, one per query for a
 * batch search, one per chunk for a scan, sent as the client takes it; a {@link Write} is a
 * {@code DoPut} whose descriptor is the call's JSON and whose one record batch holds the rows, one
 * column per field of the call's schema, answered with the count as JSON. A failure travels as
 * {@link WireErrors} describes, so a proxy's client sees the engine's own SQLSTATE and message.
 *
 * <p>Closing the server stops serving; the engine is its owner's to close.
 */
public final class EngineServer implements AutoCloseable {
  private final FlightService service;

  private EngineServer(FlightService service) {
    this.service = service;
  }

  /**
   * Serves {@code engine} on {@code host:port} ({@code port} 0: a free one), every call needing
   * {@code token} ({@link ClusterToken}; null: on loopback only).
   */
  public static EngineServer start(Engine engine, String host, int port, String token) {
    return new EngineServer(FlightService.start("engine", host, port, token,
        allocator -> new Producer(engine, allocator)));
  }

  public int port() {
    return service.port();
  }

  /** Where proxies reach it: {@code host:port}. */
  public String location() {
    return service.location();
  }

  /** Stops serving, as {@link FlightService#close} says. */
  @Override
  public void close() {
    service.close();
  }

  /** The Flight side: decodes each call, makes it on the engine, sends the answer. */
  private static final class Producer extends CallProducer {
    private final Engine engine;
    private final EngineCodec codec = new EngineCodec();

    Producer(Engine engine, BufferAllocator allocator) {
      super(allocator);
      this.engine = engine;
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
      listCalls(EngineCall.class, listener);
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
      act(action, listener, codec::decodeCall, EngineCall::name,
          call -> codec.encodeAnswer(answer(call)));
    }

    /** The call made on the engine: its answer, null for one that answers nothing. */
    private Object answer(EngineCall call) {
      return switch (call) {
        case EngineCall.Ping c -> null;
        case EngineCall.Config c -> engine.config();
        case EngineCall.CreateTable c -> engine.createTable(c.request());
        case EngineCall.DropTable c -> engine.dropTable(c.request());
        case EngineCall.RenameTable c -> {
          engine.renameTable(c.request());
          yield null;
        }
        case EngineCall.StageReplacement c -> engine.stageReplacement(c.request());
        case EngineCall.ReplaceTable c -> {
          engine.replaceTable(c.request());
          yield null;
        }
        case EngineCall.DiscardStaging c -> engine.discardStaging(c.request());
        case EngineCall.CreatePartition c -> {
          engine.createPartition(c.request());
          yield null;
        }
        case EngineCall.DropPartition c -> {
          engine.dropPartition(c.request());
          yield null;
        }
        case EngineCall.CreateAlias c -> {
          engine.createAlias(c.request());
          yield null;
        }
        case EngineCall.AlterAlias c -> {
          engine.alterAlias(c.request());
          yield null;
        }
        case EngineCall.DropAlias c -> engine.dropAlias(c.request());
        case EngineCall.CreateIndex c -> engine.createIndex(c.request());
        case EngineCall.DropIndex c -> engine.dropIndex(c.request());
        case EngineCall.Load c -> {
          engine.load(c.request());
          yield null;
        }
        case EngineCall.Release c -> {
          engine.release(c.request());
          yield null;
        }
        case EngineCall.Delete c -> engine.delete(c.request());
        case EngineCall.Flush c -> {
          engine.flush(c.request());
          yield null;
        }
        case EngineCall.Compact c -> engine.compact(c.request());
        case EngineCall.Table c -> engine.table(c.name()).orElse(null);
        case EngineCall.Tables c -> engine.tables();
        case EngineCall.TableAt c -> engine.tableAt(c.name(), c.asOfMillis()).orElse(null);
        case EngineCall.TableVersion c -> engine.tableVersion(c.collectionId()).orElse(null);
        case EngineCall.DroppedTables c -> engine.droppedTables();
        case EngineCall.Partitions c -> engine.partitions(c.table());
        case EngineCall.Aliases c -> engine.aliases();
        case EngineCall.Indexes c -> engine.indexes(c.table());
        case EngineCall.IndexProgressOf c -> engine.indexProgress(c.index());
        case EngineCall.IndexHeapBytes c -> engine.indexHeapBytes(c.index());
        case EngineCall.Segments c -> engine.segments(c.table());
        case EngineCall.IsLoaded c -> engine.isLoaded(c.table());
        case EngineCall.LoadStateOf c -> c.partition() == null ? engine.loadState(c.table())
            : engine.loadState(c.table(), c.partition());
        case EngineCall.RowCount c -> engine.rowCount(c.table()).orElse(null);
        case EngineCall.Channels c -> engine.channels();
        case EngineCall.Queues c -> engine.queues();
        case EngineCall.Tasks c -> engine.tasks();
        case EngineCall.Damages c -> engine.damage();
        case EngineCall.QueryNodes c -> engine.queryNodes();
        case EngineCall.QueryNodeOf c -> engine.queryNodeOf(c.segmentId()).orElse(null);
        case EngineCall.GrowingQueryNodeOf c ->
            engine.growingQueryNodeOf(c.table()).orElse(null);
        case EngineCall.TSafe c -> engine.tSafe(c.table());
        case EngineCall.Now c -> engine.now();
        case Read r -> throw new IllegalArgumentException(
            r.name() + " is a read: it goes as a DoGet ticket");
        case Write w -> throw new IllegalArgumentException(
            w.name() + " carries rows: it goes as a DoPut");
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
          case EngineCall.Search c ->
              send(listener, true, List.of(engine.search(c.request(), c.options())));
          case EngineCall.SearchBatch c ->
              send(listener, true, engine.searchBatch(c.request()));
          case EngineCall.Query c ->
              send(listener, false, List.of(engine.query(c.request(), c.options())));
          case EngineCall.Scan c -> {
            try (RowStream rows = engine.scan(c.request(), c.options())) {
              // The first chunk types the stream's columns; a scan of no chunk sends none.
              ResultRows first = rows.hasNext() ? rows.next() : null;
              try (VectorSchemaRoot root = VectorSchemaRoot.create(ResultBatches.describedSchema(
                  first == null ? List.of() : ResultBatches.fieldsOf(first), false), allocator)) {
                stream(listener, root, first, rows, "the coordinator");
              }
            }
          }
        }
      } catch (Throwable e) {
        listener.error(WireErrors.toFlight(e));
      } finally {
        exit();
      }
    }

    /** Answers whole results, typed by the first (a batch search's all have the same fields). */
    private void send(ServerStreamListener listener, boolean distances, List<ResultRows> results) {
      List<FieldSchema> fields = results.isEmpty() ? List.of()
          : ResultBatches.fieldsOf(results.get(0));
      try (VectorSchemaRoot root = VectorSchemaRoot.create(
          ResultBatches.describedSchema(fields, distances), allocator)) {
        listener.start(root);
        for (ResultRows rows : results) {
          ResultBatches.write(rows, root);
          listener.putNext();
        }
        listener.completed();
      }
    }

    @Override
    public Runnable acceptPut(CallContext context, FlightStream stream,
        StreamListener<PutResult> ack) {
      return () -> {
        enter();
        try {
          if (!(codec.decodeCall(stream.getDescriptor().getCommand()) instanceof Write write)) {
            throw new IllegalArgumentException("a DoPut must carry an insert or an upsert");
          }
          ColumnBatch rows = rows(write.schema(), stream);
          int count = switch (write) {
            case EngineCall.Insert c ->
                engine.insert(new InsertRequest(c.table(), rows, c.partition()));
            case EngineCall.Upsert c ->
                engine.upsert(new UpsertRequest(c.table(), rows, c.partition()));
          };
          byte[] answer = codec.encodeAnswer(count);
          try (ArrowBuf buffer = allocator.buffer(answer.length)) {
            buffer.writeBytes(answer);
            ack.onNext(PutResult.metadata(buffer));
          }
          ack.onCompleted();
        } catch (Throwable e) {
          ack.onError(WireErrors.toFlight(e));
        } finally {
          exit();
        }
      };
    }

    /** The one record batch of a write, as a batch of {@code schema}'s columns. */
    private static ColumnBatch rows(CollectionSchema schema, FlightStream stream) {
      if (!stream.next()) {
        throw QuiverException.of(ErrorCode.PROTOCOL_VIOLATION, "a write came without its rows");
      }
      VectorSchemaRoot root = stream.getRoot();
      if (root.getFieldVectors().size() != schema.size()) {
        throw QuiverException.of(ErrorCode.PROTOCOL_VIOLATION,
            "a write came with %d columns for a table of %d", root.getFieldVectors().size(),
            schema.size());
      }
      List<Column> columns = new ArrayList<>(schema.size());
      for (int c = 0; c < schema.size(); c++) {
        FieldSchema f = schema.fields().get(c);
        if (!ArrowColumns.matches(root.getVector(c).getField(), f.type(), f.dimension())) {
          throw QuiverException.of(ErrorCode.DATATYPE_MISMATCH,
              "column \"%s\" came as %s where the table holds %s(%d)", f.name(),
              root.getVector(c).getField().getType(), f.type(), f.dimension());
        }
        columns.add(ArrowColumns.read(root.getVector(c), f));
      }
      ColumnBatch rows = new ColumnBatch(schema, root.getRowCount(), columns);
      if (stream.next()) {
        throw QuiverException.of(ErrorCode.PROTOCOL_VIOLATION,
            "a write came with more than one record batch");
      }
      return rows;
    }
  }
}
