package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.adbc.core.AdbcConnection;
import org.apache.arrow.adbc.core.AdbcDatabase;
import org.apache.arrow.adbc.core.AdbcStatement;
import org.apache.arrow.adbc.driver.flightsql.FlightSqlDriver;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.ServerOptions;

/**
 * Arrow ingest's {@code replace} mode is atomic for readers: a reader through the Java ADBC Flight
 * SQL driver, counting the rows in a loop while the table is replaced again and again through
 * Arrow's Flight SQL client (what ADBC's {@code mode=replace} sends), only ever sees the old
 * table's count or the new one's, never an error; the table being filled is never listed (as a
 * table or as the owner of a channel); a
 * failed replace leaves the old table as it was; and time travel to before a replace reads the
 * table it replaced.
 */
class AtomicReplaceTest {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final int REPLACES = 12;

  @TempDir
  static Path data;
  private static FlightSqlServer flight;
  private static BufferAllocator allocator;

  @BeforeAll
  static void start() throws Exception {
    flight = FlightSqlServer.start(ServerOptions.of(data, "127.0.0.1", 0), 0);
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() {
    flight.close();
    allocator.close();
  }

  @Test
  void readersSeeTheOldTableOrTheNewOneNeverNeither() throws Exception {
    try (FlightClient client = FlightClient.builder(allocator, location()).build();
        FlightSqlClient sql = new FlightSqlClient(client);
        AdbcDatabase db = new FlightSqlDriver(allocator).open(
            Map.of("uri", "grpc+tcp://127.0.0.1:" + flight.port()));
        AdbcConnection reader = db.connect()) {
      assertEquals(3, ingest(sql, "swapped", rows(3)));

      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger reads = new AtomicInteger();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      Thread counter = new Thread(() -> {
        // At least one read after the last replace, whatever the threads' timing.
        boolean last = false;
        while (!last) {
          last = !writing.get();
          try {
            String count = single(reader, "SELECT COUNT(*) FROM swapped");
            if (!Set.of("3", "5").contains(count)) {
              wrong.add("count " + count);
            }
            List<String> tables = column(reader, "SELECT table_name FROM sys.tables");
            if (tables.stream().anyMatch(t -> t.contains("@")) || !tables.contains("swapped")) {
              wrong.add("tables " + tables);
            }
            List<String> owners = column(reader, "SELECT table_name FROM sys.channels");
            if (owners.stream().anyMatch(t -> t.contains("@") || t.equals("null"))) {
              wrong.add("channels of " + owners);
            }
            reads.incrementAndGet();
          } catch (Exception | AssertionError e) {
            wrong.add(e.toString());
          }
        }
      });
      counter.start();
      try {
        for (int i = 0; i < REPLACES; i++) {
          int n = i % 2 == 0 ? 5 : 3;
          assertEquals(n, ingest(sql, "swapped", rows(n)));
        }
      } finally {
        writing.set(false);
        counter.join();
      }
      assertEquals(List.of(), List.copyOf(wrong));
      assertTrue(reads.get() > 0);
      assertEquals("3", single(reader, "SELECT COUNT(*) FROM swapped"));
    }
  }

  @Test
  void aFailedReplaceLeavesTheOldTableAndNoStagingTable() throws Exception {
    try (FlightClient client = FlightClient.builder(allocator, location()).build();
        FlightSqlClient sql = new FlightSqlClient(client)) {
      assertEquals(4, ingest(sql, "kept", rows(4)));
      // Two rows with one key: the replacement fails while it is being filled.
      VectorSchemaRoot duplicate = rows(2);
      ((BigIntVector) duplicate.getVector("id")).set(1, 0);
      FlightRuntimeException failed = assertThrows(FlightRuntimeException.class,
          () -> ingest(sql, "kept", duplicate));
      assertTrue(failed.getMessage().contains("23505"), failed.getMessage());
      assertFalse(failed.getMessage().contains("@"), "names the table, not its staging table: "
          + failed.getMessage());
      assertEquals(List.of("4"), query(sql, "SELECT COUNT(*) FROM kept"));
      assertEquals(List.of(), query(sql,
          "SELECT table_name FROM sys.tables WHERE table_name LIKE 'kept%' AND table_name <> 'kept'"));
    }
  }

  @Test
  void timeTravelBeforeAReplaceReadsTheTableItReplaced() throws Exception {
    try (FlightClient client = FlightClient.builder(allocator, location()).build();
        FlightSqlClient sql = new FlightSqlClient(client)) {
      assertEquals(2, ingest(sql, "versions", rows(2)));
      long beforeReplace = tick();
      assertEquals(6, ingest(sql, "versions", rows(6)));
      long afterReplace = tick();
      assertEquals(List.of("2"), query(sql,
          "SELECT COUNT(*) FROM versions FOR SYSTEM_TIME AS OF " + at(beforeReplace)));
      assertEquals(List.of("6"), query(sql,
          "SELECT COUNT(*) FROM versions FOR SYSTEM_TIME AS OF " + at(afterReplace)));
      assertEquals(List.of("6"), query(sql, "SELECT COUNT(*) FROM versions"));
    }
  }

  private static Location location() {
    return Location.forGrpcInsecure("127.0.0.1", flight.port());
  }

  /** Rows {@code id} 0..n-1 with a 3-dimensional vector each; {@code id} is the key. */
  private static VectorSchemaRoot rows(int n) {
    Field element = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Schema schema = new Schema(List.of(
        new Field("id", new FieldType(false, new ArrowType.Int(64, true), null,
            Map.of("quiver:primary_key", "true")), null),
        new Field("v", FieldType.notNullable(new ArrowType.FixedSizeList(3)), List.of(element))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    FixedSizeListVector v = (FixedSizeListVector) root.getVector("v");
    Float4Vector values = (Float4Vector) v.getDataVector();
    for (int r = 0; r < n; r++) {
      id.setSafe(r, r);
      v.setNotNull(r);
      for (int j = 0; j < 3; j++) {
        values.setSafe(r * 3 + j, r + j);
      }
    }
    values.setValueCount(n * 3);
    root.setRowCount(n);
    return root;
  }

  /** Ingests {@code root} (closing it) in ADBC's {@code replace} mode; returns the rows written. */
  private static long ingest(FlightSqlClient sql, String table, VectorSchemaRoot root)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (root; ArrowStreamWriter writer = new ArrowStreamWriter(root, null, bytes)) {
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    TableDefinitionOptions replace = TableDefinitionOptions.newBuilder()
        .setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
        .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_REPLACE).build();
    try (ArrowReader stream = new ArrowStreamReader(
        new ByteArrayInputStream(bytes.toByteArray()), allocator)) {
      return sql.executeIngest(stream,
          new FlightSqlClient.ExecuteIngestOptions(table, replace, null, null, Map.of()));
    }
  }

  private static List<String> query(FlightSqlClient sql, String query) throws Exception {
    FlightInfo info = sql.execute(query);
    List<String> rows = new ArrayList<>();
    try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          rows.add(String.valueOf(root.getVector(0).getObject(r)));
        }
      }
    }
    return rows;
  }

  private static List<String> column(AdbcConnection c, String sql) throws Exception {
    List<String> values = new ArrayList<>();
    try (AdbcStatement s = c.createStatement()) {
      s.setSqlQuery(sql);
      try (AdbcStatement.QueryResult result = s.executeQuery();
          ArrowReader reader = result.getReader()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          for (int r = 0; r < root.getRowCount(); r++) {
            values.add(String.valueOf(root.getVector(0).getObject(r)));
          }
        }
      }
    }
    return values;
  }

  private static String single(AdbcConnection c, String sql) throws Exception {
    List<String> values = column(c, sql);
    assertEquals(1, values.size(), values.toString());
    return values.get(0);
  }

  /** A wall-clock millisecond strictly between what ran before and what runs after. */
  private static long tick() throws InterruptedException {
    Thread.sleep(3);
    long now = System.currentTimeMillis();
    Thread.sleep(3);
    return now;
  }

  private static String at(long millis) {
    return "TIMESTAMP '" + LITERAL.format(Instant.ofEpochMilli(millis)) + "'";
  }
}
