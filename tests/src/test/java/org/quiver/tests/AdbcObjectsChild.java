package org.quiver.tests;

import java.util.Map;
import org.apache.arrow.adbc.core.AdbcConnection;
import org.apache.arrow.adbc.core.AdbcConnection.GetObjectsDepth;
import org.apache.arrow.adbc.core.AdbcDatabase;
import org.apache.arrow.adbc.driver.flightsql.FlightSqlDriver;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Prints ADBC's {@code getObjects} at depth ALL for the Flight SQL server on the port given. It
 * runs in a child JVM without the stock Flight SQL JDBC driver, whose shaded classes shadow the
 * flight-sql-jdbc-core that the ADBC driver needs for column metadata.
 */
public final class AdbcObjectsChild {
  private AdbcObjectsChild() {}

  public static void main(String[] args) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        AdbcDatabase db = new FlightSqlDriver(allocator).open(
            Map.of("uri", "grpc+tcp://127.0.0.1:" + args[0]));
        AdbcConnection c = db.connect();
        ArrowReader reader = c.getObjects(GetObjectsDepth.ALL, null, null, args[1], null,
            null)) {
      while (reader.loadNextBatch()) {
        System.out.print(reader.getVectorSchemaRoot().contentToTSVString());
      }
    }
  }
}
