package org.quiver.sql.flight;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.sql.arrow.ResultSetBatches;

/**
 * Streams a JDBC result to a Flight client with bounded memory: the next batch
 * ({@link ResultSetBatches}) is built only when the client has room for it (gRPC flow control
 * through {@link BackpressureStrategy}). There is no row cap. It must not run on the gRPC call's
 * own executor, which delivers the "ready" signal it waits for.
 */
final class ResultStreamer {
  /** How long a client may leave a result unread before the stream fails. */
  private static final long CLIENT_WAIT_MS = 30 * 60_000L;

  private ResultStreamer() {}

  /** Sends every row of {@code rs} as {@code schema} says, then completes the stream. */
  static long stream(ResultSet rs, Schema schema, BufferAllocator allocator,
      ServerStreamListener listener) throws SQLException {
    BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
    backpressure.register(listener);
    long total = 0;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      listener.start(root);
      int limit = ResultSetBatches.batchRows(schema);
      boolean[] more = {rs.next()};
      while (more[0]) {
        int n = ResultSetBatches.fill(root, rs, limit, more);
        BackpressureStrategy.WaitResult wait = backpressure.waitForListener(CLIENT_WAIT_MS);
        if (wait == BackpressureStrategy.WaitResult.CANCELLED) {
          return total;
        }
        if (wait != BackpressureStrategy.WaitResult.READY) {
          throw FlightErrors.error("57014", "the client stopped reading the result (" + wait + ")");
        }
        listener.putNext();
        total += n;
      }
      listener.completed();
    }
    return total;
  }
}
