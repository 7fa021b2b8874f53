package org.quiver.sql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlProducer;
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
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.catalog.CollectionInfo;
import org.quiver.sql.arrow.ArrowTypes;
import org.quiver.sql.schema.QuiverSchema;

/**
 * The answers to Flight SQL's catalog commands (server info, catalogs, schemas, tables with their
 * Arrow schemas, table types, primary keys), read from the JDBC metadata of a pooled connection
 * and from the engine's catalog, each sent as one small batch.
 */
final class CatalogMetadata {
  /** The one catalog this server reports; every schema and table is in it. */
  static final String CATALOG = "quiver";

  private final BufferAllocator allocator;
  private final Engine engine;
  private final FlightCallers callers;
  private final ConnectionPool pool;
  private final SqlInfoBuilder sqlInfo;

  CatalogMetadata(BufferAllocator allocator, Engine engine, FlightCallers callers,
      ConnectionPool pool) {
    this.allocator = allocator;
    this.engine = engine;
    this.callers = callers;
    this.pool = pool;
    this.sqlInfo = new SqlInfoBuilder()
        .withFlightSqlServerName("Quiver")
        .withFlightSqlServerVersion("0.1.0")
        .withFlightSqlServerArrowVersion("18.3.0")
        .withFlightSqlServerReadOnly(false)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(
            FlightSql.SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
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

  /** The FlightInfo of a catalog command, whose ticket is the command itself. */
  FlightInfo info(Message command, CallContext context, FlightDescriptor descriptor,
      Schema schema) {
    callers.name(context);
    Ticket ticket = new Ticket(Any.pack(command).toByteArray());
    return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
  }

  /** What the server supports, as the info ids the client asked for. */
  void sqlInfo(FlightSql.CommandGetSqlInfo command, ServerStreamListener listener) {
    sqlInfo.send(command.getInfoList(), listener);
  }

  /**
   * One catalog, {@link #CATALOG}: clients such as ADBC's {@code getObjects} walk catalogs, then
   * schemas, then tables, and find nothing under a server that reports none.
   */
  void catalogs(ServerStreamListener listener) {
    sendRows(FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA,
        List.<Object[]>of(new Object[] {CATALOG}), listener);
  }

  /** Whether a request's catalog filter admits {@link #CATALOG} (unset and empty admit it). */
  private static boolean ourCatalog(boolean given, String catalog) {
    return !given || catalog.isEmpty() || catalog.equals(CATALOG);
  }

  /** The schemas of {@link #CATALOG} that the command's filter admits. */
  void schemas(FlightSql.CommandGetDbSchemas command, CallContext context,
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

  /** The tables the command's filters admit, with their Arrow schemas if it asks. */
  void tables(FlightSql.CommandGetTables command, CallContext context,
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
      CollectionInfo info = engine.table(table).orElse(null);
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

  /** The table types the JDBC metadata reports. */
  void tableTypes(CallContext context, ServerStreamListener listener) {
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

  /** The primary key of the command's table; none for a table keyed by a hidden row id. */
  void primaryKeys(FlightSql.CommandGetPrimaryKeys command, ServerStreamListener listener) {
    List<Object[]> rows = new ArrayList<>();
    boolean otherSchema = command.hasDbSchema() && !command.getDbSchema().isEmpty()
        && !command.getDbSchema().equals(QuiverSchema.NAME);
    if (!otherSchema && ourCatalog(command.hasCatalog(), command.getCatalog())) {
      engine.table(command.getTable()).filter(info -> !info.schema().hasHiddenKey())
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
}
