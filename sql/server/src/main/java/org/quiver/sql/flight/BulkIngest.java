package org.quiver.sql.flight;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.request.DiscardStagingRequest;
import org.quiver.engine.api.request.ReplaceTableRequest;
import org.quiver.engine.api.request.StageReplacementRequest;
import org.quiver.sql.arrow.ArrowBatches;
import org.quiver.sql.copy.BulkLoad;
import org.quiver.sql.ddl.QuiverDdlExecutor;
import org.quiver.sql.schema.QuiverSchema;

/**
 * Flight SQL bulk ingest ({@code CommandStatementIngest}): the target table made as the ingest's
 * options ask (created from the data by {@link IngestTables}), then each Arrow batch written as
 * one insert task through {@link BulkLoad}, all or nothing.
 */
final class BulkIngest {
  private final BufferAllocator allocator;
  private final Engine engine;
  private final FlightCallers callers;
  private final ConnectionPool pool;

  BulkIngest(BufferAllocator allocator, Engine engine, FlightCallers callers, ConnectionPool pool) {
    this.allocator = allocator;
    this.engine = engine;
    this.callers = callers;
    this.pool = pool;
  }

  /** Fails if {@code user} may not ingest into the command's table, or asks what Quiver lacks. */
  void check(String user, FlightSql.CommandStatementIngest command) {
    callers.checkMayWrite(user, command.getTable());
    checkOptions(command);
  }

  /**
   * Loads every batch of {@code flightStream} into the command's table and acknowledges the row
   * count; on a failure deletes what the load wrote (or drops a replace's staging table) and
   * reports the error to {@code ackStream}.
   */
  void load(String user, FlightSql.CommandStatementIngest command, FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    BulkLoad load = null;
    IngestTarget target = null;
    try {
      boolean any = flightStream.next();
      target = prepareIngestTable(user, command, flightStream.getSchema(),
          any ? flightStream.getRoot() : null);
      load = new BulkLoad(engine, target.loadInto());
      while (any) {
        VectorSchemaRoot root = flightStream.getRoot();
        load.insert(ArrowBatches.toColumns(target.shownName(load), load.schema(), root,
            load.rows() + 1));
        any = flightStream.next();
      }
      long rows = load.commit();
      if (target.replaces() != null) {
        engine.replaceTable(new ReplaceTableRequest(target.replaces(), target.loadInto()));
      }
      UpdateCounts.acknowledge(allocator, ackStream, rows);
    } catch (SQLException | RuntimeException e) {
      if (target != null && target.replaces() != null) {
        if (load != null) {
          load.abandon();
        }
        engine.discardStaging(new DiscardStagingRequest(target.loadInto()));
        ackStream.onError(FlightErrors.naming(FlightErrors.of(e), target.loadInto(),
            target.replaces()));
        return;
      }
      if (load != null) {
        load.abort();
      }
      ackStream.onError(FlightErrors.of(e));
    }
  }

  /**
   * Where an ingest writes: a table, or for a replace the staging table that is swapped in for
   * {@code replaces} once every batch is durable.
   */
  private record IngestTarget(String loadInto, String replaces) {
    /** The table's name in messages: never the staging table's hidden name. */
    String shownName(BulkLoad load) {
      return replaces != null ? replaces : load.table();
    }
  }

  /**
   * Makes the ingest's target table what its options ask for (ADBC's modes: {@code create} is
   * create-if-absent and fail-if-present, {@code append} the reverse, {@code create_append}
   * either, {@code replace} create, replacing the table if present) and says where to load. A
   * replace of an existing table (or of the table an alias stands for) is atomic for readers: the
   * new table is created under a hidden staging name and filled there, then swapped in for the old
   * one in one catalog step ({@link Engine#replaceTable}); until then readers see the old
   * table whole, and after it the new one whole.
   */
  private IngestTarget prepareIngestTable(String user, FlightSql.CommandStatementIngest command,
      Schema schema, VectorSchemaRoot first) throws SQLException {
    TableDefinitionOptions options = command.getTableDefinitionOptions();
    String table = command.getTable();
    String resolved = engine.aliases().getOrDefault(table, table);
    boolean exists = engine.table(resolved).isPresent();
    TableDefinitionOptions.TableExistsOption ifExists = options.getIfExists();
    boolean create = options.getIfNotExist()
        == TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE;
    if (exists && ifExists == TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_FAIL) {
      throw FlightErrors.error("42P07", "table \"" + table + "\" already exists; ingest with "
          + "mode append (if_exists = APPEND) to add rows, or replace to start over");
    }
    if (!exists && !create) {
      throw FlightErrors.error("42P01", "table \"" + table + "\" does not exist; ingest with "
          + "mode create or create_append (if_not_exist = CREATE) to create it from the data");
    }
    boolean replace = exists
        && ifExists == TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_REPLACE;
    if (exists && !replace) {
      return new IngestTarget(table, null);
    }
    String createTable = IngestTables.createStatement(replace ? resolved : table, schema, first,
        command.getOptionsMap());
    if (!replace) {
      runDdl(user, createTable);
      return new IngestTarget(table, null);
    }
    callers.checkMayRun(user, "DROP TABLE " + IngestTables.quote(resolved));
    callers.checkMayRun(user, createTable);
    QuiverDdlExecutor.TableDefinition definition = QuiverDdlExecutor.definition(createTable);
    String staging = callers.runAs(user, () -> engine.stageReplacement(
        new StageReplacementRequest(resolved, definition.schema(), definition.shards(),
            definition.consistency())));
    return new IngestTarget(staging, resolved);
  }

  private void runDdl(String user, String sql) throws SQLException {
    callers.checkMayRun(user, sql);
    Connection c = pool.borrow(user);
    try (Statement s = c.createStatement()) {
      callers.runAs(user, () -> s.execute(sql));
    } finally {
      pool.giveBack(user, c);
    }
  }

  private static void checkOptions(FlightSql.CommandStatementIngest command) {
    if (command.getTemporary()) {
      throw FlightErrors.error("0A000", "temporary tables are not supported");
    }
    if (!command.getTransactionId().isEmpty()) {
      throw FlightErrors.noTransactions();
    }
    if (command.hasSchema() && !command.getSchema().isEmpty()
        && !command.getSchema().equals(QuiverSchema.NAME)) {
      throw FlightErrors.error(ErrorCode.UNDEFINED_OBJECT.sqlState(), "schema \""
          + command.getSchema() + "\" does not exist; tables live in \"" + QuiverSchema.NAME
          + "\"");
    }
  }
}
