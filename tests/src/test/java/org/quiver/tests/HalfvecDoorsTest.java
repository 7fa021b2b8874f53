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
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.arrow.vector.Float2Vector;
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
 * HALFVEC columns through every door: a {@code float[]} or text parameter is rounded to float16
 * on the way in, and what comes back (as {@code float[]}, as text, as Arrow's {@code
 * FixedSizeList<Float2>}) is the rounded vector; parameters and columns are described as
 * {@code HALFVEC(n)}; a k-NN search with a bound query vector ranks the rounded rows.
 */
class HalfvecDoorsTest {
  /** Values float16 does not hold exactly, and what float16 makes of them. */
  private static final float[] GIVEN = {0.1f, -1.2345678f, 1000.3f, 3e-8f};
  private static final float[] ROUNDED = rounded(GIVEN);
  private static final String TABLE = "CREATE TABLE h (id BIGINT PRIMARY KEY, v HALFVEC(4))";
  /**
   * float16's edges, which it holds exactly: -0.0, its smallest and largest subnormals, its
   * smallest normal, its largest finite values.
   */
  private static final float[] EDGES = {-0.0f, 0x1p-24f, 0x1.ff8p-15f, 0x1p-14f, 65504f,
      -65504f};

  @TempDir
  Path dir;

  private static float[] rounded(float[] v) {
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
    }
    return r;
  }

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
      RemoteTextModes.assertText(server.url(), "SELECT v FROM h WHERE id = 1",
          VectorText.format(ROUNDED), VectorText.abbreviate(VectorText.format(ROUNDED)));
      // 2 bytes an element: float32 would take 4.
      float[] wide = new float[1000];
      Arrays.fill(wide, 0.1f);
      WireBytes.assertBatchSize(server.url(), "wide", "HALFVEC(1000)", wide, 2000, 8);
    }
  }

  @Test
  void stockAvaticaDriverAsText() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
        Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      try (Statement s = c.createStatement()) {
        s.execute(TABLE);
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO h VALUES (?, ?)")) {
        assertEquals("HALFVEC(4)", insert.getParameterMetaData().getParameterTypeName(2));
        insert.setLong(1, 1);
        insert.setString(2, VectorText.format(GIVEN));
        assertEquals(1, insert.executeUpdate());
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM h")) {
        assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1));
        assertEquals("HALFVEC(4)", rs.getMetaData().getColumnTypeName(1));
        assertTrue(rs.next());
        assertEquals(VectorText.format(ROUNDED), rs.getString(1));
      }
    }
  }

  /** The server's side of the binary wire, seen by Avatica's own client asking for it. */
  @Test
  void serverSendsFloat16BytesToAClientThatAsksForThem() throws SQLException {
    byte[] rounded = float16(ROUNDED);
    assertEquals(2 * ROUNDED.length, rounded.length);
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0)) {
      try (Connection c = WireBytes.avaticaClient(server, "typed", TABLE)) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO h VALUES (?, ?)")) {
          assertEquals(Types.BINARY, insert.getParameterMetaData().getParameterType(2));
          assertEquals("HALFVEC(4)", insert.getParameterMetaData().getParameterTypeName(2));
          insert.setLong(1, 1);
          insert.setBytes(2, rounded);
          assertEquals(1, insert.executeUpdate());
          insert.setLong(1, 2);
          insert.setBytes(2, new byte[7]);
          SQLException odd = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", odd.getSQLState(), odd.getMessage());
          // Four float32 values are eight float16 ones: the wrong dimension.
          insert.setBytes(2, new byte[16]);
          SQLException wide = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", wide.getSQLState(), wide.getMessage());
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT v FROM h WHERE id = 1")) {
          assertEquals(Types.BINARY, rs.getMetaData().getColumnType(1));
          assertEquals("HALFVEC(4)", rs.getMetaData().getColumnTypeName(1));
          assertTrue(rs.next());
          assertArrayEquals(rounded, rs.getBytes(1));
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
          new Field("v", FieldType.notNullable(new ArrowType.FixedSizeList(GIVEN.length)),
              List.of(new Field("item", FieldType.notNullable(
                  new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)), null)))));
      FlightSqlClient.PreparedStatement insert = sql.prepare("INSERT INTO h VALUES (?, ?)", auth);
      try (VectorSchemaRoot row = VectorSchemaRoot.create(parameters, allocator)) {
        ((BigIntVector) row.getVector(0)).setSafe(0, 1);
        FixedSizeListVector v = (FixedSizeListVector) row.getVector(1);
        int start = v.startNewValue(0);
        Float2Vector data = (Float2Vector) v.getDataVector();
        for (int i = 0; i < GIVEN.length; i++) {
          data.setSafe(start + i, Float.floatToFloat16(GIVEN[i]));
        }
        v.setValueCount(1);
        row.setRowCount(1);
        insert.setParameters(row);
        assertEquals(1, insert.executeUpdate(auth));
      } finally {
        insert.close(auth);
      }
      FlightInfo info = sql.execute("SELECT v FROM h WHERE id = 1", auth);
      Field field = info.getSchema().getFields().get(0);
      assertEquals(new ArrowType.FixedSizeList(4), field.getType());
      assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.HALF),
          field.getChildren().get(0).getType());
      List<float[]> read = new ArrayList<>();
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          FixedSizeListVector v = (FixedSizeListVector) root.getVector(0);
          Float2Vector data = (Float2Vector) v.getDataVector();
          for (int r = 0; r < root.getRowCount(); r++) {
            float[] one = new float[4];
            for (int i = 0; i < 4; i++) {
              one[i] = data.getValueAsFloat(r * 4 + i);
            }
            read.add(one);
          }
        }
      }
      assertEquals(1, read.size());
      assertArrayEquals(ROUNDED, read.get(0));
    }
  }

  /**
   * float16's edge values in and out bit for bit, set one at a time and in a batch; infinity,
   * which a halfvec does not hold, refused.
   */
  private static void edges(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE edges (id BIGINT PRIMARY KEY, v HALFVEC(6))");
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO edges VALUES (?, ?)")) {
      insert.setLong(1, 1);
      insert.setObject(2, EDGES);
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setObject(2, EDGES);
      insert.addBatch();
      insert.setLong(1, 3);
      insert.setString(2, VectorText.format(EDGES));
      insert.addBatch();
      assertArrayEquals(new int[] {1, 1}, insert.executeBatch());
      insert.setLong(1, 4);
      insert.setObject(2, new float[] {1, 1, 1, 1, 1, Float.NEGATIVE_INFINITY});
      SQLException infinite = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("22003", infinite.getSQLState(), infinite.getMessage());
      // Too large for float16, in a batch: refused at execution, naming the value.
      insert.setLong(1, 4);
      insert.setObject(2, new float[] {1, 1, 1, 1, 1, 70000});
      insert.addBatch();
      SQLException tooLarge = assertThrows(SQLException.class, insert::executeBatch);
      assertEquals("22003", tooLarge.getSQLState(), tooLarge.getMessage());
      assertTrue(tooLarge.getMessage().contains("70000"), tooLarge.getMessage());
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v FROM edges ORDER BY id")) {
      for (long id = 1; id <= 3; id++) {
        assertTrue(rs.next());
        assertEquals(id, rs.getLong(1));
        assertBits(EDGES, rs.getObject(2, float[].class));
        VectorValue value = rs.getObject(2, VectorValue.class);
        assertTrue(value.isHalf());
        assertBits(EDGES, value.elements());
        assertBits(EDGES, VectorText.parse(rs.getString(2)));
      }
      assertFalse(rs.next());
    }
  }

  /** Equal bit for bit: -0.0 is not 0.0. */
  private static void assertBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          "element " + i + ": " + expected[i] + " came back as " + actual[i]);
    }
  }

  /** The wire form of a halfvec: little-endian float16. */
  private static byte[] float16(float[] vector) {
    ByteBuffer b = ByteBuffer.allocate(vector.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : vector) {
      b.putShort(Float.floatToFloat16(f));
    }
    return b.array();
  }

  /** Quiver's driver, embedded or remote: arrays and text in, rounded arrays and text out. */
  private static void roundTrip(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(TABLE);
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO h VALUES (?, ?)")) {
      assertEquals("HALFVEC(4)", insert.getParameterMetaData().getParameterTypeName(2));
      insert.setLong(1, 1);
      insert.setObject(2, GIVEN);
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setString(2, "[1,1,1,1]");
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 3);
      insert.setObject(2, new float[] {1, 1, 70000, 1});
      SQLException tooLarge = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("22003", tooLarge.getSQLState(), tooLarge.getMessage());
    }
    try (PreparedStatement select = c.prepareStatement(
        "SELECT id, v, v <-> ? AS d FROM h ORDER BY d LIMIT 2")) {
      select.setObject(1, GIVEN);
      try (ResultSet rs = select.executeQuery()) {
        assertEquals("HALFVEC(4)", rs.getMetaData().getColumnTypeName(2));
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertArrayEquals(ROUNDED, assertInstanceOf(float[].class, rs.getObject(2)));
        assertEquals(VectorText.format(ROUNDED), rs.getString(2));
        // The bound query is a halfvec too, so the row is at distance 0 from it.
        assertEquals(0.0, rs.getDouble(3));
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
        assertFalse(rs.next());
      }
    }
    try (ResultSet columns = c.getMetaData().getColumns(null, "public", "h", "v")) {
      assertTrue(columns.next());
      assertEquals("HALFVEC", columns.getString("TYPE_NAME"));
      assertEquals(4, columns.getInt("COLUMN_SIZE"));
    }
  }
}
