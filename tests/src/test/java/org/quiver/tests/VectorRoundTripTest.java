package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.jdbc.VectorText;
import org.quiver.jdbc.VectorValue;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;

/**
 * Vectors go into every door as a parameter and come back bit for bit: -0.0, the smallest
 * subnormal, 1e38 and a vector of 16,000 dimensions, through the embedded driver, Quiver's remote
 * driver (float32 bytes on the wire), the stock Avatica driver (text) and Arrow Flight SQL
 * ({@code FixedSizeList<Float4>}), read back as values and as text.
 */
class VectorRoundTripTest {
  private static final float[] SMALL = {-0.0f, Float.MIN_VALUE, 1e38f, -Float.MIN_VALUE};
  private static final float[] WIDE = wide();
  private static final String TABLE =
      "CREATE TABLE rt (id BIGINT PRIMARY KEY, small VECTOR(4), wide VECTOR(16000))";

  @TempDir
  Path dir;

  private static float[] wide() {
    float[] v = new float[16_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (i % 5) {
        case 0 -> -0.0f;
        case 1 -> Float.MIN_VALUE;
        case 2 -> 1e38f;
        case 3 -> -1e38f;
        default -> (i - 8000) / 7f;
      };
    }
    return v;
  }

  @Test
  void embeddedDriver() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir)) {
      roundTripAsValues(c);
    }
  }

  @Test
  void quiverRemoteDriver() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
        Connection c = DriverManager.getConnection(server.url())) {
      roundTripAsValues(c);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO rt VALUES (?, ?, ?)")) {
        insert.setLong(1, 3);
        insert.setObject(2, VectorValue.wrap(SMALL.clone()));
        insert.setObject(3, VectorValue.wrap(WIDE.clone()));
        assertEquals(1, insert.executeUpdate());
      }
      try (PreparedStatement select = c.prepareStatement(
          "SELECT small, wide FROM rt WHERE id = 3")) {
        try (ResultSet rs = select.executeQuery()) {
          assertTrue(rs.next());
          assertBits(SMALL, rs.getObject(1, VectorValue.class).elements());
          assertBits(WIDE, rs.getObject("wide", VectorValue.class).elements());
        }
      }
    }
  }

  /** The server's side of the binary wire, seen by Avatica's own client asking for it. */
  @Test
  void serverSendsFloat32BytesToAClientThatAsksForThem() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0)) {
      try (Connection c = WireBytes.avaticaClient(server, "typed", "CREATE TABLE rt (id BIGINT PRIMARY KEY, small VECTOR(4))")) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO rt VALUES (?, ?)")) {
          assertEquals(Types.BINARY, insert.getParameterMetaData().getParameterType(2));
          assertEquals("VECTOR(4)", insert.getParameterMetaData().getParameterTypeName(2));
          insert.setLong(1, 1);
          insert.setBytes(2, littleEndian(SMALL));
          assertEquals(1, insert.executeUpdate());
          insert.setLong(1, 2);
          insert.setBytes(2, new byte[7]);
          SQLException e = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", e.getSQLState(), e.getMessage());
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT small FROM rt WHERE id = 1")) {
          ResultSetMetaData md = rs.getMetaData();
          assertEquals(Types.BINARY, md.getColumnType(1));
          assertEquals("VECTOR(4)", md.getColumnTypeName(1));
          assertTrue(rs.next());
          assertArrayEquals(littleEndian(SMALL), rs.getBytes(1));
        }
      }
      try (Connection stock = DriverManager.getConnection(server.avaticaUrl());
          Statement s = stock.createStatement();
          ResultSet rs = s.executeQuery("SELECT small FROM rt WHERE id = 1")) {
        assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1));
        assertTrue(rs.next());
        assertEquals(VectorText.format(SMALL), rs.getObject(1));
      }
    }
  }

  /**
   * Quiver's drivers from before the typed wire asked with {@code vectorWire=binary} for float32
   * bytes of VECTOR and HALFVEC alike: the server answers them with text, which they read, and
   * still reads the float32 bytes they bind, rather than have them misread float16.
   */
  @Test
  void aDriverOfTheFloat32WireGetsTextAndMayBindFloat32Bytes() throws SQLException {
    float[] half = {1.5f, -0.0f, 65504f, 0.25f};
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0)) {
      try (Connection c = WireBytes.avaticaClient(server, "binary", "CREATE TABLE rt (id BIGINT PRIMARY KEY, small VECTOR(4), h HALFVEC(4))")) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO rt VALUES (?, ?, ?)")) {
          assertEquals(Types.VARCHAR, insert.getParameterMetaData().getParameterType(3));
          insert.setLong(1, 1);
          insert.setBytes(2, littleEndian(SMALL));
          insert.setBytes(3, littleEndian(half));
          assertEquals(1, insert.executeUpdate());
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT small, h FROM rt WHERE id = 1")) {
          assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1));
          assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(2));
          assertTrue(rs.next());
          assertEquals(VectorText.format(SMALL), rs.getObject(1));
          assertEquals(VectorText.format(half), rs.getObject(2));
        }
      }
    }
  }

  @Test
  void stockAvaticaDriverAsText() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
        Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      try (Statement s = c.createStatement()) {
        s.execute(TABLE);
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO rt VALUES (?, ?, ?)")) {
        insert.setLong(1, 1);
        insert.setString(2, VectorText.format(SMALL));
        insert.setString(3, VectorText.format(WIDE));
        assertEquals(1, insert.executeUpdate());
      }
      try (PreparedStatement select = c.prepareStatement(
          "SELECT small, wide FROM rt WHERE id = ?")) {
        select.setLong(1, 1);
        try (ResultSet rs = select.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1));
          assertEquals("VECTOR(16000)", rs.getMetaData().getColumnTypeName(2));
          String small = assertInstanceOf(String.class, rs.getObject(1));
          assertEquals(VectorText.format(SMALL), small);
          assertBits(SMALL, VectorText.parse(rs.getString(1)));
          assertBits(WIDE, VectorText.parse(rs.getString(2)));
          assertFalse(rs.next());
        }
      }
    }
  }

  @Test
  void flightSqlClient() throws Exception {
    UserStore users = new UserStore(dir);
    users.add("alice", Role.READ_WRITE, "alice-secret".toCharArray());
    try (FlightSqlServer server = FlightSqlServer.start(ServerOptions.of(dir, "127.0.0.1", 0), 0);
        BufferAllocator allocator = new RootAllocator();
        FlightClient flight = FlightClient.builder(allocator,
            Location.forGrpcInsecure("127.0.0.1", server.port())).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      sql.executeUpdate(TABLE, auth);
      Schema parameters = new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          vectorField("small", SMALL.length), vectorField("wide", WIDE.length)));
      FlightSqlClient.PreparedStatement insert =
          sql.prepare("INSERT INTO rt VALUES (?, ?, ?)", auth);
      try (VectorSchemaRoot row = VectorSchemaRoot.create(parameters, allocator)) {
        ((BigIntVector) row.getVector(0)).setSafe(0, 1);
        fill((FixedSizeListVector) row.getVector(1), SMALL);
        fill((FixedSizeListVector) row.getVector(2), WIDE);
        row.setRowCount(1);
        insert.setParameters(row);
        assertEquals(1, insert.executeUpdate(auth));
      } finally {
        insert.close(auth);
      }
      FlightInfo info = sql.execute("SELECT small, wide, CAST(small AS VARCHAR) AS text "
          + "FROM rt WHERE id = 1", auth);
      assertEquals(new ArrowType.FixedSizeList(4), info.getSchema().getFields().get(0).getType());
      int rows = 0;
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          for (int r = 0; r < root.getRowCount(); r++) {
            assertBits(SMALL, elements((FixedSizeListVector) root.getVector(0), r));
            assertBits(WIDE, elements((FixedSizeListVector) root.getVector(1), r));
            assertEquals(VectorText.format(SMALL), root.getVector(2).getObject(r).toString());
            rows++;
          }
        }
      }
      assertEquals(1, rows);
    }
  }

  /**
   * Quiver's driver, embedded or remote: arrays in, arrays and text out; text in, the same
   * arrays out.
   */
  private static void roundTripAsValues(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(TABLE);
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO rt VALUES (?, ?, ?)")) {
      insert.setLong(1, 1);
      insert.setObject(2, SMALL);
      insert.setObject(3, WIDE);
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setString(2, VectorText.format(SMALL));
      insert.setString(3, VectorText.format(WIDE));
      assertEquals(1, insert.executeUpdate());
    }
    try (PreparedStatement select = c.prepareStatement(
        "SELECT id, small, wide FROM rt WHERE small = ? ORDER BY id")) {
      select.setObject(1, SMALL);
      try (ResultSet rs = select.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(Types.VARCHAR, md.getColumnType(2));
        assertEquals("VECTOR(4)", md.getColumnTypeName(2));
        assertEquals("VECTOR(16000)", md.getColumnTypeName(3));
        for (long id = 1; id <= 2; id++) {
          assertTrue(rs.next());
          assertEquals(id, rs.getLong(1));
          assertBits(SMALL, assertInstanceOf(float[].class, rs.getObject(2)));
          assertBits(WIDE, rs.getObject(3, float[].class));
          assertEquals(VectorText.format(SMALL), rs.getString(2));
          assertBits(WIDE, VectorText.parse(rs.getString("wide")));
        }
        assertFalse(rs.next());
      }
    }
  }

  private static Field vectorField(String name, int dimension) {
    return new Field(name, FieldType.notNullable(new ArrowType.FixedSizeList(dimension)),
        List.of(new Field("item", FieldType.notNullable(
            new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null)));
  }

  private static void fill(FixedSizeListVector vector, float[] values) {
    int start = vector.startNewValue(0);
    Float4Vector data = (Float4Vector) vector.getDataVector();
    for (int i = 0; i < values.length; i++) {
      data.setSafe(start + i, values[i]);
    }
    vector.setValueCount(1);
  }

  private static float[] elements(FixedSizeListVector vector, int row) {
    Float4Vector data = (Float4Vector) vector.getDataVector();
    float[] v = new float[vector.getListSize()];
    for (int i = 0; i < v.length; i++) {
      v[i] = data.get(row * v.length + i);
    }
    return v;
  }

  private static byte[] littleEndian(float[] vector) {
    ByteBuffer b = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : vector) {
      b.putFloat(f);
    }
    return b.array();
  }

  /** Equal bit for bit: -0.0 is not 0.0. */
  private static void assertBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        assertEquals(expected[i], actual[i], "element " + i + " of " + expected.length);
        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
            "element " + i + " of " + expected.length + " (sign of zero)");
      }
    }
  }
}
