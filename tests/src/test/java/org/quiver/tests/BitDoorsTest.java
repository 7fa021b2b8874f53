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
import java.util.BitSet;
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
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.jdbc.BitValue;
import org.quiver.sql.auth.Role;
import org.quiver.sql.auth.UserStore;
import org.quiver.sql.flight.FlightSqlServer;
import org.quiver.sql.server.QuiverServer;
import org.quiver.sql.server.ServerOptions;

/**
 * BIT(n) columns through every door: Quiver's driver hands out and takes {@link BitValue}s (and
 * text), the stock Avatica driver text, Flight SQL and COPY {@code FixedSizeBinary(ceil(n / 8))}
 * with the length in the field's {@code quiver:type}; columns and parameters are described as
 * {@code BIT(n)}, and a k-NN search by Hamming distance with a bound query ranks the rows.
 */
class BitDoorsTest {
  /** 11 bits: two bytes, the last five bits of the second unused. */
  private static final BitValue FIRST = BitValue.parse("10100000111");
  private static final String TABLE =
      "CREATE TABLE b (id BIGINT PRIMARY KEY, bits BIT(11), tag VARCHAR)";
  /** FIRST on the binary wire: its length, then its bits most significant first. */
  private static final byte[] FIRST_BYTES = {11, 0, 0, 0, (byte) 0b1010_0000, (byte) 0b1110_0000};
  /** 13 bits, the last alone in its byte. */
  private static final BitValue THIRTEEN = BitValue.parse("1000000000001");
  /** The longest bit string, every third bit set. */
  private static final BitValue LONGEST = longest();
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
      RemoteTextModes.assertText(server.url(), "SELECT bits FROM b WHERE id = 1",
          FIRST.toString(), FIRST.toString());
      // The count and 8 bits a byte: the text would take a byte a bit.
      WireBytes.assertBatchSize(server.url(), "wide", "BIT(64000)", LONGEST, 4 + 8000, 8);
    }
  }

  @Test
  void stockAvaticaDriverAsText() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0);
        Connection c = DriverManager.getConnection(server.avaticaUrl())) {
      try (Statement s = c.createStatement()) {
        s.execute(TABLE);
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO b VALUES (?, ?, ?)")) {
        assertEquals("BIT(11)", insert.getParameterMetaData().getParameterTypeName(2));
        assertEquals(Types.VARCHAR, insert.getParameterMetaData().getParameterType(2));
        insert.setLong(1, 1);
        insert.setString(2, FIRST.toString());
        insert.setString(3, "a");
        assertEquals(1, insert.executeUpdate());
        insert.setLong(1, 2);
        insert.setString(2, "101");
        SQLException wrongLength = assertThrows(SQLException.class, insert::executeUpdate);
        assertEquals("22026", wrongLength.getSQLState(), wrongLength.getMessage());
      }
      try (PreparedStatement select = c.prepareStatement(
          "SELECT bits, bits <~> ? AS d FROM b ORDER BY bits <~> ? LIMIT 1")) {
        select.setString(1, "00000000000");
        select.setString(2, "00000000000");
        try (ResultSet rs = select.executeQuery()) {
          assertEquals(Types.VARCHAR, rs.getMetaData().getColumnType(1));
          assertEquals("BIT(11)", rs.getMetaData().getColumnTypeName(1));
          assertTrue(rs.next());
          assertEquals(FIRST.toString(), rs.getString(1));
          assertEquals(FIRST.toString(), rs.getObject(1));
          assertEquals(5.0, rs.getDouble(2));
        }
      }
      try (ResultSet columns = c.getMetaData().getColumns(null, "public", "b", "bits")) {
        assertTrue(columns.next());
        assertEquals("BIT", columns.getString("TYPE_NAME"));
        assertEquals(11, columns.getInt("COLUMN_SIZE"));
        assertEquals(Types.VARCHAR, columns.getInt("DATA_TYPE"));
      }
    }
  }

  /** The server's side of the binary wire, seen by Avatica's own client asking for it. */
  @Test
  void serverSendsBitBytesToAClientThatAsksForThem() throws SQLException {
    try (QuiverServer server = QuiverServer.start(dir, "127.0.0.1", 0)) {
      try (Connection c = WireBytes.avaticaClient(server, "typed", TABLE)) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO b VALUES (?, ?, ?)")) {
          assertEquals(Types.BINARY, insert.getParameterMetaData().getParameterType(2));
          assertEquals("BIT(11)", insert.getParameterMetaData().getParameterTypeName(2));
          insert.setLong(1, 1);
          insert.setBytes(2, FIRST_BYTES);
          insert.setString(3, "a");
          assertEquals(1, insert.executeUpdate());
          insert.setLong(1, 2);
          // One byte short of 11 bits; a bit set past the 11th.
          insert.setBytes(2, new byte[] {11, 0, 0, 0, 0});
          SQLException shortBytes = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", shortBytes.getSQLState(), shortBytes.getMessage());
          insert.setBytes(2, new byte[] {11, 0, 0, 0, 0, 0x10});
          SQLException padding = assertThrows(SQLException.class, insert::executeUpdate);
          assertEquals("22000", padding.getSQLState(), padding.getMessage());
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT bits FROM b WHERE id = 1")) {
          assertEquals(Types.BINARY, rs.getMetaData().getColumnType(1));
          assertEquals("BIT(11)", rs.getMetaData().getColumnTypeName(1));
          assertTrue(rs.next());
          assertArrayEquals(FIRST_BYTES, rs.getBytes(1));
        }
      }
    }
  }

  @Test
  void flightSqlAndCopy() throws Exception {
    UserStore users = new UserStore(dir);
    users.add("alice", Role.READ_WRITE, "alice-secret".toCharArray());
    try (FlightSqlServer server = FlightSqlServer.start(ServerOptions.of(dir, "127.0.0.1", 0), 0);
        BufferAllocator allocator = new RootAllocator();
        FlightClient flight = FlightClient.builder(allocator,
            Location.forGrpcInsecure("127.0.0.1", server.port())).build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = flight.authenticateBasicToken("alice", "alice-secret").orElseThrow();
      sql.executeUpdate(TABLE, auth);

      // A parameter of type BIT(11) takes the bit string's text.
      FlightSqlClient.PreparedStatement insert = sql.prepare("INSERT INTO b VALUES (?, ?, ?)",
          auth);
      Schema parameters = new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          new Field("bits", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
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

      // Bulk ingest of FixedSizeBinary(2): the table's own layout, copied as it is, NULL kept.
      Schema ingest = new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          new Field("bits", FieldType.nullable(new ArrowType.FixedSizeBinary(2)), null)));
      try (ArrowStreamReader rows = stream(allocator, ingest, root -> {
        ((BigIntVector) root.getVector(0)).setSafe(0, 2);
        ((FixedSizeBinaryVector) root.getVector(1)).setSafe(0, new byte[] {(byte) 0xFF, 0});
        ((BigIntVector) root.getVector(0)).setSafe(1, 3);
        ((FixedSizeBinaryVector) root.getVector(1)).setNull(1);
        root.setRowCount(2);
      })) {
        assertEquals(2, sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("b", APPEND, null, null, Map.of()), auth));
      }
      // Bits set past the length are refused, not stored.
      try (ArrowStreamReader rows = stream(allocator, ingest, root -> {
        ((BigIntVector) root.getVector(0)).setSafe(0, 4);
        ((FixedSizeBinaryVector) root.getVector(1)).setSafe(0, new byte[] {0, 1});
        root.setRowCount(1);
      })) {
        Exception padded = assertThrows(Exception.class, () -> sql.executeIngest(rows,
            new FlightSqlClient.ExecuteIngestOptions("b", APPEND, null, null, Map.of()), auth));
        assertTrue(padded.getMessage().contains("22000"), padded.getMessage());
      }

      FlightInfo info = sql.execute("SELECT id, bits FROM b ORDER BY id", auth);
      Field field = info.getSchema().getFields().get(1);
      assertEquals(new ArrowType.FixedSizeBinary(2), field.getType());
      assertEquals("BIT(11)", field.getMetadata().get("quiver:type"));
      List<byte[]> read = new ArrayList<>();
      try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
        while (stream.next()) {
          FixedSizeBinaryVector v = (FixedSizeBinaryVector) stream.getRoot().getVector(1);
          for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
            read.add(v.isNull(r) ? null : v.get(r));
          }
        }
      }
      assertEquals(3, read.size());
      assertArrayEquals(FIRST.toByteArray(), read.get(0));
      assertArrayEquals(new byte[] {(byte) 0xFF, 0}, read.get(1));
      assertNull(read.get(2));
    }

    // COPY writes a bit string as its text and reads it back.
    try (Connection c = DriverManager.getConnection("jdbc:quiver:file:" + dir);
        Statement s = c.createStatement()) {
      Path csv = dir.resolve("bits.csv");
      s.execute("COPY (SELECT id, bits FROM b ORDER BY id) TO '" + csv + "'");
      assertEquals(List.of("id,bits", "1,10100000111", "2,11111111000", "3,"),
          Files.readAllLines(csv));
      s.execute("CREATE TABLE copied (id BIGINT PRIMARY KEY, bits BIT(11))");
      s.execute("COPY copied FROM '" + csv + "'");
      try (ResultSet rs = s.executeQuery("SELECT bits FROM copied ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(FIRST, rs.getObject(1));
        assertTrue(rs.next());
        assertEquals("11111111000", rs.getString(1));
        assertTrue(rs.next());
        assertNull(rs.getObject(1));
      }
      // Parquet: FixedSizeBinary(2) out, and back in.
      Path parquet = dir.resolve("bits.parquet");
      s.execute("COPY (SELECT id, bits FROM b ORDER BY id) TO '" + parquet + "'");
      s.execute("CREATE TABLE fromparquet (id BIGINT PRIMARY KEY, bits BIT(11))");
      s.execute("COPY fromparquet FROM '" + parquet + "'");
      try (ResultSet rs = s.executeQuery("SELECT id, bits FROM fromparquet ORDER BY id")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getLong(1) + ":" + rs.getString(2));
        }
        assertEquals(List.of("1:10100000111", "2:11111111000", "3:null"), rows);
      }
    }
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

  private static BitValue longest() {
    BitSet bits = new BitSet();
    for (int i = 0; i < BitValue.MAX_LENGTH; i += 3) {
      bits.set(i);
    }
    return BitValue.fromBitSet(bits, BitValue.MAX_LENGTH);
  }

  /**
   * A length that is no multiple of 8 and the longest length, in and out as values and as text,
   * set one at a time and in a batch.
   */
  private static void edges(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE edges (id BIGINT PRIMARY KEY, b13 BIT(13), b64000 BIT(64000))");
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO edges VALUES (?, ?, ?)")) {
      insert.setLong(1, 1);
      insert.setObject(2, THIRTEEN);
      insert.setObject(3, LONGEST);
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setObject(2, THIRTEEN);
      insert.setObject(3, LONGEST);
      insert.addBatch();
      insert.setLong(1, 3);
      insert.setString(2, THIRTEEN.toString());
      insert.setString(3, LONGEST.toString());
      insert.addBatch();
      assertArrayEquals(new int[] {1, 1}, insert.executeBatch());
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, b13, b64000 FROM edges ORDER BY id")) {
      for (long id = 1; id <= 3; id++) {
        assertTrue(rs.next());
        assertEquals(id, rs.getLong(1));
        assertEquals(THIRTEEN, rs.getObject(2));
        assertEquals(THIRTEEN.toString(), rs.getString(2));
        assertEquals(THIRTEEN.toString(), rs.getObject(2, String.class));
        assertEquals(LONGEST, rs.getObject(3, BitValue.class));
        assertEquals(LONGEST.toString(), rs.getString(3));
      }
      assertFalse(rs.next());
    }
  }

  /** Quiver's driver, embedded or remote: BitValues and text in, BitValues and text out. */
  private static void roundTrip(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(TABLE);
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO b VALUES (?, ?, ?)")) {
      assertEquals("BIT(11)", insert.getParameterMetaData().getParameterTypeName(2));
      assertEquals(Types.VARCHAR, insert.getParameterMetaData().getParameterType(2));
      insert.setLong(1, 1);
      insert.setObject(2, FIRST);
      insert.setString(3, "a");
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 2);
      insert.setString(2, "11111111111");
      insert.setString(3, "b");
      assertEquals(1, insert.executeUpdate());
      insert.setLong(1, 3);
      insert.setObject(2, BitValue.parse("101"));
      SQLException wrongLength = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("22026", wrongLength.getSQLState(), wrongLength.getMessage());
      insert.setString(2, "1010000011x");
      SQLException badText = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("22P02", badText.getSQLState(), badText.getMessage());
    }
    // A batch: one insert of every row, bit strings bound as values, as text and as NULL.
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO b VALUES (?, ?, ?)")) {
      insert.setLong(1, 3);
      insert.setObject(2, BitValue.parse("00000000001"));
      insert.setString(3, "a");
      insert.addBatch();
      insert.setLong(1, 4);
      insert.setString(2, "00000000011");
      insert.setString(3, "b");
      insert.addBatch();
      insert.setLong(1, 5);
      insert.setNull(2, Types.VARCHAR);
      insert.setString(3, "a");
      insert.addBatch();
      assertArrayEquals(new int[] {1, 1, 1}, insert.executeBatch());
    }
    try (PreparedStatement select = c.prepareStatement(
        "SELECT id, bits, bits <~> ? AS d FROM b WHERE tag = ? ORDER BY bits <~> ? LIMIT 2")) {
      select.setObject(1, BitValue.parse("00000000000"));
      select.setString(2, "a");
      select.setString(3, "00000000000");
      try (ResultSet rs = select.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals("BIT(11)", md.getColumnTypeName(2));
        assertEquals(Types.VARCHAR, md.getColumnType(2));
        assertEquals(11, md.getPrecision(2));
        assertEquals(BitValue.class.getName(), md.getColumnClassName(2));
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(BitValue.parse("00000000001"),
            assertInstanceOf(BitValue.class, rs.getObject(2)));
        assertEquals("00000000001", rs.getString(2));
        assertEquals(1.0, rs.getDouble(3));
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
        assertEquals(FIRST, rs.getObject(2, BitValue.class));
        assertEquals(FIRST, rs.getObject("bits"));
        assertEquals(5.0, rs.getDouble("d"));
        assertFalse(rs.next());
      }
    }
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT bits FROM b WHERE id = 5")) {
      assertTrue(rs.next());
      assertNull(rs.getObject(1));
      assertNull(rs.getString(1));
    }
    try (ResultSet columns = c.getMetaData().getColumns(null, "public", "b", "bits")) {
      assertTrue(columns.next());
      assertEquals("BIT", columns.getString("TYPE_NAME"));
      assertEquals(11, columns.getInt("COLUMN_SIZE"));
      assertEquals(Types.VARCHAR, columns.getInt("DATA_TYPE"));
    }
    try (ResultSet types = c.getMetaData().getTypeInfo()) {
      boolean found = false;
      while (types.next()) {
        if (types.getString("TYPE_NAME").equals("BIT")) {
          found = true;
          assertEquals(64000, types.getInt("PRECISION"));
          assertEquals("B'", types.getString("LITERAL_PREFIX"));
          assertEquals("length", types.getString("CREATE_PARAMS"));
        }
      }
      assertTrue(found, "getTypeInfo lists BIT");
    }
  }
}
