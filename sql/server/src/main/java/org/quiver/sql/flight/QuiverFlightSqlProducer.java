package org.quiver.sql.flight;

import com.google.protobuf.Any;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.quiver.engine.api.Engine;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.server.AccessControl;

/**
 * Quiver's Arrow Flight SQL service as the server registers it: each Flight SQL call names its
 * caller ({@link FlightCallers}) and goes to the part that does it: statements sent as text
 * ({@link StatementExecutor}), prepared statements ({@link PreparedStatements}), results waiting
 * under their tickets ({@link PendingResults}), bulk ingest ({@link BulkIngest}) and the catalog
 * commands ({@link CatalogMetadata}). All of them borrow their connections from one
 * {@link ConnectionPool}.
 *
 * <p>Query execution happens when the client asks for the FlightInfo; the result then waits
 * under a random handle (the ticket) until the client reads it, at most {@code idleTimeout};
 * every call that executes first drops what waited longer.
 */
final class QuiverFlightSqlProducer extends NoOpFlightSqlProducer {
  private final BufferAllocator allocator;
  private final ConnectionPool pool;
  private final FlightCallers callers;
  private final PendingResults results;
  private final StatementExecutor statements;
  private final PreparedStatements prepared;
  private final BulkIngest ingest;
  private final CatalogMetadata metadata;

  QuiverFlightSqlProducer(BufferAllocator allocator, Engine engine, UserStore users,
      AccessControl access, String location, Duration idleTimeout) {
    this.allocator = allocator;
    this.pool = new ConnectionPool(location);
    this.callers = new FlightCallers(engine, users, access);
    this.results = new PendingResults(allocator, pool, callers, idleTimeout);
    ResultSchemas schemas = new ResultSchemas(engine);
    this.statements = new StatementExecutor(pool, callers, schemas);
    this.prepared = new PreparedStatements(pool, callers, schemas, idleTimeout);
    this.ingest = new BulkIngest(allocator, engine, callers, pool);
    this.metadata = new CatalogMetadata(allocator, engine, callers, pool);
  }

  // ---------------------------------------------------------------- statements

  @Override
  public FlightInfo getFlightInfoStatement(FlightSql.CommandStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    String user = callers.name(context);
    callers.checkMayRun(user, command.getQuery());
    expire();
    try {
      return results.add(statements.query(user, command.getQuery()), descriptor);
    } catch (SQLException | RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public SchemaResult getSchemaStatement(FlightSql.CommandStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    String user = callers.name(context);
    callers.checkMayRun(user, command.getQuery());
    try {
      return new SchemaResult(statements.schema(user, command.getQuery()));
    } catch (SQLException | RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public void getStreamStatement(FlightSql.TicketStatementQuery ticket, CallContext context,
      ServerStreamListener listener) {
    results.stream(ticket.getStatementHandle(), context, listener);
  }

  @Override
  public Runnable acceptPutStatement(FlightSql.CommandStatementUpdate command,
      CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream) {
    String user = callers.name(context);
    String sql = command.getQuery();
    return () -> {
      try {
        callers.checkMayRun(user, sql);
        UpdateCounts.acknowledge(allocator, ackStream, statements.update(user, sql));
      } catch (SQLException | RuntimeException e) {
        ackStream.onError(FlightErrors.of(e));
      }
    };
  }

  // ---------------------------------------------------------------- prepared statements

  @Override
  public void createPreparedStatement(FlightSql.ActionCreatePreparedStatementRequest request,
      CallContext context, StreamListener<Result> listener) {
    try {
      String user = callers.name(context);
      callers.checkMayRun(user, request.getQuery());
      expire();
      listener.onNext(new Result(Any.pack(prepared.create(user, request.getQuery()))
          .toByteArray()));
      listener.onCompleted();
    } catch (SQLException | RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  public void closePreparedStatement(FlightSql.ActionClosePreparedStatementRequest request,
      CallContext context, StreamListener<Result> listener) {
    prepared.close(request.getPreparedStatementHandle(), callers.name(context));
    listener.onCompleted();
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream) {
    PreparedStatements.Open p;
    try {
      p = prepared.find(command.getPreparedStatementHandle(), callers.name(context));
    } catch (RuntimeException e) {
      return () -> ackStream.onError(FlightErrors.of(e));
    }
    return () -> {
      try {
        prepared.bind(p, ParameterRows.read(flightStream));
        ackStream.onCompleted();
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrors.of(e));
      }
    };
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    PreparedStatements.Open p =
        prepared.find(command.getPreparedStatementHandle(), callers.name(context));
    expire();
    try {
      return results.add(prepared.query(p), descriptor);
    } catch (SQLException | RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    PreparedStatements.Open p =
        prepared.find(command.getPreparedStatementHandle(), callers.name(context));
    try {
      return new SchemaResult(prepared.datasetSchema(p));
    } catch (SQLException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public void getStreamPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, ServerStreamListener listener) {
    try {
      FlightInfo info = getFlightInfoPreparedStatement(command, context, null);
      FlightSql.TicketStatementQuery ticket = Any.parseFrom(
          info.getEndpoints().get(0).getTicket().getBytes())
          .unpack(FlightSql.TicketStatementQuery.class);
      getStreamStatement(ticket, context, listener);
    } catch (IOException | RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(
      FlightSql.CommandPreparedStatementUpdate command, CallContext context,
      FlightStream flightStream, StreamListener<PutResult> ackStream) {
    PreparedStatements.Open p;
    try {
      p = prepared.find(command.getPreparedStatementHandle(), callers.name(context));
    } catch (RuntimeException e) {
      return () -> ackStream.onError(FlightErrors.of(e));
    }
    return () -> {
      try {
        long count = prepared.update(p, ParameterRows.read(flightStream));
        UpdateCounts.acknowledge(allocator, ackStream, count);
      } catch (SQLException | RuntimeException e) {
        ackStream.onError(FlightErrors.of(e));
      }
    };
  }

  // ---------------------------------------------------------------- bulk ingest

  @Override
  public Runnable acceptPutStatementBulkIngest(FlightSql.CommandStatementIngest command,
      CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream) {
    String user;
    try {
      user = callers.name(context);
      ingest.check(user, command);
    } catch (RuntimeException e) {
      return () -> ackStream.onError(FlightErrors.of(e));
    }
    return () -> ingest.load(user, command, flightStream, ackStream);
  }

  // ---------------------------------------------------------------- transactions

  @Override
  public void beginTransaction(FlightSql.ActionBeginTransactionRequest request,
      CallContext context, StreamListener<FlightSql.ActionBeginTransactionResult> listener) {
    listener.onError(FlightErrors.noTransactions());
  }

  @Override
  public void beginSavepoint(FlightSql.ActionBeginSavepointRequest request, CallContext context,
      StreamListener<FlightSql.ActionBeginSavepointResult> listener) {
    listener.onError(FlightErrors.noTransactions());
  }

  @Override
  public void endTransaction(FlightSql.ActionEndTransactionRequest request, CallContext context,
      StreamListener<Result> listener) {
    listener.onError(FlightErrors.noTransactions());
  }

  @Override
  public void endSavepoint(FlightSql.ActionEndSavepointRequest request, CallContext context,
      StreamListener<Result> listener) {
    listener.onError(FlightErrors.noTransactions());
  }

  // ---------------------------------------------------------------- metadata

  @Override
  public FlightInfo getFlightInfoSqlInfo(FlightSql.CommandGetSqlInfo request,
      CallContext context, FlightDescriptor descriptor) {
    return metadata.info(request, context, descriptor,
        FlightSqlProducer.Schemas.GET_SQL_INFO_SCHEMA);
  }

  @Override
  public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
      ServerStreamListener listener) {
    metadata.sqlInfo(command, listener);
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(FlightSql.CommandGetCatalogs request,
      CallContext context, FlightDescriptor descriptor) {
    return metadata.info(request, context, descriptor,
        FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    metadata.catalogs(listener);
  }

  @Override
  public FlightInfo getFlightInfoSchemas(FlightSql.CommandGetDbSchemas request,
      CallContext context, FlightDescriptor descriptor) {
    return metadata.info(request, context, descriptor,
        FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA);
  }

  @Override
  public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
      ServerStreamListener listener) {
    metadata.schemas(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoTables(FlightSql.CommandGetTables request, CallContext context,
      FlightDescriptor descriptor) {
    return metadata.info(request, context, descriptor, request.getIncludeSchema()
        ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
        : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA);
  }

  @Override
  public void getStreamTables(FlightSql.CommandGetTables command, CallContext context,
      ServerStreamListener listener) {
    metadata.tables(command, context, listener);
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(FlightSql.CommandGetTableTypes request,
      CallContext context, FlightDescriptor descriptor) {
    return metadata.info(request, context, descriptor,
        FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    metadata.tableTypes(context, listener);
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(FlightSql.CommandGetPrimaryKeys request,
      CallContext context, FlightDescriptor descriptor) {
    return metadata.info(request, context, descriptor,
        FlightSqlProducer.Schemas.GET_PRIMARY_KEYS_SCHEMA);
  }

  @Override
  public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
      ServerStreamListener listener) {
    metadata.primaryKeys(command, listener);
  }

  // ---------------------------------------------------------------- bookkeeping

  /** Drops results nobody read and prepared statements nobody used for the idle timeout. */
  private void expire() {
    results.expire();
    prepared.expire();
  }

  @Override
  public void close() {
    results.close();
    prepared.close();
    pool.close();
  }
}
