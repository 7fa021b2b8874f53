package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.jdbc.SparseVectorValue;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;

/**
 * SPARSEVEC(n) columns through every door: Quiver's driver hands out and takes {@link
 * SparseVectorValue}s (and text), the stock Avatica driver text, Flight SQL and COPY a {@code
 * List<Struct<index: Int32 from 0, value: Float4>>} with the dimension in the field's {@code
 * quiver:type}; columns and parameters are described as {@code SPARSEVEC(n)}, and a k-NN search by
 * L2 distance with a bound query ranks the rows.
 */
class SparsevecDoorsTest {
  private static final SparseVectorValue FIRST = SparseVectorValue.parse("{1:1.5,5:-2}/5");
  private static final String TABLE =
      "CREATE TABLE s (id BIGINT PRIMARY KEY, sv SPARSEVEC(5), tag VARCHAR)";
  /** The largest dimension, its last index, and values at float's edges. */
  private static final SparseVectorValue WIDEST = SparseVectorValue.of(
      SparseVectorValue.MAX_DIMENSION,
      new int[] {0, 123_456_789, SparseVectorValue.MAX_DIMENSION - 1},
      new float[] {Float.MIN_VALUE, -1e38f, Float.MAX_VALUE});
  private static final SparseVectorValue EMPTY =
      SparseVectorValue.of(SparseVectorValue.MAX_DIMENSION, new int[0], new float[0]);
  private static final TableDefinitionOptions APPEND = TableDefinitionOptions.newBuilder()
      .setIfNotExist(TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_FAIL)
      .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_APPEND)
      .build();

  @TempDir
  Path dir;

  @Test
  void embeddedDriver() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir)) {
      roundTrip(c);
      edges(c);
    }
  }

  @Test
  void quiverRemoteDriver() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
        Connection c = DriverManager.getConnection(server.url())) {
      roundTrip(c);
      edges(c);
      RemoteTextModes.assertText(server.url(), "SELECT sv FROM s WHERE id = 1",
          FIRST.toString(), FIRST.toString());
      // 8 bytes a non-zero element: the text would take its index's digits and the value's.
      int[] indices = new int[1000];
      float[] values = new float[1000];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = 999_000_000 + 3 * i;
        values[i] = -1.2345678e-20f * (i + 1);
      }
      WireBytes.assertBatchSize(server.url(), "wide", "SPARSEVEC(1000000000)",
          SparseVectorValue.of(SparseVectorValue.MAX_DIMENSION, indices, values), 8 + 8000, 8);
    }
  }

  @Test
  void stockAvaticaDriverAsText() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
        Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      try (Statement s = c.createStatement()) {
        s.execute(TABLE);
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)")) {
        assertEquals("SPARSEVEC(5)", insert.getParameterMetaData().getParameterTypeName(2));
        assertEquals(Types.VARCHAR, insert.getParameterMetaData().getParameterType(2));
        insert.setLong(1, 1);
        insert.setString(2, FIRST.toString());
        insert.setString(3, "a");
        assertEquals(1, insert.executeUpdate());
        insert.setLong(1, 2);
        insert.setString(2, "{1:1}/4");
        SQLException wrongDimension = assertThrows(SQLException.class, insert::executeUpdate);
        assertEquals("22000", wrongDimension.getSQLState(), wrongDimension.getMessage());
        insert.setString(2, "{1:1/5");
        SQLException badText = assertThrows(SQLException.class, insert::executeUpdate);
        assertEquals("22P02", badText.getSQLState(), badText.getMessage());
      }
      try (PreparedStatement select = c.prepareStatement(
          "SELECT sv, sv <-> ? AS d FROM s ORDER BY sv <-> ? LIMIT 1")) {
        select.setString(1, "{}/5");
        select.setString(2, "{}/5");
        try (ResultSet rs = select.executeQuery()) {
          assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1));
          assertEquals("SPARSEVEC(5)", rs.getMetaData().getColumnTypeName(1));
          assertTrue(rs.next());
          assertEquals("{1:1.5,5:-2}/5", rs.getString(1));
          assertEquals("{1:1.5,5:-2}/5", rs.getObject(1));
          assertEquals(2.5, rs.getDouble(2));
        }
      }
      try (ResultSet columns = c.getMetaData().getColumns(null, "public", "s", "sv")) {
        assertTrue(columns.next());
        assertEquals("SPARSEVEC", columns.getString("TYPE_NAME"));
        assertEquals(5, columns.getInt("COLUMN_SIZE"));
        assertEquals(Types.VARCHAR, columns.getInt("DATA_TYPE"));
      }
    }
  }

  /** The server's side of the binary wire, seen by Avatica's own client asking for it. */
  @Test
  void serverSendsSparseBytesToAClientThatAsksForThem() throws SQLException {
    byte[] first = sparse(5, new int[] {0, 4}, new float[] {1.5f, -2});
    assertEquals(24, first.length);
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0)) {
      try (Connection c = WireBytes.avaticaClient(server, "typed", TABLE)) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)")) {
          assertEquals(Types.BINARY, insert.getParameterMetaData().getParameterType(2));
          assertEquals("SPARSEVEC(5)", insert.getParameterMetaData().getParameterTypeName(2));
          insert.setLong(1, 1);
          insert.setBytes(2, first);
          insert.setString(3, "a");
          assertEquals(1, insert.executeUpdate());
          insert.setLong(1, 2);
          insert.setBytes(2, sparse(5, new int[] {4, 0}, new float[] {1, 1}));
          SQLException order = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", order.getSQLState(), order.getMessage());
          insert.setBytes(2, sparse(5, new int[] {5}, new float[] {1}));
          SQLException range = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", range.getSQLState(), range.getMessage());
          insert.setBytes(2, Arrays.copyOf(first, 20));
          SQLException truncated = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", truncated.getSQLState(), truncated.getMessage());
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT sv FROM s WHERE id = 1")) {
          assertEquals(Types.BINARY, rs.getMetaData().getColumnType(1));
          assertEquals("SPARSEVEC(5)", rs.getMetaData().getColumnTypeName(1));
          assertTrue(rs.next());
          assertArrayEquals(first, rs.getBytes(1));
        }
      }
    }
  }

  /** A sparse vector's wire form: dimension, count, indices from 0, values, little-endian. */
  private static byte[] sparse(int dimension, int[] indices, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(8 + 8 * indices.length).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(dimension).putInt(indices.length);
    for (int i : indices) {
      b.putInt(i);
    }
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  @Test
  void flightSqlAndCopy() throws Exception {
    UserStore users = new UserStore(dir);
    users.add("alice", Role.READ_WRITE, "alice-secret".toCharArray());
    Schema ingest = new Schema(List.of(
        new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
        new Field("sv", FieldType.nullable(ArrowType.List.INSTANCE), List.of(
            new Field("element", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
                new Field("index", FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field("value", FieldType.notNullable(
                    new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null)))))));
    try (FlightSqlServer server = FlightSqlServer.start(ServerOptions.of(dir, "127.0.0.1", 0), 0);
        BufferAllocator allocator = new RootAllocator();
        FlightClient flight = FlightClient.builder(allocator,
            Location.forGrpcInsecure("127.0.0.1", server.port())).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      sql.executeUpdate(TABLE, auth);

      // A parameter of type SPARSEVEC(5) takes the sparse vector's text.
      FlightSqlClient.PreparedStatement insert = sql.prepare("INSERT INTO s VALUES (?, ?, ?)",
          auth);
      Schema parameters = new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          new Field("sv", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
          new Field("tag", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
      try (VectorSchemaRoot row = VectorSchemaRoot.create(parameters, allocator)) {
        ((BigIntVector) row.getVector(0)).setSafe(0, 1);
        ((VarCharVector) row.getVector(1)).setSafe(0, FIRST.toString().getBytes(
            StandardCharsets.UTF_8));
        ((VarCharVector) row.getVector(2)).setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
        row.setRowCount(1);
        insert.setParameters(row);
        assertEquals(1, insert.executeUpdate(auth));
      } finally {
        insert.close(auth);
      }

      // Bulk ingest of the table's own layout: indices from 0, copied as they are, NULL kept.
      try (ArrowStreamReader rows = stream(allocator, ingest, root -> {
        ((BigIntVector) root.getVector(0)).setSafe(0, 2);
        appendSparse((ListVector) root.getVector(1), 0, new int[] {1, 2}, new float[] {3, 4});
        ((BigIntVector) root.getVector(0)).setSafe(1, 3);
        ((ListVector) root.getVector(1)).setNull(1);
        ((BigIntVector) root.getVector(0)).setSafe(2, 4);
        appendSparse((ListVector) root.getVector(1), 2, new int[0], new float[0]);
        root.setRowCount(3);
      })) {
        assertEquals(3, sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("s", APPEND, null, null, Map.of()), auth));
      }
      // An index past the dimension (5, counted from 0) is refused, not stored.
      try (ArrowStreamReader rows = stream(allocator, ingest, root -> {
        ((BigIntVector) root.getVector(0)).setSafe(0, 5);
        appendSparse((ListVector) root.getVector(1), 0, new int[] {5}, new float[] {1});
        root.setRowCount(1);
      })) {
        Exception outOfBounds = assertThrows(Exception.class, () -> sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("s", APPEND, null, null, Map.of()), auth));
        assertTrue(outOfBounds.getMessage().contains("22000"), outOfBounds.getMessage());
      }

      FlightInfo info = sql.execute("SELECT id, sv FROM s ORDER BY id", auth);
      Field field = info.getSchema().getFields().get(1);
      assertEquals(ArrowType.List.INSTANCE, field.getType());
      assertEquals("SPARSEVEC(5)", field.getMetadata().get("quiver:type"));
      List<String> read = new ArrayList<>();
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          ListVector v = (ListVector) stream.getRoot().getVector(1);
          StructVector elements = (StructVector) v.getDataVector();
          IntVector indices = (IntVector) elements.getChildByOrdinal(0);
          Float4Vector values = (Float4Vector) elements.getChildByOrdinal(1);
          for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
            if (v.isNull(r)) {
              read.add(null);
              continue;
            }
            StringBuilder text = new StringBuilder();
            for (int i = v.getElementStartIndex(r); i < v.getElementEndIndex(r); i++) {
              text.append(indices.get(i)).append('=').append(values.get(i)).append(' ');
            }
            read.add(text.toString().strip());
          }
        }
      }
      assertEquals(Arrays.asList("0=1.5 4=-2.0", "1=3.0 2=4.0", null, ""), read);
    }

    // COPY writes a sparse vector as its text and reads it back; Parquet keeps the Arrow layout.
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        Statement s = c.createStatement()) {
      Path csv = dir.resolve("sparse.csv");
      s.execute("COPY (SELECT id, sv FROM s ORDER BY id) TO '" + csv + "'");
      // The commas of the text form make CSV quote it.
      assertEquals(List.of("id,sv", "1,\"{1:1.5,5:-2}/5\"", "2,\"{2:3,3:4}/5\"", "3,", "4,{}/5"),
          Files.readAllLines(csv));
      s.execute("CREATE TABLE copied (id BIGINT PRIMARY KEY, sv SPARSEVEC(5))");
      s.execute("COPY copied FROM '" + csv + "'");
      try (ResultSet rs = s.executeQuery("SELECT sv FROM copied ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(FIRST, rs.getObject(1));
        assertTrue(rs.next());
        assertEquals("{2:3,3:4}/5", rs.getString(1));
        assertTrue(rs.next());
        assertNull(rs.getObject(1));
        assertTrue(rs.next());
        assertEquals(SparseVectorValue.parse("{}/5"), rs.getObject(1));
      }
      Path parquet = dir.resolve("sparse.parquet");
      s.execute("COPY (SELECT id, sv FROM s ORDER BY id) TO '" + parquet + "'");
      s.execute("CREATE TABLE fromparquet (id BIGINT PRIMARY KEY, sv SPARSEVEC(5))");
      s.execute("COPY fromparquet FROM '" + parquet + "'");
      try (ResultSet rs = s.executeQuery("SELECT id, sv FROM fromparquet ORDER BY id")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getLong(1) + ":" + rs.getString(2));
        }
        assertEquals(List.of("1:{1:1.5,5:-2}/5", "2:{2:3,3:4}/5", "3:null", "4:{}/5"), rows);
      }
    }
  }

  /** Writes row {@code row} of a List of Struct(index, value). */
  private static void appendSparse(ListVector v, int row, int[] indices, float[] values) {
    StructVector elements = (StructVector) v.getDataVector();
    int start = v.startNewValue(row);
    for (int i = 0; i < indices.length; i++) {
      ((IntVector) elements.getChildByOrdinal(0)).setSafe(start + i, indices[i]);
      ((Float4Vector) elements.getChildByOrdinal(1)).setSafe(start + i, values[i]);
      elements.setIndexDefined(start + i);
    }
    v.endValue(row, indices.length);
  }

  @FunctionalInterface
  private interface Filler {
    void fill(VectorSchemaRoot root);
  }

  /** One record batch of {@code schema}, filled by {@code filler}, as an Arrow IPC stream. */
  private static ArrowStreamReader stream(BufferAllocator allocator, Schema schema,
      Filler filler) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, bytes)) {
      root.allocateNew();
      filler.fill(root);
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    return new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator);
  }

  /**
   * The largest dimension with its last index and float's edge values, and no non-zero element,
   * in and out as values and as text, set one at a time and in a batch.
   */
  private static void edges(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE edges (id BIGINT PRIMARY KEY, sv SPARSEVEC(1000000000))");
    }
    List<SparseVectorValue> expected = List.of(WIDEST, EMPTY, WIDEST, EMPTY, WIDEST);
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO edges VALUES (?, ?)")) {
      insert.setLong(1, 1);
      insert.setObject(2, WIDEST);
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setObject(2, EMPTY);
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 3);
      insert.setObject(2, WIDEST);
      insert.addBatch();
      insert.setLong(1, 4);
      insert.setObject(2, EMPTY);
      insert.addBatch();
      insert.setLong(1, 5);
      insert.setString(2, WIDEST.toString());
      insert.addBatch();
      assertArrayEquals(new int[] {1, 1, 1}, insert.executeBatch());
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, sv FROM edges ORDER BY id")) {
      for (SparseVectorValue value : expected) {
        assertTrue(rs.next());
        SparseVectorValue read = assertInstanceOf(SparseVectorValue.class, rs.getObject(2));
        assertEquals(value.dimension(), read.dimension());
        assertArrayEquals(value.indices(), read.indices());
        assertArrayEquals(value.values(), read.values());
        assertEquals(value.toString(), rs.getString(2));
        assertEquals(value.toString(), rs.getObject(2, String.class));
      }
      assertFalse(rs.next());
    }
  }

  /**
   * Quiver's driver, embedded or remote: SparseVectorValues and text in, SparseVectorValues and
   * text out.
   */
  private static void roundTrip(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(TABLE);
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)")) {
      assertEquals("SPARSEVEC(5)", insert.getParameterMetaData().getParameterTypeName(2));
      assertEquals(Types.VARCHAR, insert.getParameterMetaData().getParameterType(2));
      insert.setLong(1, 1);
      insert.setObject(2, FIRST);
      insert.setString(3, "a");
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setString(2, "{5:1,1:1,2:1,3:1,4:1}/5");
      insert.setString(3, "b");
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 3);
      insert.setObject(2, SparseVectorValue.parse("{1:1}/4"));
      SQLException wrongDimension = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("22000", wrongDimension.getSQLState(), wrongDimension.getMessage());
      assertTrue(wrongDimension.getMessage().contains("expected 5 dimensions, not 4"),
          wrongDimension.getMessage());
      insert.setString(2, "{1:x}/5");
      SQLException badText = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("22P02", badText.getSQLState(), badText.getMessage());
      assertTrue(badText.getMessage().contains("{1:x}/5"), badText.getMessage());
    }
    // A batch: one insert of every row, sparse vectors bound as values, as text and as NULL.
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)")) {
      insert.setLong(1, 3);
      insert.setObject(2, SparseVectorValue.of(5, new int[] {2}, new float[] {1}));
      insert.setString(3, "a");
      insert.addBatch();
      insert.setLong(1, 4);
      insert.setString(2, "{3:1,4:1}/5");
      insert.setString(3, "b");
      insert.addBatch();
      insert.setLong(1, 5);
      insert.setNull(2, Types.VARCHAR);
      insert.setString(3, "a");
      insert.addBatch();
      assertArrayEquals(new int[] {1, 1, 1}, insert.executeBatch());
    }
    // A dense vector bound to a sparsevec parameter is its non-zero elements.
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)")) {
      insert.setLong(1, 6);
      insert.setObject(2, new float[] {0, 0, 3, 0, 0});
      insert.setString(3, "c");
      assertEquals(1, insert.executeUpdate());
    }
    try (ResultSet rs = c.createStatement().executeQuery("SELECT sv FROM s WHERE id = 6")) {
      assertTrue(rs.next());
      assertEquals("{3:3}/5", rs.getString(1));
    }
    try (PreparedStatement select = c.prepareStatement(
        "SELECT id, sv, sv <-> ? AS d FROM s WHERE tag = ? ORDER BY sv <-> ? LIMIT 2")) {
      select.setObject(1, SparseVectorValue.parse("{}/5"));
      select.setString(2, "a");
      select.setString(3, "{}/5");
      try (ResultSet rs = select.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals("SPARSEVEC(5)", md.getColumnTypeName(2));
        assertEquals(Types.VARCHAR, md.getColumnType(2));
        assertEquals(5, md.getPrecision(2));
        assertEquals(SparseVectorValue.class.getName(), md.getColumnClassName(2));
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        SparseVectorValue third = assertInstanceOf(SparseVectorValue.class, rs.getObject(2));
        assertEquals(5, third.dimension());
        assertArrayEquals(new int[] {2}, third.indices());
        assertArrayEquals(new float[] {1}, third.values());
        assertEquals("{3:1}/5", rs.getString(2));
        assertEquals(1.0, rs.getDouble(3));
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals(FIRST, rs.getObject(2, SparseVectorValue.class));
        assertEquals(FIRST, rs.getObject("sv"));
        assertEquals(2.5, rs.getDouble("d"));
        assertFalse(rs.next());
      }
    }
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT sv FROM s WHERE id = 5")) {
      assertTrue(rs.next());
      assertNull(rs.getObject(1));
      assertNull(rs.getString(1));
    }
    try (ResultSet columns = c.getMetaData().getColumns(null, "public", "s", "sv")) {
      assertTrue(columns.next());
      assertEquals("SPARSEVEC", columns.getString("TYPE_NAME"));
      assertEquals(5, columns.getInt("COLUMN_SIZE"));
      assertEquals(Types.VARCHAR, columns.getInt("DATA_TYPE"));
    }
    try (ResultSet types = c.getMetaData().getTypeInfo()) {
      boolean found = false;
      while (types.next()) {
        if (types.getString("TYPE_NAME").equals("SPARSEVEC")) {
          found = true;
          assertEquals(1_000_000_000, types.getInt("PRECISION"));
          assertEquals("dimension", types.getString("CREATE_PARAMS"));
        }
      }
      assertTrue(found, "getTypeInfo lists SPARSEVEC");
    }
  }
}
