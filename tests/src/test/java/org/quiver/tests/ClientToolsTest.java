package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.adbc.core.AdbcConnection;
import org.apache.arrow.adbc.core.AdbcConnection.GetObjectsDepth;
import org.apache.arrow.adbc.core.AdbcDatabase;
import org.apache.arrow.adbc.core.AdbcException;
import org.apache.arrow.adbc.core.AdbcStatement;
import org.apache.arrow.adbc.core.BulkIngestMode;
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
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
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
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;
import sqlline.SqlLine;

/**
 * Clients that nobody here wrote, as a new user runs them: the Java ADBC Flight SQL driver
 * ({@code getObjects}, table schemas, ingest, queries), Arrow's Flight SQL client in every ADBC
 * ingest mode (what Python's ADBC driver, pandas and polars send), the stock Flight SQL JDBC
 * driver's metadata after DROP and re-CREATE of a name, and sqlline over the stock Avatica
 * driver, which upper-cases the names it asks the metadata for.
 */
class ClientToolsTest {
  @TempDir
  static Path flightData;
  @TempDir
  static Path avaticaData;
  private static FlightSqlServer flight;
  private static QuiverServer avatica;
  private static BufferAllocator allocator;

  @BeforeAll
  static void start() throws Exception {
    flight = FlightSqlServer.start(ServerOptions.of(flightData, "127.0.0.1", 0), 0);
    avatica = QuiverServer.start(avaticaData, "127.0.0.1", 0);
    allocator = new RootAllocator();
  }

  @AfterAll
  static void stop() {
    flight.close();
    avatica.close();
    allocator.close();
  }

  // ---------------------------------------------------------------- ADBC (Java Flight SQL driver)

  private static AdbcConnection adbc(AdbcDatabase db) throws AdbcException {
    return db.connect();
  }

  private static AdbcDatabase adbcDatabase() throws AdbcException {
    return new FlightSqlDriver(allocator).open(
        Map.of("uri", "grpc+tcp://127.0.0.1:" + flight.port()));
  }

  private static void update(AdbcConnection c, String sql) throws Exception {
    try (AdbcStatement s = c.createStatement()) {
      s.setSqlQuery(sql);
      s.executeUpdate();
    }
  }

  private static List<String> rows(AdbcConnection c, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (AdbcStatement s = c.createStatement()) {
      s.setSqlQuery(sql);
      try (AdbcStatement.QueryResult result = s.executeQuery();
          ArrowReader reader = result.getReader()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          for (int r = 0; r < root.getRowCount(); r++) {
            List<String> row = new ArrayList<>();
            for (var v : root.getFieldVectors()) {
              row.add(String.valueOf(v.getObject(r)));
            }
            rows.add(String.join("|", row));
          }
        }
      }
    }
    return rows;
  }

  /**
   * Every row of {@code getObjects} down to tables, as text. (Depth ALL needs the ADBC driver's
   * flight-sql-jdbc-core, which the shaded stock JDBC driver on this class path shadows: see
   * {@link #objectsWithColumns}.)
   */
  private static String objects(AdbcConnection c) throws Exception {
    StringBuilder text = new StringBuilder();
    try (ArrowReader reader = c.getObjects(GetObjectsDepth.TABLES, null, null, null, null,
        null)) {
      while (reader.loadNextBatch()) {
        text.append(reader.getVectorSchemaRoot().contentToTSVString());
      }
    }
    return text.toString();
  }

  /**
   * ADBC's {@code getObjects} at depth ALL for the tables named {@code table}, from a child JVM
   * whose class path lacks the shaded stock Flight SQL JDBC driver ({@link AdbcObjectsChild}).
   */
  private static String objectsWithColumns(String table) throws Exception {
    String classPath = java.util.Arrays.stream(
            ChildJava.testClassPath().split(java.io.File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString()
            .startsWith("flight-sql-jdbc-driver"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    List<String> arguments = new ArrayList<>(ChildJava.engineFlags());
    arguments.addAll(List.of("-cp", classPath, AdbcObjectsChild.class.getName(),
        Integer.toString(flight.port()), table));
    ChildJava.Result result = ChildJava.run(Path.of(System.getProperty("java.home")), arguments,
        null);
    assertEquals(0, result.exitCode(), result.output());
    return result.output();
  }

  /**
   * A table's Arrow schema as ADBC's {@code adbc_get_table_schema} asks for it (GetTables with
   * the schema included; the Java driver 0.20 does not implement getTableSchema itself).
   */
  private static Schema tableSchema(String table) throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", flight.port());
    try (FlightClient client = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(client)) {
      FlightInfo info = sql.getTables("quiver", "public", table, null, true);
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
        assertTrue(stream.next());
        VectorSchemaRoot root = stream.getRoot();
        assertEquals(1, root.getRowCount(), root.contentToTSVString());
        byte[] bytes = ((org.apache.arrow.vector.VarBinaryVector) root.getVector("table_schema"))
            .get(0);
        return org.apache.arrow.vector.types.pojo.Schema.deserializeMessage(
            java.nio.ByteBuffer.wrap(bytes));
      }
    }
  }

  @Test
  void adbcSeesTablesCreatedDroppedAndCreatedAgain() throws Exception {
    try (AdbcDatabase db = adbcDatabase(); AdbcConnection c = adbc(db)) {
      assertEquals(List.of("1"), rows(c, "SELECT 1"));
      update(c, "CREATE TABLE adbc_items (id BIGINT PRIMARY KEY, name VARCHAR(10), v VECTOR(3))");
      String objects = objects(c);
      assertTrue(objects.contains("quiver"), objects);
      assertTrue(objects.contains("\"db_schema_name\":\"public\""), objects);
      assertTrue(objects.contains("\"table_name\":\"adbc_items\""), objects);
      Schema schema = tableSchema("adbc_items");
      assertEquals(List.of("id", "name", "v"),
          schema.getFields().stream().map(Field::getName).toList());
      assertEquals(new ArrowType.FixedSizeList(3), schema.findField("v").getType());
      String columns = objectsWithColumns("adbc_items");
      for (String column : List.of("id", "name", "v")) {
        assertTrue(columns.contains("\"column_name\":\"" + column + "\""), columns);
      }

      update(c, "DROP TABLE adbc_items");
      assertFalse(objects(c).contains("adbc_items"));
      update(c, "CREATE TABLE adbc_items (id BIGINT PRIMARY KEY, w VECTOR(2))");
      objects = objects(c);
      assertFalse(objects.contains("@"), "no dropped version is listed: " + objects);
      assertEquals(1, objects.split("\"table_name\":\"adbc_items\"", -1).length - 1, objects);
      assertEquals(List.of("id", "w"), tableSchema("adbc_items").getFields().stream().map(Field::getName).toList());
    }
  }

  @Test
  void adbcAppendsVectorsAndSearchesThem() throws Exception {
    try (AdbcDatabase db = adbcDatabase(); AdbcConnection c = adbc(db)) {
      update(c, "CREATE TABLE adbc_vectors (id BIGINT PRIMARY KEY, name VARCHAR(10), v VECTOR(3))");
      try (VectorSchemaRoot root = rowsOf(List.of(1L, 2L, 3L), new float[][] {
          {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, true);
          AdbcStatement s = c.bulkIngest("adbc_vectors", BulkIngestMode.APPEND)) {
        s.bind(root);
        assertEquals(3, s.executeUpdate().getAffectedRows());
      }
      assertEquals(List.of("3", "2"), rows(c,
          "SELECT id FROM adbc_vectors ORDER BY v <-> '[0, 0.1, 0.9]' LIMIT 2"));
      assertEquals(List.of("2|n2|[0.0,1.0,0.0]"),
          rows(c, "SELECT id, name, v FROM adbc_vectors WHERE id = 2"));

      // The Java driver's own create mode sends CREATE TABLE without a key: the table gets a
      // hidden row id, and the data's own id is an ordinary column.
      Schema idOnly = new Schema(List.of(new Field("id",
          FieldType.notNullable(new ArrowType.Int(64, true)), null)));
      try (VectorSchemaRoot root = VectorSchemaRoot.create(idOnly, allocator);
          AdbcStatement s = c.bulkIngest("adbc_made", BulkIngestMode.CREATE)) {
        ((BigIntVector) root.getVector(0)).setSafe(0, 1);
        root.setRowCount(1);
        s.bind(root);
        assertEquals(1, s.executeUpdate().getAffectedRows());
      }
      assertEquals(List.of("1"), rows(c, "SELECT * FROM adbc_made"));
    }
  }

  /** Columns {@code id, name, v}: v a {@code fixed_size_list<float32>[n]} or a list of floats. */
  private static VectorSchemaRoot rowsOf(List<Long> ids, float[][] vectors, boolean fixedSize) {
    int dim = vectors[0].length;
    Field element = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Schema schema = new Schema(List.of(
        new Field("id", new FieldType(false, new ArrowType.Int(64, true), null,
            Map.of("quiver:primary_key", "true")), null),
        new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
        new Field("v", FieldType.notNullable(fixedSize ? new ArrowType.FixedSizeList(dim)
            : ArrowType.List.INSTANCE), List.of(element))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector name = (VarCharVector) root.getVector("name");
    for (int r = 0; r < ids.size(); r++) {
      id.setSafe(r, ids.get(r));
      name.setSafe(r, ("n" + ids.get(r)).getBytes(StandardCharsets.UTF_8));
    }
    if (fixedSize) {
      FixedSizeListVector v = (FixedSizeListVector) root.getVector("v");
      Float4Vector values = (Float4Vector) v.getDataVector();
      for (int r = 0; r < ids.size(); r++) {
        v.setNotNull(r);
        for (int j = 0; j < dim; j++) {
          values.setSafe(r * dim + j, vectors[r][j]);
        }
      }
      values.setValueCount(ids.size() * dim);
    } else {
      ListVector v = (ListVector) root.getVector("v");
      Float4Vector values = (Float4Vector) v.getDataVector();
      for (int r = 0; r < ids.size(); r++) {
        v.startNewValue(r);
        for (int j = 0; j < dim; j++) {
          values.setSafe(r * dim + j, vectors[r][j]);
        }
        v.endValue(r, dim);
      }
      values.setValueCount(ids.size() * dim);
    }
    root.setRowCount(ids.size());
    return root;
  }

  // ---------------------------------------------------------------- ingest modes over Flight SQL

  /** The table definition options each ADBC ingest mode sends. */
  private static TableDefinitionOptions mode(String adbcMode) {
    TableDefinitionOptions.Builder b = TableDefinitionOptions.newBuilder();
    return switch (adbcMode) {
      case "create" -> b.setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_FAIL).build();
      case "append" -> b.setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_FAIL)
          .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_APPEND).build();
      case "replace" -> b.setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_REPLACE).build();
      case "create_append" -> b.setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_APPEND).build();
      default -> throw new IllegalArgumentException(adbcMode);
    };
  }

  /** The batch as a stream reader, as a client sends it. */
  private static ArrowReader reader(VectorSchemaRoot root) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (root; ArrowStreamWriter writer = new ArrowStreamWriter(root, null, bytes)) {
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    return new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator);
  }

  private static long ingest(FlightSqlClient sql, String table, String mode,
      VectorSchemaRoot root, Map<String, String> options) throws Exception {
    try (ArrowReader data = reader(root)) {
      return sql.executeIngest(data,
          new FlightSqlClient.ExecuteIngestOptions(table, mode(mode), null, null, options));
    }
  }

  private static List<String> query(FlightSqlClient sql, String query) throws Exception {
    FlightInfo info = sql.execute(query);
    List<String> rows = new ArrayList<>();
    try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket())) {
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<String> row = new ArrayList<>();
          for (var v : root.getFieldVectors()) {
            row.add(String.valueOf(v.getObject(r)));
          }
          rows.add(String.join("|", row));
        }
      }
    }
    return rows;
  }

  @Test
  void ingestInEveryAdbcMode() throws Exception {
    Location location = Location.forGrpcInsecure("127.0.0.1", flight.port());
    try (FlightClient client = FlightClient.builder(allocator, location).build();
        FlightSqlClient sql = new FlightSqlClient(client)) {
      float[][] two = {{1, 0, 0}, {0, 1, 0}};
      assertEquals(2, ingest(sql, "ing", "create", rowsOf(List.of(1L, 2L), two, true), Map.of()));
      FlightInfo info = sql.execute("SELECT id, name, v FROM ing");
      assertEquals(new ArrowType.FixedSizeList(3), info.getSchema().findField("v").getType());
      assertEquals("VECTOR(3)", info.getSchema().findField("v").getMetadata().get("quiver:type"));
      assertEquals(List.of("1|n1|[1.0,0.0,0.0]", "2|n2|[0.0,1.0,0.0]"),
          query(sql, "SELECT id, name, v FROM ing ORDER BY id"));

      FlightRuntimeException exists = assertThrows(FlightRuntimeException.class,
          () -> ingest(sql, "ing", "create", rowsOf(List.of(3L), new float[][] {{0, 0, 1}},
              true), Map.of()));
      assertTrue(exists.getMessage().contains("42P07"), exists.getMessage());
      FlightRuntimeException missing = assertThrows(FlightRuntimeException.class,
          () -> ingest(sql, "ing_missing", "append", rowsOf(List.of(3L),
              new float[][] {{0, 0, 1}}, true), Map.of()));
      assertTrue(missing.getMessage().contains("42P01"), missing.getMessage());
      FlightRuntimeException schema;
      try (ArrowReader data = reader(rowsOf(List.of(3L), new float[][] {{0, 0, 1}}, true))) {
        schema = assertThrows(FlightRuntimeException.class, () -> sql.executeIngest(data,
            new FlightSqlClient.ExecuteIngestOptions("ing", mode("append"), null, "nowhere",
                Map.of())));
      }
      assertTrue(schema.getMessage().contains("42704")
          && schema.getMessage().contains("\"nowhere\""), schema.getMessage());

      assertEquals(1, ingest(sql, "ing", "append", rowsOf(List.of(3L), new float[][] {{0, 0, 1}},
          true), Map.of()));
      assertEquals(List.of("3"), query(sql, "SELECT COUNT(*) FROM ing"));

      // A list of floats of one length is a VECTOR too; the key may be named by an option.
      assertEquals(2, ingest(sql, "ing_lists", "create_append",
          rowsOf(List.of(10L, 11L), new float[][] {{1, 2}, {3, 4}}, false),
          Map.of("primary_key", "id")));
      assertEquals(1, ingest(sql, "ing_lists", "create_append",
          rowsOf(List.of(12L), new float[][] {{5, 6}}, false), Map.of()));
      assertEquals(List.of("10|[1.0,2.0]", "11|[3.0,4.0]", "12|[5.0,6.0]"),
          query(sql, "SELECT id, v FROM ing_lists ORDER BY id"));

      // Replace: the table afterwards has the new data's columns and rows only.
      assertEquals(1, ingest(sql, "ing", "replace",
          rowsOf(List.of(7L), new float[][] {{1, 2}}, false), Map.of()));
      assertEquals(List.of("7|n7|[1.0,2.0]"), query(sql, "SELECT id, name, v FROM ing"));

      // No key given: a table with a hidden row id, which append then fills further.
      VectorSchemaRoot keyless = rowsOf(List.of(1L), new float[][] {{1}}, true);
      Schema plain = new Schema(keyless.getSchema().getFields().stream()
          .map(f -> new Field(f.getName(), new FieldType(f.isNullable(), f.getType(), null),
              f.getChildren())).toList());
      VectorSchemaRoot withoutKey = new VectorSchemaRoot(plain, keyless.getFieldVectors(), 1);
      assertEquals(1, ingest(sql, "ing_nokey", "create", withoutKey, Map.of()));
      assertEquals(1, ingest(sql, "ing_nokey", "append",
          rowsOf(List.of(1L), new float[][] {{2}}, true), Map.of()));
      assertEquals(List.of("1|n1|[1.0]", "1|n1|[2.0]"),
          query(sql, "SELECT * FROM ing_nokey ORDER BY v <-> '[0]'"));

      FlightRuntimeException tx = assertThrows(FlightRuntimeException.class,
          sql::beginTransaction);
      assertTrue(tx.getMessage().contains("0A000")
          && tx.getMessage().contains("transactions are not supported"), tx.getMessage());
    }
  }

  // ---------------------------------------------------------------- stock Flight SQL JDBC driver

  /** A connection of the stock Flight SQL JDBC driver (see FlightSqlTest on its allocator). */
  private static synchronized Connection flightJdbc() throws SQLException {
    String property = "arrow.allocation.manager.type";
    String ours = System.getProperty(property);
    System.setProperty(property, "Netty");
    try {
      return DriverManager.getConnection("jdbc:arrow-flight-sql://127.0.0.1:" + flight.port()
          + "/?useEncryption=false");
    } finally {
      if (ours == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, ours);
      }
    }
  }

  private static List<String> tables(DatabaseMetaData md, String pattern) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, null, pattern, null)) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
      }
    }
    return names;
  }

  @Test
  void stockFlightJdbcMetadataFollowsDdl() throws Exception {
    try (Connection c = flightJdbc(); Statement s = c.createStatement()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of(), tables(md, "fl_fresh"));
      s.execute("CREATE TABLE fl_fresh (id BIGINT PRIMARY KEY, v VECTOR(2))");
      for (int i = 0; i < 3; i++) {
        assertEquals(List.of("public.fl_fresh"), tables(md, "fl_fresh"));
      }
      s.execute("DROP TABLE fl_fresh");
      assertEquals(List.of(), tables(md, "fl_fresh"));
      s.execute("CREATE TABLE fl_fresh (id VARCHAR(5) PRIMARY KEY, w VECTOR(4))");
      assertEquals(List.of("public.fl_fresh"), tables(md, "fl_fresh"));
      List<String> all = tables(md, "%");
      assertTrue(all.stream().noneMatch(t -> t.contains("@")), all.toString());
      assertTrue(all.contains("sys.tables"), all.toString());
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "public", "fl_fresh", null)) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME"));
        }
      }
      assertEquals(List.of("id", "w"), columns);
      try (ResultSet rs = md.getCatalogs()) {
        assertTrue(rs.next());
        assertEquals("quiver", rs.getString(1));
        assertFalse(rs.next());
      }
    }
  }

  // ---------------------------------------------------------------- sqlline, stock Avatica driver

  @Test
  void sqllineOverTheStockAvaticaDriverDescribesTables(@TempDir Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection(avatica.avaticaUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tc_fresh (id BIGINT PRIMARY KEY, tag VARCHAR(8), v VECTOR(3))");
      s.execute("DROP TABLE tc_fresh");
      s.execute("CREATE TABLE tc_fresh (id BIGINT PRIMARY KEY, tag VARCHAR(8), v VECTOR(3))");
    }
    Path script = dir.resolve("script.sql");
    Files.writeString(script, String.join("\n", "!tables", "!columns tc_fresh",
        "!describe tc_fresh", "!indexes tc_fresh", "!primarykeys tc_fresh", "!quit", ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SqlLine sqlline = new SqlLine();
    sqlline.setOutputStream(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    sqlline.setErrorStream(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    SqlLine.Status status = sqlline.begin(new String[] {"-u", avatica.avaticaUrl(), "-n", "",
        "-p", "", "--outputformat=csv", "--run=" + script}, null, false);
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(SqlLine.Status.OK, status, text);
    assertFalse(text.contains("tc_fresh@"), text);
    assertTrue(text.contains("'public','tc_fresh','TABLE'"), text);
    for (String column : List.of("'tc_fresh','id'", "'tc_fresh','tag'", "'tc_fresh','v'")) {
      assertEquals(2, text.split(column, -1).length - 1,
          "!columns and !describe list " + column + ": " + text);
    }
  }
}
