package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.FlightSqlUtils;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
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
import org.quiver.fixtures.GeneratedVectors;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.copy.CopyCommand;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.ServerOptions;

/**
 * The Arrow Flight SQL door with real clients: the stock Arrow Flight SQL JDBC driver runs
 * statements, prepared statements and metadata calls; Arrow's {@link FlightSqlClient} ingests a
 * million rows through DoPut and reads them back as record batches.
 */
class FlightSqlTest {
  private static final int DIM = 8;
  private static final int BULK_ROWS = 1_000_000;
  private static final int BULK_BATCH = 50_000;
  /** Ingest into a table that exists: append, never create. */
  private static final TableDefinitionOptions APPEND = TableDefinitionOptions.newBuilder()
      .setIfNotExist(TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_FAIL)
      .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_APPEND)
      .build();

  @TempDir
  static Path data;
  private static FlightSqlServer server;
  private static BufferAllocator allocator;

  @BeforeAll
  static void start() throws Exception {
    UserStore users = new UserStore(data);
    users.add("alice", Role.READ_WRITE, "alice-secret".toCharArray());
    users.add("reader", Role.READ_ONLY, "reader-secret".toCharArray());
    server = FlightSqlServer.start(ServerOptions.of(data, "127.0.0.1", 0), 0);
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() {
    server.close();
    allocator.close();
  }

  /**
   * A connection of the stock driver. Quiver's JVM flags pick Arrow's Unsafe allocator
   * ({@code arrow.allocation.manager.type}); the driver's shaded copy of Arrow bundles only the
   * Netty one and reads the same property when it first allocates, so it sees Netty here.
   */
  private static synchronized Connection jdbc(String user, String password) throws SQLException {
    String property = "arrow.allocation.manager.type";
    String ours = System.getProperty(property);
    System.setProperty(property, "Netty");
    try {
      return connect(user, password);
    } finally {
      if (ours == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, ours);
      }
    }
  }

  private static Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:arrow-flight-sql://127.0.0.1:" + server.port()
        + "/?useEncryption=false&user=" + user + "&password=" + password);
  }

  @Test
  void stockJdbcDriverRunsStatementsAndPreparedStatements() throws Exception {
    try (Connection c = jdbc("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20), price DOUBLE, "
          + "v VECTOR(3))");
      assertEquals(2, s.executeUpdate(
          "INSERT INTO items VALUES (1, 'one', 1.5, [1, 0, 0]), (2, 'two', NULL, [0, 1, 0])"));
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO items (id, name, price, v) VALUES (?, ?, ?, ?)")) {
        insert.setLong(1, 3);
        insert.setString(2, "three");
        insert.setDouble(3, 3.25);
        insert.setString(4, "[0, 0, 1]");
        assertEquals(1, insert.executeUpdate());
      }
      try (ResultSet rs = s.executeQuery("SELECT id, name, price, v FROM items ORDER BY id")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          Object v = rs.getObject(4);
          rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getObject(3) + "|" + v);
        }
        assertEquals(List.of("1|one|1.5|[1.0,0.0,0.0]", "2|two|null|[0.0,1.0,0.0]",
            "3|three|3.25|[0.0,0.0,1.0]"), rows);
      }
      try (PreparedStatement q = c.prepareStatement(
          "SELECT name FROM items WHERE id >= ? ORDER BY id")) {
        q.setLong(1, 2);
        try (ResultSet rs = q.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("two", rs.getString(1));
          assertTrue(rs.next());
          assertEquals("three", rs.getString(1));
          assertFalse(rs.next());
        }
        q.setLong(1, 3);
        try (ResultSet rs = q.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("three", rs.getString(1));
          assertFalse(rs.next());
        }
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT id FROM items ORDER BY v <-> '[0, 0.9, 0.1]' LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
      }
    }
  }

  @Test
  void stockJdbcDriverReadsDatabaseMetaData() throws Exception {
    try (Connection c = jdbc("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE meta_t (key VARCHAR(10) PRIMARY KEY, v VECTOR(4))");
      DatabaseMetaData md = c.getMetaData();
      assertEquals("Quiver", md.getDatabaseProductName());
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.contains("public"), schemas.toString());
      try (ResultSet rs = md.getTables(null, "public", "meta_t", null)) {
        assertTrue(rs.next());
        assertEquals("meta_t", rs.getString("TABLE_NAME"));
        assertFalse(rs.next());
      }
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "public", "meta_t", null)) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
        }
      }
      assertEquals(2, columns.size(), columns.toString());
      assertTrue(columns.get(0).startsWith("key:"), columns.toString());
      assertTrue(columns.get(1).startsWith("v:"), columns.toString());
      try (ResultSet rs = md.getPrimaryKeys(null, "public", "meta_t")) {
        assertTrue(rs.next());
        assertEquals("key", rs.getString("COLUMN_NAME"));
        assertEquals(1, rs.getInt("KEY_SEQ"));
        assertFalse(rs.next());
      }
      List<String> types = new ArrayList<>();
      try (ResultSet rs = md.getTableTypes()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      assertTrue(types.contains("TABLE"), types.toString());
    }
  }

  @Test
  void errorsCarryTheirSqlState() throws Exception {
    try (Connection c = jdbc("alice", "alice-secret"); Statement s = c.createStatement()) {
      SQLException missing = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT * FROM no_such_table").next());
      assertTrue(missing.getMessage().contains("42P01"), missing.getMessage());
    }
    try (Connection c = jdbc("reader", "reader-secret"); Statement s = c.createStatement()) {
      SQLException denied = assertThrows(SQLException.class,
          () -> s.executeUpdate("CREATE TABLE sneaky (id BIGINT PRIMARY KEY)"));
      assertTrue(denied.getMessage().contains("42501"), denied.getMessage());
    }
  }

  @Test
  void copyOverFlightOnlyUnderTheServersCopyDirectory(@TempDir Path files) throws Exception {
    try (Connection c = jdbc("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE exported (id BIGINT PRIMARY KEY, v VECTOR(2))");
      s.executeUpdate("INSERT INTO exported VALUES (1, [1, 2]), (2, [3, 4])");
      SQLException off = assertThrows(SQLException.class,
          () -> s.executeUpdate("COPY exported TO '" + files.resolve("a.csv") + "'"));
      assertTrue(off.getMessage().contains("42501"), off.getMessage());
      System.setProperty(CopyCommand.DIRECTORY_PROPERTY, files.toString());
      try {
        s.executeUpdate("COPY exported TO 'a.csv'");
        assertEquals(List.of("id,v", "1,\"[1.0,2.0]\"", "2,\"[3.0,4.0]\""),
            Files.readAllLines(files.resolve("a.csv")));
        SQLException outside = assertThrows(SQLException.class,
            () -> s.executeUpdate("COPY exported TO '../escaped.csv'"));
        assertTrue(outside.getMessage().contains("42501"), outside.getMessage());
        assertFalse(Files.exists(files.resolveSibling("escaped.csv")));
      } finally {
        System.clearProperty(CopyCommand.DIRECTORY_PROPERTY);
      }
    }
    try (Connection c = jdbc("reader", "reader-secret"); Statement s = c.createStatement()) {
      SQLException denied = assertThrows(SQLException.class,
          () -> s.executeUpdate("COPY exported TO 'b.csv'"));
      assertTrue(denied.getMessage().contains("42501"), denied.getMessage());
    }
  }

  @Test
  void tlsWithTheCertificateOfAKeyStore(@TempDir Path tls) throws Exception {
    Path keystore = tls.resolve("server.p12");
    Path certificate = tls.resolve("server.crt.pem");
    keytool("-genkeypair", "-alias", "quiver", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "store-pw", "-keypass", "store-pw");
    keytool("-exportcert", "-rfc", "-alias", "quiver", "-keystore", keystore.toString(),
        "-storepass", "store-pw", "-file", certificate.toString());
    Path tlsData = tls.resolve("data");
    ServerOptions options = ServerOptions.of(tlsData, "127.0.0.1", 0)
        .withTls(ServerOptions.Tls.keystore(keystore, "store-pw"));
    try (FlightSqlServer secure = FlightSqlServer.start(options, 0)) {
      Location location = Location.forGrpcTls("127.0.0.1", secure.port());
      try (java.io.InputStream trusted = Files.newInputStream(certificate);
          FlightClient flight = FlightClient.builder(allocator, location)
              .trustedCertificates(trusted).build();
          FlightSqlClient sql = new FlightSqlClient(flight)) {
        FlightInfo info = sql.execute("SELECT 40 + 2 AS answer");
        try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
          assertTrue(stream.next());
          assertEquals(42, ((Number) stream.getRoot().getVector(0).getObject(0)).intValue());
        }
      }
      // A client without TLS gets no answer from the TLS port.
      try (FlightClient plain = FlightClient.builder(allocator,
              Location.forGrpcInsecure("127.0.0.1", secure.port())).build();
          FlightSqlClient sql = new FlightSqlClient(plain)) {
        assertThrows(FlightRuntimeException.class, () -> sql.execute("SELECT 1",
            CallOptions.timeout(10, java.util.concurrent.TimeUnit.SECONDS)));
      }
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
  }

  /**
   * A prepared statement's handle closes only for the user who prepared it: another user's close
   * of it is ignored (it must not end someone else's statement), the owner's close ends it.
   */
  @Test
  void onlyTheOwnerClosesAPreparedStatement() throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", server.port());
    try (FlightClient flight = FlightClient.builder(allocator, location).build();
        FlightClient other = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption alice = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      CallOption reader = other.authenticateBasicToken("reader", "reader-secret").orElseThrow();
      FlightSqlClient.PreparedStatement prepared = sql.prepare("SELECT 42 AS answer", alice);
      FlightDescriptor descriptor = prepared.execute(alice).getDescriptor();
      ByteString handle = Any.parseFrom(descriptor.getCommand())
          .unpack(CommandPreparedStatementQuery.class).getPreparedStatementHandle();
      Action close = new Action(FlightSqlUtils.FLIGHT_SQL_CLOSE_PREPARED_STATEMENT.getType(),
          Any.pack(ActionClosePreparedStatementRequest.newBuilder()
              .setPreparedStatementHandle(handle).build()).toByteArray());

      other.doAction(close, reader).forEachRemaining(result -> { });
      assertEquals(42, answer(flight, descriptor, alice), "reader's close left it open");

      flight.doAction(close, alice).forEachRemaining(result -> { });
      FlightRuntimeException closed = assertThrows(FlightRuntimeException.class,
          () -> flight.getInfo(descriptor, alice));
      assertTrue(closed.getMessage().contains("no prepared statement"), closed.getMessage());
      assertEquals(FlightStatusCode.NOT_FOUND, closed.status().code(), closed.getMessage());
    }
  }

  private static int answer(FlightClient flight, FlightDescriptor descriptor, CallOption auth)
      throws Exception {
    FlightInfo info = flight.getInfo(descriptor, auth);
    try (FlightStream stream = flight.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
      assertTrue(stream.next());
      return ((org.apache.arrow.vector.IntVector) stream.getRoot().getVector(0)).get(0);
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    SQLException e = assertThrows(SQLException.class, () -> {
      try (Connection c = jdbc("alice", "wrong"); Statement s = c.createStatement()) {
        s.executeQuery("SELECT 1").next();
      }
    });
    String all = e + " " + e.getCause();
    assertTrue(all.contains("28P01") || all.toLowerCase().contains("unauthenticated"), all);
  }

  @Test
  void bulkIngestOfAMillionRowsAndExportBack() throws Exception {
    try (Connection c = jdbc("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bulk (id BIGINT PRIMARY KEY, v VECTOR(" + DIM + "))");
    }
    Location location = Location.forGrpcInsecure("127.0.0.1", server.port());
    try (FlightClient flight = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      long ingested;
      try (GeneratedVectors rows = generated(0, BULK_ROWS, DIM)) {
        ingested = sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("bulk", APPEND, null, null, Map.of()), auth);
      }
      assertEquals(BULK_ROWS, ingested);

      // A bad batch (a duplicate key in the last batch) leaves nothing of its load behind.
      try (GeneratedVectors rows = generated(BULK_ROWS, 120_000, DIM).duplicatingKeyAt(110_000)) {
        FlightRuntimeException e = assertThrows(FlightRuntimeException.class,
            () -> sql.executeIngest(rows, new FlightSqlClient.ExecuteIngestOptions("bulk",
                APPEND, null, null, Map.of()), auth));
        assertTrue(e.getMessage().contains("23505"), e.getMessage());
      }

      FlightInfo info = sql.execute("SELECT id, v FROM bulk", auth);
      Schema schema = info.getSchema();
      assertEquals(new ArrowType.FixedSizeList(DIM), schema.getFields().get(1).getType());
      long count = 0;
      long idSum = 0;
      double vectorSum = 0;
      int batches = 0;
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          batches++;
          BigIntVector ids = (BigIntVector) root.getVector(0);
          FixedSizeListVector vectors = (FixedSizeListVector) root.getVector(1);
          Float4Vector values = (Float4Vector) vectors.getDataVector();
          for (int r = 0; r < root.getRowCount(); r++) {
            long id = ids.get(r);
            idSum += id;
            for (int j = 0; j < DIM; j++) {
              float got = values.get(r * DIM + j);
              assertEquals(value(id, j), got, 0f);
              vectorSum += got;
            }
          }
          count += root.getRowCount();
        }
      }
      assertEquals(BULK_ROWS, count);
      assertEquals((long) BULK_ROWS * (BULK_ROWS - 1) / 2, idSum);
      double expected = 0;
      for (long id = 0; id < BULK_ROWS; id++) {
        for (int j = 0; j < DIM; j++) {
          expected += value(id, j);
        }
      }
      assertEquals(expected, vectorSum, 1e-6 * Math.abs(expected));
      assertTrue(batches > 1, "a large result comes in several record batches: " + batches);
    }
  }

  /**
   * A client that takes its time: it asks for a result of several record batches and reads
   * nothing for a second, so the server finds the stream not ready after its first batch and must
   * wait for gRPC to say the client has room again. That word comes on the call's own executor,
   * which a producer blocking inside {@code getStream} would hold: the export must still finish.
   */
  @Test
  void anExportToAClientThatPausesBeforeReadingFinishes() throws Exception {
    int rows = 40_000;
    int dim = 512;
    try (Connection c = jdbc("alice", "alice-secret"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE paused (id BIGINT PRIMARY KEY, v VECTOR(" + dim + "))");
    }
    Location location = Location.forGrpcInsecure("127.0.0.1", server.port());
    try (FlightClient flight = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      try (GeneratedVectors generated = generated(0, rows, dim)) {
        assertEquals(rows, sql.executeIngest(generated,
            new FlightSqlClient.ExecuteIngestOptions("paused", APPEND, null, null, Map.of()),
            auth));
      }
      FlightInfo info = sql.execute("SELECT id, v FROM paused", auth);
      // A bound against a hang (the stall waited forever), not a speed assertion.
      long[] read = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
        long count = 0;
        long idSum = 0;
        int batches = 0;
        try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
          Thread.sleep(1_000);
          while (stream.next()) {
            BigIntVector ids = (BigIntVector) stream.getRoot().getVector(0);
            for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
              idSum += ids.get(r);
            }
            count += stream.getRoot().getRowCount();
            batches++;
            if (batches == 1) {
              Thread.sleep(1_000);
            }
          }
        }
        return new long[] {count, idSum, batches};
      });
      assertEquals(rows, read[0]);
      assertEquals((long) rows * (rows - 1) / 2, read[1]);
      assertTrue(read[2] > 2, "the result comes in several record batches: " + read[2]);
    }
  }

  @Test
  void vectorsOfSixteenThousandDimensionsAndEmptyResultsExport() throws Exception {
    int dim = 16_000;
    int rowCount = 100;
    Location location = Location.forGrpcInsecure("127.0.0.1", server.port());
    try (FlightClient flight = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      sql.executeUpdate("CREATE TABLE wide (id BIGINT PRIMARY KEY, v VECTOR(" + dim + "))", auth);
      Schema schema = new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          new Field("v", FieldType.notNullable(new ArrowType.FixedSizeList(dim)), List.of(
              new Field("item", FieldType.notNullable(
                  new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null)))));
      java.io.ByteArrayOutputStream ipc = new java.io.ByteArrayOutputStream();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
          ArrowStreamWriter writer = new ArrowStreamWriter(root, null, ipc)) {
        BigIntVector ids = (BigIntVector) root.getVector(0);
        FixedSizeListVector vectors = (FixedSizeListVector) root.getVector(1);
        Float4Vector values = (Float4Vector) vectors.getDataVector();
        for (int r = 0; r < rowCount; r++) {
          ids.setSafe(r, r);
          vectors.startNewValue(r);
          float[] v = ExportEdgeCaseTest.wideVector(r);
          for (int j = 0; j < dim; j++) {
            values.setSafe(r * dim + j, v[j]);
          }
        }
        ids.setValueCount(rowCount);
        vectors.setValueCount(rowCount);
        root.setRowCount(rowCount);
        writer.start();
        writer.writeBatch();
        writer.end();
      }
      try (ArrowStreamReader rows = new ArrowStreamReader(
          new java.io.ByteArrayInputStream(ipc.toByteArray()), allocator)) {
        assertEquals(rowCount, sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("wide", APPEND, null, null, Map.of()), auth));
      }
      FlightInfo info = sql.execute("SELECT id, v FROM wide", auth);
      assertEquals(new ArrowType.FixedSizeList(dim), info.getSchema().getFields().get(1).getType());
      int rows = 0;
      int batches = 0;
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          batches++;
          BigIntVector ids = (BigIntVector) root.getVector(0);
          FixedSizeListVector vectors = (FixedSizeListVector) root.getVector(1);
          Float4Vector values = (Float4Vector) vectors.getDataVector();
          for (int r = 0; r < root.getRowCount(); r++) {
            float[] expected = ExportEdgeCaseTest.wideVector(ids.get(r));
            for (int j = 0; j < dim; j++) {
              assertEquals(expected[j], values.get(r * dim + j), 0f);
            }
          }
          rows += root.getRowCount();
        }
      }
      assertEquals(rowCount, rows);
      assertTrue(batches > 1, "rows of 64 KB come in several record batches: " + batches);

      FlightInfo none = sql.execute("SELECT id, v FROM wide WHERE id < 0", auth);
      try (FlightStream stream = sql.getStream(none.getEndpoints().get(0).getTicket(), auth)) {
        assertEquals(new ArrowType.FixedSizeList(dim),
            stream.getSchema().getFields().get(1).getType());
        int emptyRows = 0;
        while (stream.next()) {
          emptyRows += stream.getRoot().getRowCount();
        }
        assertEquals(0, emptyRows);
      }
    }
  }

  /**
   * A NULL vector crosses Flight SQL as Arrow's null: ingest creates a nullable VECTOR column from
   * a nullable field and keeps the row's validity bit; export clears it; a NOT NULL column refuses.
   */
  @Test
  void nullVectorsIngestAndExportAsArrowNulls() throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", server.port());
    try (FlightClient flight = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      Schema schema = new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          new Field("v", FieldType.nullable(new ArrowType.FixedSizeList(2)), List.of(
              new Field("item", FieldType.notNullable(
                  new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null)))));
      byte[] ipc;
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
          ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
        BigIntVector ids = (BigIntVector) root.getVector(0);
        FixedSizeListVector vectors = (FixedSizeListVector) root.getVector(1);
        Float4Vector values = (Float4Vector) vectors.getDataVector();
        for (int r = 0; r < 3; r++) {
          ids.setSafe(r, r + 1);
          if (r == 1) {
            vectors.setNull(r);
          } else {
            vectors.startNewValue(r);
            values.setSafe(r * 2, r + 1);
            values.setSafe(r * 2 + 1, -(r + 1));
          }
        }
        ids.setValueCount(3);
        vectors.setValueCount(3);
        root.setRowCount(3);
        writer.start();
        writer.writeBatch();
        writer.end();
      }
      ipc = out.toByteArray();
      TableDefinitionOptions create = TableDefinitionOptions.newBuilder()
          .setIfNotExist(TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_APPEND)
          .build();
      try (ArrowStreamReader rows = new ArrowStreamReader(
          new java.io.ByteArrayInputStream(ipc), allocator)) {
        assertEquals(3, sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("maybe", create, null, null, Map.of()), auth));
      }
      sql.executeUpdate("FLUSH TABLE maybe", auth);
      FlightInfo info = sql.execute("SELECT id, v FROM maybe ORDER BY id", auth);
      assertTrue(info.getSchema().getFields().get(1).isNullable());
      List<String> got = new ArrayList<>();
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          FixedSizeListVector vectors = (FixedSizeListVector) root.getVector(1);
          Float4Vector values = (Float4Vector) vectors.getDataVector();
          for (int r = 0; r < root.getRowCount(); r++) {
            got.add(((BigIntVector) root.getVector(0)).get(r) + ":" + (vectors.isNull(r) ? "null"
                : values.get(r * 2) + "," + values.get(r * 2 + 1)));
          }
        }
      }
      assertEquals(List.of("1:1.0,-1.0", "2:null", "3:3.0,-3.0"), got);

      sql.executeUpdate("CREATE TABLE strict (id BIGINT PRIMARY KEY, v VECTOR(2) NOT NULL)", auth);
      try (ArrowStreamReader rows = new ArrowStreamReader(
          new java.io.ByteArrayInputStream(ipc), allocator)) {
        FlightRuntimeException e = assertThrows(FlightRuntimeException.class,
            () -> sql.executeIngest(rows, new FlightSqlClient.ExecuteIngestOptions("strict",
                create, null, null, Map.of()), auth));
        assertTrue(e.getMessage().contains("not-null"), e.getMessage());
      }
    }
  }

  /**
   * Rows {@code id, v} made on the fly: {@link #BULK_BATCH} per record batch, or fewer so that a
   * batch stays near 4 MB, as a client would send wide vectors.
   */
  private static GeneratedVectors generated(long first, long count, int dim) {
    return new GeneratedVectors(allocator, first, count, dim,
        Math.min(BULK_BATCH, (4 << 20) / (4 * dim)), (id, into) -> {
          for (int j = 0; j < into.length; j++) {
            into[j] = value(id, j);
          }
        });
  }

  /** Component {@code j} of generated row {@code id}'s vector. */
  private static float value(long id, int j) {
    return ((id * 31 + j * 7) % 1000) / 8f;
  }
}
