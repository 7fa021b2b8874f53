package org.quiver.jdbc.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * What the driver needs from an embedded engine: found with {@link java.util.ServiceLoader} when
 * quiver-sql is on the class path, so that the thin driver itself depends on nothing but Avatica.
 */
public interface EmbeddedConnector {

  /** Opens a connection for {@code jdbc:quiver:file:...} or {@code jdbc:quiver:mem:...}. */
  Connection connect(String url, Properties info) throws SQLException;

  /** Turns an error of the embedded connection into one with Quiver's SQLSTATE and message. */
  SQLException translate(SQLException error);

  /**
   * Runs the statements of one JDBC batch so that the rows they insert reach the engine as one
   * insert task, atomically.
   */
  int[] runBatch(Connection connection, BatchBody body) throws SQLException;

  /**
   * Recognises {@code INSERT INTO t [(columns)] VALUES (?, ...)}: the rows of a JDBC batch of such
   * a statement can go to the engine as values, without running the SQL once per row.
   *
   * @return null when {@code sql} is not such a statement
   */
  BatchInsert batchInsert(Connection connection, String sql) throws SQLException;

  /** An INSERT of one row of parameters, executed for many rows at once. */
  interface BatchInsert {
    int parameterCount();

    /**
     * Inserts one row per element of {@code rows} (its parameter values, 1-based index i at
     * position i - 1; {@code float[]} for vectors) as one atomic insert.
     */
    int[] insert(java.util.List<Object[]> rows) throws SQLException;
  }

  /** The statements of a batch. */
  @FunctionalInterface
  interface BatchBody {
    int[] run() throws SQLException;
  }
}
