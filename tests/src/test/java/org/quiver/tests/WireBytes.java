package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import org.quiver.sql.bench.CountingHttpClients;
import org.quiver.sql.server.QuiverServer;

/**
 * What a remote batch of Quiver's driver costs on the wire: each vector value goes once, as its
 * byte string, so that a batch of rows holding values of {@code size} bytes takes little more
 * than {@code rows * size} bytes. Text, or float32 for a halfvec, would take far more.
 */
final class WireBytes {
  /** Per row: the row's id, the protobuf framing of its two values. */
  private static final int ROW_OVERHEAD = 64;
  /** Per request: the connection and statement ids and the message's name. */
  private static final int REQUEST_OVERHEAD = 512;

  private WireBytes() {}

  /**
   * Avatica's own client on {@code server}, asking for vectors by the wire {@code vectorWire}
   * ({@code typed}, as Quiver's driver asks, or the older {@code binary}), with {@code ddl} run.
   */
  static Connection avaticaClient(QuiverServer server, String vectorWire, String ddl)
      throws SQLException {
    Properties wire = new Properties();
    wire.setProperty("vectorWire", vectorWire);
    Connection c = DriverManager.getConnection(server.avaticaUrl(), wire);
    try (Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * Creates {@code table} ({@code id BIGINT PRIMARY KEY, v <type>}) through {@code url}, inserts
   * {@code rows} rows of {@code value} in one batch, and asserts the batch's request took between
   * {@code rows * size} bytes and that plus the framing.
   */
  static void assertBatchSize(String url, String table, String type, Object value, int size,
      int rows) throws SQLException {
    Properties counting = new Properties();
    counting.setProperty("httpclient_factory", CountingHttpClients.class.getName());
    try (Connection c = DriverManager.getConnection(url, counting)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v " + type + ")");
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO " + table + " VALUES (?, ?)")) {
        for (int i = 0; i < rows; i++) {
          insert.setLong(1, i);
          insert.setObject(2, value);
          insert.addBatch();
        }
        long before = CountingHttpClients.requestBytes();
        int[] counts = insert.executeBatch();
        long sent = CountingHttpClients.requestBytes() - before;
        int[] ones = new int[rows];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, counts);
        long least = (long) rows * size;
        long most = least + (long) rows * ROW_OVERHEAD + REQUEST_OVERHEAD;
        assertTrue(sent >= least && sent <= most, "a batch of " + rows + " " + type
            + " values of " + size + " bytes took " + sent + " bytes, not in [" + least + ", "
            + most + "]");
      }
    }
  }
}
