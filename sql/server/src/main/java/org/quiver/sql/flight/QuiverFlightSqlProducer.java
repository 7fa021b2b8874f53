package org.quiver.sql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.proxy.Proxy;
import org.quiver.engine.rootcoord.CollectionInfo;
import org.quiver.sql.arrow.ArrowTypes;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.copy.BulkLoad;
import org.quiver.sql.schema.QuiverSchema;
import org.quiver.sql.server.AccessControl;

/**
 * Quiver's Arrow Flight SQL service: statements and prepared statements run on embedded Quiver
 * JDBC connections (borrowed per statement from a {@link ConnectionPool}), results stream as
 * record batches ({@link ResultStreamer}), and bulk ingest writes each Arrow batch as one insert
 * task ({@link BulkLoad}, all or nothing).
 *
 * <p>Query execution happens when the client asks for the FlightInfo; the result then waits
 * under a random handle (the ticket) until the client reads it, at most {@code idleTimeout}.
 */
final class QuiverFlightSqlProducer extends NoOpFlightSqlProducer {
  /** The one catalog this server reports; every schema and table is in it. */
  static final String CATALOG = "quiver";

  private final BufferAllocator allocator;
  private final Proxy proxy;
  private final ConnectionPool pool;
  private final Duration idleTimeout;
  private final SqlInfoBuilder sqlInfo;
  private final FlightCallers callers;
  private final PendingResults results;
  private final StatementExecutor statements;
  private final PreparedStatements prepared;
  private final BulkIngest ingest;

  QuiverFlightSqlProducer(BufferAllocator allocator, Proxy proxy, UserStore users,
      AccessControl access, String location, Duration idleTimeout) {
    this.allocator = allocator;
    this.proxy = proxy;
    this.pool = new ConnectionPool(location);
    this.idleTimeout = idleTimeout;
    this.callers = new FlightCallers(proxy, users, access);
    this.results = new PendingResults(allocator, pool, callers, idleTimeout);
    ResultSchemas schemas = new ResultSchemas(proxy);
    this.statements = new StatementExecutor(pool, callers, schemas);
    this.prepared = new PreparedStatements(pool, callers, schemas, idleTimeout);
    this.ingest = new BulkIngest(allocator, proxy, callers, pool);
    this.sqlInfo = new SqlInfoBuilder()
        .withFlightSqlServerName("Quiver")
        .withFlightSqlServerVersion("0.1.0")
        .withFlightSqlServerArrowVersion("18.3.0")
        .withFlightSqlServerReadOnly(false)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(FlightSql.SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(false)
        .withFlightSqlServerBulkIngestion(true)
        .withFlightSqlServerBulkIngestionTransaction(false)
        .withSqlIdentifierQuoteChar("\"")
        .withSqlDdlCatalog(false)
        .withSqlDdlSchema(false)
        .withSqlDdlTable(true)
        .withSqlQuotedIdentifierCase(
            FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE);
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
    prepared.close(request.getPreparedStatementHandle());
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

  private FlightInfo metadataInfo(Message command, FlightDescriptor descriptor, Schema schema) {
    Ticket ticket = new Ticket(Any.pack(command).toByteArray());
    return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
  }

  @Override
  public FlightInfo getFlightInfoSqlInfo(FlightSql.CommandGetSqlInfo request,
      CallContext context, FlightDescriptor descriptor) {
    callers.name(context);
    return metadataInfo(request, descriptor, FlightSqlProducer.Schemas.GET_SQL_INFO_SCHEMA);
  }

  @Override
  public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
      ServerStreamListener listener) {
    sqlInfo.send(command.getInfoList(), listener);
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(FlightSql.CommandGetCatalogs request,
      CallContext context, FlightDescriptor descriptor) {
    callers.name(context);
    return metadataInfo(request, descriptor, FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA);
  }

  /**
   * One catalog, {@link #CATALOG}: clients such as ADBC's {@code getObjects} walk catalogs, then
   * schemas, then tables, and find nothing under a server that reports none.
   */
  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    sendRows(FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA, List.<Object[]>of(new Object[] {CATALOG}),
        listener);
  }

  /** Whether a request's catalog filter admits {@link #CATALOG} (unset and empty admit it). */
  private static boolean ourCatalog(boolean given, String catalog) {
    return !given || catalog.isEmpty() || catalog.equals(CATALOG);
  }

  @Override
  public FlightInfo getFlightInfoSchemas(FlightSql.CommandGetDbSchemas request,
      CallContext context, FlightDescriptor descriptor) {
    callers.name(context);
    return metadataInfo(request, descriptor, FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA);
  }

  @Override
  public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
      ServerStreamListener listener) {
    withMetaData(context, listener, md -> {
      List<Object[]> rows = new ArrayList<>();
      String pattern = command.hasDbSchemaFilterPattern() ? command.getDbSchemaFilterPattern()
          : null;
      if (!ourCatalog(command.hasCatalog(), command.getCatalog())) {
        return rows;
      }
      try (ResultSet rs = md.getSchemas(null, pattern)) {
        while (rs.next()) {
          rows.add(new Object[] {CATALOG, rs.getString("TABLE_SCHEM")});
        }
      }
      return rows;
    }, FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA);
  }

  @Override
  public FlightInfo getFlightInfoTables(FlightSql.CommandGetTables request, CallContext context,
      FlightDescriptor descriptor) {
    callers.name(context);
    return metadataInfo(request, descriptor, request.getIncludeSchema()
        ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
        : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA);
  }

  @Override
  public void getStreamTables(FlightSql.CommandGetTables command, CallContext context,
      ServerStreamListener listener) {
    boolean withSchema = command.getIncludeSchema();
    withMetaData(context, listener, md -> {
      List<Object[]> rows = new ArrayList<>();
      if (!ourCatalog(command.hasCatalog(), command.getCatalog())) {
        return rows;
      }
      String[] types = command.getTableTypesCount() == 0 ? null
          : command.getTableTypesList().toArray(new String[0]);
      try (ResultSet rs = md.getTables(null,
          command.hasDbSchemaFilterPattern() ? command.getDbSchemaFilterPattern() : null,
          command.hasTableNameFilterPattern() ? command.getTableNameFilterPattern() : null,
          types)) {
        while (rs.next()) {
          String schema = rs.getString("TABLE_SCHEM");
          String table = rs.getString("TABLE_NAME");
          String type = rs.getString("TABLE_TYPE");
          if (withSchema) {
            rows.add(new Object[] {CATALOG, schema, table, type,
                tableSchema(md, schema, table).serializeAsMessage()});
          } else {
            rows.add(new Object[] {CATALOG, schema, table, type});
          }
        }
      }
      return rows;
    }, withSchema ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
        : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA);
  }

  private Schema tableSchema(DatabaseMetaData md, String schema, String table)
      throws SQLException {
    if (QuiverSchema.NAME.equals(schema)) {
      CollectionInfo info = proxy.collection(table).orElse(null);
      if (info != null) {
        return new Schema(info.schema().visibleFields().stream().map(ArrowTypes::field).toList());
      }
    }
    List<Field> fields = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, schema, table, null)) {
      while (rs.next()) {
        fields.add(ArrowTypes.field(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
            rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
            rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, 0));
      }
    }
    return new Schema(fields);
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(FlightSql.CommandGetTableTypes request,
      CallContext context, FlightDescriptor descriptor) {
    callers.name(context);
    return metadataInfo(request, descriptor, FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    withMetaData(context, listener, md -> {
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet rs = md.getTableTypes()) {
        while (rs.next()) {
          rows.add(new Object[] {rs.getString(1)});
        }
      }
      return rows;
    }, FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA);
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(FlightSql.CommandGetPrimaryKeys request,
      CallContext context, FlightDescriptor descriptor) {
    callers.name(context);
    return metadataInfo(request, descriptor, FlightSqlProducer.Schemas.GET_PRIMARY_KEYS_SCHEMA);
  }

  @Override
  public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
      ServerStreamListener listener) {
    List<Object[]> rows = new ArrayList<>();
    boolean otherSchema = command.hasDbSchema() && !command.getDbSchema().isEmpty()
        && !command.getDbSchema().equals(QuiverSchema.NAME);
    if (!otherSchema && ourCatalog(command.hasCatalog(), command.getCatalog())) {
      proxy.collection(command.getTable()).filter(info -> !info.schema().hasHiddenKey())
          .ifPresent(info -> rows.add(new Object[] {CATALOG,
          QuiverSchema.NAME, command.getTable(), info.schema().primaryKey().name(), 1,
          command.getTable() + "_pkey"}));
    }
    sendRows(FlightSqlProducer.Schemas.GET_PRIMARY_KEYS_SCHEMA, rows, listener);
  }

  private interface MetaQuery {
    List<Object[]> rows(DatabaseMetaData md) throws SQLException;
  }

  private void withMetaData(CallContext context, ServerStreamListener listener, MetaQuery query,
      Schema schema) {
    String user = "";
    Connection c = null;
    try {
      user = callers.name(context);
      c = pool.borrow(user);
      sendRows(schema, query.rows(c.getMetaData()), listener);
    } catch (SQLException | RuntimeException e) {
      listener.error(FlightErrors.of(e));
    } finally {
      pool.giveBack(user, c);
    }
  }

  /** Sends a small result of text, integer and binary columns in one batch. */
  private void sendRows(Schema schema, List<Object[]> rows, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      List<FieldVector> vectors = root.getFieldVectors();
      for (int r = 0; r < rows.size(); r++) {
        Object[] row = rows.get(r);
        for (int c = 0; c < vectors.size(); c++) {
          Object v = row[c];
          FieldVector vector = vectors.get(c);
          if (v == null) {
            vector.setNull(r);
          } else if (vector instanceof VarCharVector text) {
            text.setSafe(r, v.toString().getBytes(StandardCharsets.UTF_8));
          } else if (vector instanceof VarBinaryVector bytes) {
            bytes.setSafe(r, (byte[]) v);
          } else if (vector instanceof IntVector ints) {
            ints.setSafe(r, ((Number) v).intValue());
          } else if (vector instanceof BigIntVector longs) {
            longs.setSafe(r, ((Number) v).longValue());
          } else {
            throw new IllegalStateException("no writer for " + vector.getField());
          }
        }
      }
      root.setRowCount(rows.size());
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
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
