package org.quiver.sql.flight;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.quiver.engine.api.error.ErrorCode;

/**
 * Results executed and not yet read, each waiting under a random handle (the ticket) until its
 * client reads it, at most the idle timeout; reading one streams it ({@link ResultStreamer}) and
 * then gives back what it holds.
 */
final class PendingResults implements AutoCloseable {
  private final BufferAllocator allocator;
  private final ConnectionPool pool;
  private final FlightCallers callers;
  private final Duration idleTimeout;
  private final Map<ByteString, Waiting> results = new ConcurrentHashMap<>();
  /**
   * Where results are streamed. gRPC runs {@code getStream} on the call's serialising executor
   * and delivers the call's "ready for more" signal on that same executor, so a stream that
   * waited for the client inside {@code getStream} would wait for a signal queued behind itself:
   * the export stalled for good whenever the client fell one batch behind. Each export runs on
   * a virtual thread of its own instead; their number is bounded by the connection pool, since
   * every pending result holds a connection.
   */
  private final ExecutorService exports =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("flight-export-", 0).factory());

  /**
   * An executed statement's result: its rows (null for an update count), the statement and
   * connection they come from, and whether reading it ends the statement's and the connection's
   * use (not for a prepared statement, which lives on until it is closed).
   */
  record Executed(String user, Connection connection, Statement statement, ResultSet rows,
      Schema schema, boolean closeStatement, boolean returnConnection) {}

  private record Waiting(Executed result, long created) {}

  PendingResults(BufferAllocator allocator, ConnectionPool pool, FlightCallers callers,
      Duration idleTimeout) {
    this.allocator = allocator;
    this.pool = pool;
    this.callers = callers;
    this.idleTimeout = idleTimeout;
  }

  /** Keeps {@code result} under a new ticket; the FlightInfo names that ticket. */
  FlightInfo add(Executed result, FlightDescriptor descriptor) {
    ByteString handle = Handles.next();
    results.put(handle, new Waiting(result, System.nanoTime()));
    FlightSql.TicketStatementQuery ticket = FlightSql.TicketStatementQuery.newBuilder()
        .setStatementHandle(handle).build();
    FlightDescriptor d = descriptor != null ? descriptor
        : FlightDescriptor.command(Any.pack(ticket).toByteArray());
    return new FlightInfo(result.schema(), d,
        List.of(new FlightEndpoint(new Ticket(Any.pack(ticket).toByteArray()))), -1, -1);
  }

  /**
   * Streams the result waiting under {@code handle} to its caller, who must be the user who
   * executed it; a result is read once.
   */
  void stream(ByteString handle, CallContext context, ServerStreamListener listener) {
    Waiting waiting = results.remove(handle);
    Executed result = waiting == null ? null : waiting.result();
    try {
      String user = callers.name(context);
      if (result == null || !result.user().equals(user)) {
        throw FlightErrors.error("34000", "no result under this ticket: it was read already, "
            + "or expired after " + idleTimeout.toSeconds() + " s");
      }
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
      if (result != null) {
        release(result);
      }
      return;
    }
    stream(result, listener);
  }

  /** Streams {@code result} to its reader, then gives back what it holds. */
  private void stream(Executed result, ServerStreamListener listener) {
    try {
      if (result.rows() == null) {
        try (VectorSchemaRoot empty = VectorSchemaRoot.create(result.schema(), allocator)) {
          listener.start(empty);
          listener.completed();
        }
        release(result);
      } else {
        exports.execute(() -> export(result, listener));
      }
    } catch (RejectedExecutionException e) {
      listener.error(FlightErrors.error(ErrorCode.ADMIN_SHUTDOWN.sqlState(),
          "the server is stopping"));
      release(result);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
      release(result);
    }
  }

  private void export(Executed result, ServerStreamListener listener) {
    try {
      ResultStreamer.stream(result.rows(), result.schema(), allocator, listener);
    } catch (SQLException | RuntimeException e) {
      listener.error(FlightErrors.of(e));
    } finally {
      release(result);
    }
  }

  private void release(Executed result) {
    ConnectionPool.closeQuietly(result.rows());
    if (result.closeStatement()) {
      ConnectionPool.closeQuietly(result.statement());
    }
    if (result.returnConnection()) {
      pool.giveBack(result.user(), result.connection());
    }
  }

  /** Drops the results nobody read for the idle timeout. */
  void expire() {
    long limit = System.nanoTime() - idleTimeout.toNanos();
    for (Iterator<Waiting> it = results.values().iterator(); it.hasNext(); ) {
      Waiting waiting = it.next();
      if (waiting.created() - limit < 0) {
        it.remove();
        release(waiting.result());
      }
    }
  }

  /** Stops the running exports and gives back every waiting result. */
  @Override
  public void close() {
    exports.shutdownNow();
    results.values().forEach(waiting -> release(waiting.result()));
    results.clear();
  }
}
